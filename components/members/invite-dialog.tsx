"use client";

import { useActionState, useState } from "react";
import { UserPlus } from "lucide-react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { echoed } from "@/lib/errors/action-result";
import { createInviteAction } from "@/lib/actions/members";

function InviteForm() {
  const [state, action, pending] = useActionState(createInviteAction, null);
  if (state?.ok) {
    const link = `${window.location.origin}${state.data.path}`;
    return (
      <div className="space-y-4">
        <Alert variant="success">
          <AlertTitle>Invite created for {state.data.email}</AlertTitle>
          <AlertDescription>
            Send them this link. It works once, expires in 7 days, and is shown only now — we keep only a hash of it.
          </AlertDescription>
        </Alert>
        <div className="flex items-center gap-2">
          <input
            readOnly
            value={link}
            aria-label="Invite link"
            data-testid="invite-link"
            className="h-9 w-full min-w-0 rounded-md border bg-muted px-3 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={link} label="Copy link" />
        </div>
      </div>
    );
  }
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state && !state.ok && !fieldErrors ? state : null} />
      <TextField name="email" label="Email" type="email" required autoFocus defaultValue={echoed(state, "email")} errors={fieldErrors?.email} />
      <div className="space-y-1.5">
        <Label htmlFor="invite-role">Role</Label>
        <NativeSelect id="invite-role" name="role" defaultValue={echoed(state, "role") ?? "reviewer"}>
          <option value="reviewer">Reviewer — works the queue of their workspaces</option>
          <option value="manager">Manager — also sees analytics for the whole organization</option>
          <option value="admin">Admin — also manages people, policies and keys</option>
        </NativeSelect>
      </div>
      <DialogFooter>
        <SubmitButton pending={pending} pendingLabel="Creating invite…">
          Create invite link
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}

export function InviteDialog() {
  const [open, setOpen] = useState(false);
  // A new form (and a fresh action state) each time the dialog opens.
  const [generation, setGeneration] = useState(0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setGeneration((g) => g + 1);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <UserPlus className="size-4" aria-hidden /> Invite member
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a member</DialogTitle>
          <DialogDescription>They choose their own password from a one-time link and join with the role you pick.</DialogDescription>
        </DialogHeader>
        <InviteForm key={generation} />
      </DialogContent>
    </Dialog>
  );
}
