import * as React from "react";

import { cn } from "@/lib/ui/cn";

export type FieldErrorProps = Omit<React.ComponentProps<"div">, "id" | "children"> & {
  /** Referenced by the field's aria-describedby. */
  id: string;
  messages?: readonly string[] | null;
};

/** Validation messages for one field. Renders nothing when there are no messages. */
export function FieldError({ id, messages, className, ...props }: FieldErrorProps) {
  const list = messages?.filter(Boolean) ?? [];
  if (list.length === 0) return null;
  return (
    <div
      data-slot="field-error"
      id={id}
      className={cn("flex flex-col gap-0.5 text-sm font-medium text-destructive", className)}
      {...props}
    >
      {list.map((message, i) => (
        <p key={`${i}-${message}`}>{message}</p>
      ))}
    </div>
  );
}
