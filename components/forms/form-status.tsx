import { Alert, AlertDescription } from "@/components/ui/alert";

/** The form-level outcome of a server action, announced to screen readers. */
export function FormStatus({ state }: { state: { ok: boolean; message?: string } | null }) {
  if (!state?.message) return null;
  return (
    <Alert variant={state.ok ? "success" : "destructive"}>
      <AlertDescription>{state.message}</AlertDescription>
    </Alert>
  );
}
