"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { echoed } from "@/lib/errors/action-result";
import { signInAction } from "@/lib/actions/auth";

export function LoginForm({ next, notice }: { next?: string; notice?: { tone: "warning" | "default"; text: string } }) {
  const [state, formAction, pending] = useActionState(signInAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {notice && !state && (
        <Alert variant={notice.tone}>
          <AlertDescription>{notice.text}</AlertDescription>
        </Alert>
      )}
      <FormStatus state={state && !state.ok ? state : null} />
      {next && <input type="hidden" name="next" value={next} />}
      <TextField name="email" label="Email" type="email" autoComplete="email" required autoFocus defaultValue={echoed(state, "email")} errors={fieldErrors?.email} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" required errors={fieldErrors?.password} />
      <SubmitButton pending={pending} pendingLabel="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
