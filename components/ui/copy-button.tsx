"use client";

import * as React from "react";
import { CheckIcon, CopyIcon } from "lucide-react";

import { cn } from "@/lib/ui/cn";
import { Button, type ButtonProps } from "./button";

type Status = "idle" | "copied" | "failed";

/** execCommand fallback for non-secure contexts / older browsers. The textarea is placed inside
 *  `host` (not <body>) so it stays within any focus trap, e.g. an open dialog. */
function legacyCopy(text: string, host: HTMLElement): boolean {
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.setAttribute("aria-hidden", "true");
  textarea.tabIndex = -1;
  Object.assign(textarea.style, { position: "fixed", top: "0", left: "0", opacity: "0", pointerEvents: "none" });
  const previous = document.activeElement as HTMLElement | null;
  host.appendChild(textarea);
  textarea.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  textarea.remove();
  previous?.focus({ preventScroll: true });
  return ok;
}

async function copyText(text: string, host: HTMLElement): Promise<boolean> {
  if (window.isSecureContext && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or document not focused — try the legacy path.
    }
  }
  return legacyCopy(text, host);
}

export type CopyButtonProps = Omit<ButtonProps, "value" | "children" | "asChild"> & {
  /** Text to copy. */
  value: string;
  /** Visible button text (and accessible name when iconOnly). Default "Copy". */
  label?: string;
  /** Render only the icon; label becomes screen-reader text. */
  iconOnly?: boolean;
};

export function CopyButton({
  value,
  label = "Copy",
  iconOnly = false,
  variant = "outline",
  size,
  className,
  onClick,
  ...props
}: CopyButtonProps) {
  const [status, setStatus] = React.useState<Status>("idle");
  const hostRef = React.useRef<HTMLSpanElement>(null);
  const timerRef = React.useRef<number | undefined>(undefined);

  React.useEffect(() => () => window.clearTimeout(timerRef.current), []);

  // Manual-copy fallback input: focus and select it once when it appears.
  const selectOnMount = React.useCallback((el: HTMLInputElement | null) => {
    el?.focus();
    el?.select();
  }, []);

  async function handleClick(event: React.MouseEvent<HTMLButtonElement>) {
    onClick?.(event);
    if (event.defaultPrevented || !hostRef.current) return;
    window.clearTimeout(timerRef.current);
    setStatus("idle");
    const ok = await copyText(value, hostRef.current);
    setStatus(ok ? "copied" : "failed");
    if (ok) timerRef.current = window.setTimeout(() => setStatus("idle"), 2000);
  }

  const copied = status === "copied";
  const text = copied ? "Copied" : label;

  return (
    <span ref={hostRef} data-slot="copy-button" className="inline-flex max-w-full items-center gap-2">
      <Button
        type="button"
        variant={variant}
        size={size ?? (iconOnly ? "icon" : "sm")}
        className={cn(iconOnly && size === undefined && "size-8", className)}
        onClick={handleClick}
        {...props}
      >
        {copied ? <CheckIcon aria-hidden="true" className="text-success" /> : <CopyIcon aria-hidden="true" />}
        {iconOnly ? <span className="sr-only">{text}</span> : text}
      </Button>
      {status === "failed" ? (
        <input
          ref={selectOnMount}
          readOnly
          value={value}
          aria-label="Copy this value manually"
          title="Press Ctrl+C (⌘C on Mac) to copy"
          className="h-8 w-48 min-w-0 rounded-md border border-input bg-background px-2 font-mono text-xs text-foreground focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/50 focus-visible:outline-hidden"
        />
      ) : null}
      <span role="status" aria-live="polite" className="sr-only">
        {copied ? "Copied to clipboard" : status === "failed" ? "Couldn't copy automatically. The text is selected; press Control+C or Command+C to copy." : ""}
      </span>
    </span>
  );
}
