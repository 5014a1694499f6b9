"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { echoed } from "@/lib/errors/action-result";
import { acceptInviteAction } from "@/lib/actions/auth";

export function InviteAcceptForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState(acceptInviteAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormStatus state={state && !state.ok ? state : null} />
      <input type="hidden" name="token" value={token} />
      <TextField name="email" label="Email" value={email} readOnly disabled hint="Your sign-in email, set by the invite." />
      <TextField name="name" label="Your name" autoComplete="name" required autoFocus defaultValue={echoed(state, "name")} errors={fieldErrors?.name} />
      <TextField
        name="password"
        label="Choose a password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters."
        errors={fieldErrors?.password}
      />
      <SubmitButton pending={pending} pendingLabel="Joining…" className="w-full">
        Join and sign in
      </SubmitButton>
    </form>
  );
}
