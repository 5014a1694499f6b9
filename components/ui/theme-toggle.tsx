"use client";

import * as React from "react";
import { MonitorIcon, MoonIcon, SunIcon } from "lucide-react";
import { useTheme } from "next-themes";

import { Button, type ButtonProps } from "./button";

const THEMES = ["light", "dark", "system"] as const;
type ThemeName = (typeof THEMES)[number];

const META: Record<ThemeName, { label: string; Icon: typeof SunIcon }> = {
  light: { label: "Light", Icon: SunIcon },
  dark: { label: "Dark", Icon: MoonIcon },
  system: { label: "System", Icon: MonitorIcon },
};

const subscribeNoop = () => () => {};

/** false during SSR and hydration, true afterwards — without setState in an effect. */
function useHydrated() {
  return React.useSyncExternalStore(
    subscribeNoop,
    () => true,
    () => false,
  );
}

export type ThemeToggleProps = Omit<ButtonProps, "onClick" | "children" | "asChild">;

/** Ghost icon button that cycles light → dark → system. */
export function ThemeToggle({ className, variant = "ghost", size = "icon", ...props }: ThemeToggleProps) {
  const { theme, setTheme } = useTheme();
  const hydrated = useHydrated();

  if (!hydrated) {
    // Stable placeholder with identical size on server and first client render.
    return (
      <Button variant={variant} size={size} aria-label="Change theme" className={className} {...props}>
        <span aria-hidden="true" className="size-4" />
      </Button>
    );
  }

  const current: ThemeName = THEMES.includes(theme as ThemeName) ? (theme as ThemeName) : "system";
  const next = THEMES[(THEMES.indexOf(current) + 1) % THEMES.length];
  const { Icon } = META[current];
  const label = `Theme: ${META[current].label}. Switch to ${META[next].label.toLowerCase()} theme`;

  return (
    <Button
      variant={variant}
      size={size}
      aria-label={label}
      title={label}
      className={className}
      onClick={() => setTheme(next)}
      {...props}
    >
      <Icon aria-hidden="true" />
    </Button>
  );
}
