"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import type { ActionResult } from "@/lib/errors/action-result";

type Action<T> = (prev: null, formData: FormData) => Promise<ActionResult<T>>;

/**
 * Runs a server action with plain fields outside a form: pending state and a toast for the outcome. The
 * actions revalidate the webhook pages, so the answer already carries the fresh render. `after` gets
 * the result, so a caller can show what came back (a new secret).
 */
export function useEndpointAction() {
  const [pending, startTransition] = useTransition();
  const run = <T,>(action: Action<T>, fields: Record<string, string>, after?: (result: ActionResult<T>) => void) =>
    startTransition(async () => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      const result = await action(null, form);
      if (result.ok) toast.success(result.message ?? "Done.");
      else toast.error(result.message);
      after?.(result);
    });
  return { pending, run };
}
