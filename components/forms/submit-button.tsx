"use client";

import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";

/** A submit button that shows progress and can't be pressed twice while its action runs. */
export function SubmitButton({ pending, pendingLabel, children, ...props }: React.ComponentProps<typeof Button> & { pending: boolean; pendingLabel: string }) {
  return (
    <Button type="submit" disabled={pending} aria-disabled={pending} {...props}>
      {pending && <Spinner className="size-4" />}
      {pending ? pendingLabel : children}
    </Button>
  );
}
