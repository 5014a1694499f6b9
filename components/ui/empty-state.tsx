import * as React from "react";

import { cn } from "@/lib/ui/cn";

export type EmptyStateProps = Omit<React.ComponentProps<"div">, "title"> & {
  /** Decorative icon, e.g. <InboxIcon />. Hidden from assistive tech. */
  icon?: React.ReactNode;
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Heading element for the title (default "h2"). */
  titleAs?: "h2" | "h3" | "p";
  /** Optional actions (buttons/links), rendered centred under the text. */
  children?: React.ReactNode;
};

export function EmptyState({
  icon,
  title,
  description,
  titleAs: Title = "h2",
  children,
  className,
  ...props
}: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-4 rounded-xl border border-dashed border-input/50 bg-muted/40 px-6 py-12 text-center",
        className,
      )}
      {...props}
    >
      {icon ? (
        <div
          aria-hidden="true"
          className="flex size-12 items-center justify-center rounded-full bg-background text-muted-foreground shadow-xs ring-1 ring-border [&_svg]:size-6"
        >
          {icon}
        </div>
      ) : null}
      <div className="flex max-w-md flex-col gap-1.5">
        <Title className="text-base font-semibold text-balance text-foreground">{title}</Title>
        {description ? <p className="text-sm text-pretty text-muted-foreground">{description}</p> : null}
      </div>
      {children ? <div className="mt-2 flex flex-wrap items-center justify-center gap-2">{children}</div> : null}
    </div>
  );
}
