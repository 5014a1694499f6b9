import * as React from "react";

import { cn } from "@/lib/ui/cn";

/** Placeholder shape for loading content. Decorative by default (aria-hidden); size it with className. */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-foreground/10 motion-reduce:animate-none", className)}
      {...props}
    />
  );
}
