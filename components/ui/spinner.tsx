import * as React from "react";

import { cn } from "@/lib/ui/cn";

/** Decorative spinning indicator (aria-hidden). Pair it with visible or sr-only text. */
export function Spinner({ className, ...props }: React.ComponentProps<"svg">) {
  return (
    <svg
      data-slot="spinner"
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
      focusable="false"
      className={cn("size-4 shrink-0 animate-spin motion-reduce:animate-[spin_2s_linear_infinite]", className)}
      {...props}
    >
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeWidth="3" className="opacity-20" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

export type LoadingBlockProps = React.ComponentProps<"div"> & {
  /** Text announced to screen readers (and shown unless hideLabel). Default "Loading…". */
  label?: string;
  /** Keep the label screen-reader only. */
  hideLabel?: boolean;
};

/** A centred loading indicator with role="status", suitable for route-level loading.tsx files. */
export function LoadingBlock({ label = "Loading…", hideLabel = false, className, ...props }: LoadingBlockProps) {
  return (
    <div
      data-slot="loading-block"
      role="status"
      aria-live="polite"
      className={cn("flex min-h-40 w-full items-center justify-center gap-3 text-sm text-muted-foreground", className)}
      {...props}
    >
      <Spinner className="size-5 text-primary" />
      <span className={hideLabel ? "sr-only" : undefined}>{label}</span>
    </div>
  );
}
