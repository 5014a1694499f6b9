import * as React from "react";
import { ChevronDownIcon } from "lucide-react";

import { cn } from "@/lib/ui/cn";

export type NativeSelectProps = React.ComponentProps<"select"> & {
  /** Classes for the outer wrapper (controls width/layout; defaults to full width). */
  wrapperClassName?: string;
};

/**
 * A styled native <select>. Fully accessible and works without JavaScript inside plain HTML forms.
 * Use regular <option> / <optgroup> children.
 */
export function NativeSelect({ className, wrapperClassName, multiple, ...props }: NativeSelectProps) {
  return (
    <div data-slot="native-select-wrapper" className={cn("relative w-full", wrapperClassName)}>
      <select
        data-slot="native-select"
        multiple={multiple}
        className={cn(
          "w-full min-w-0 appearance-none rounded-md border border-input bg-background text-base text-foreground shadow-xs transition-colors md:text-sm",
          multiple ? "px-2 py-1.5" : "h-9 py-1 pr-9 pl-3",
          "focus-visible:outline-hidden focus-visible:border-ring focus-visible:ring-2 focus-visible:ring-ring/50",
          "aria-invalid:border-destructive aria-invalid:focus-visible:ring-destructive/40",
          "disabled:cursor-not-allowed disabled:opacity-50",
          "[&>option]:bg-popover [&>option]:text-popover-foreground",
          className,
        )}
        {...props}
      />
      {!multiple && (
        <ChevronDownIcon
          aria-hidden="true"
          className="pointer-events-none absolute top-1/2 right-3 size-4 -translate-y-1/2 text-muted-foreground"
        />
      )}
    </div>
  );
}
