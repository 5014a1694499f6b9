"use client";

import { useActionState } from "react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { echoed } from "@/lib/errors/action-result";
import { signUpAction } from "@/lib/actions/auth";

export function SignupForm() {
  const [state, formAction, pending] = useActionState(signUpAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormStatus state={state && !state.ok ? state : null} />
      <TextField name="organizationName" label="Organization" autoComplete="organization" required defaultValue={echoed(state, "organizationName")} errors={fieldErrors?.organizationName} />
      <TextField name="name" label="Your name" autoComplete="name" required defaultValue={echoed(state, "name")} errors={fieldErrors?.name} />
      <TextField name="email" label="Work email" type="email" autoComplete="email" required defaultValue={echoed(state, "email")} errors={fieldErrors?.email} />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters."
        errors={fieldErrors?.password}
      />
      <SubmitButton pending={pending} pendingLabel="Creating your organization…" className="w-full">
        Create organization
      </SubmitButton>
    </form>
  );
}
