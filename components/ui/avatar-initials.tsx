import * as React from "react";

import { cn } from "@/lib/ui/cn";

/** "Ada Lovelace" → "AL", "grace@example.com" → "G", "" → "?" */
export function getInitials(name: string): string {
  const base = name.includes("@") ? name.split("@")[0] : name;
  const words = base.split(/[\s._-]+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = Array.from(words[0])[0] ?? "";
  const last = words.length > 1 ? (Array.from(words[words.length - 1])[0] ?? "") : "";
  return (first + last).toLocaleUpperCase();
}

export type AvatarInitialsProps = Omit<React.ComponentProps<"span">, "children"> & {
  name: string;
  /** Hide from assistive tech when the name is already shown next to the avatar. */
  decorative?: boolean;
};

export function AvatarInitials({ name, decorative = false, className, ...props }: AvatarInitialsProps) {
  const a11y = decorative
    ? ({ "aria-hidden": true } as const)
    : ({ role: "img", "aria-label": name || "Unknown user" } as const);
  return (
    <span
      data-slot="avatar-initials"
      title={decorative ? undefined : name}
      className={cn(
        "inline-flex size-8 shrink-0 items-center justify-center rounded-full bg-accent text-xs font-semibold text-accent-foreground ring-1 ring-border select-none",
        className,
      )}
      {...a11y}
      {...props}
    >
      {getInitials(name)}
    </span>
  );
}
