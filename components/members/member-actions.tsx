"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { changeMemberRoleAction, setMemberStatusAction } from "@/lib/actions/members";

function InlineResult({ state }: { state: { ok: boolean; message?: string } | null }) {
  return (
    <p aria-live="polite" className={state && !state.ok ? "mt-1 text-xs text-destructive" : "mt-1 text-xs text-muted-foreground"}>
      {state?.message ?? ""}
    </p>
  );
}

/** Changing the select submits at once; the server re-checks the role and the last-admin rule. */
export function MemberRoleForm({ userId, name, role }: { userId: string; name: string; role: string }) {
  const [state, action, pending] = useActionState(changeMemberRoleAction, null);
  return (
    <form action={action} className="min-w-36">
      <input type="hidden" name="userId" value={userId} />
      <div className="flex items-center gap-2">
        <NativeSelect
          name="role"
          defaultValue={role}
          key={role}
          aria-label={`Role of ${name}`}
          disabled={pending}
          onChange={(e) => e.currentTarget.form?.requestSubmit()}
        >
          <option value="reviewer">Reviewer</option>
          <option value="manager">Manager</option>
          <option value="admin">Admin</option>
        </NativeSelect>
        {pending && <Spinner className="size-4" />}
      </div>
      <noscript>
        <Button type="submit" size="sm" variant="outline">
          Save
        </Button>
      </noscript>
      <InlineResult state={state} />
    </form>
  );
}

export function MemberStatusForm({ userId, name, status }: { userId: string; name: string; status: "active" | "disabled" }) {
  const [state, action, pending] = useActionState(setMemberStatusAction, null);
  const [open, setOpen] = useState(false);
  if (status === "disabled") {
    return (
      <form action={action}>
        <input type="hidden" name="userId" value={userId} />
        <input type="hidden" name="status" value="active" />
        <Button type="submit" size="sm" variant="outline" disabled={pending}>
          {pending ? "Enabling…" : "Enable"}
        </Button>
        <InlineResult state={state} />
      </form>
    );
  }
  return (
    <div>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button size="sm" variant="outline" aria-label={`Disable ${name}`}>
            Disable
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Disable {name}?</DialogTitle>
            <DialogDescription>
              Their next request is refused and they are signed out, even with a session still open. Their past decisions stay on the record. You can enable them again later.
            </DialogDescription>
          </DialogHeader>
          <form
            action={(formData) => {
              setOpen(false);
              action(formData);
            }}
          >
            <input type="hidden" name="userId" value={userId} />
            <input type="hidden" name="status" value="disabled" />
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" variant="destructive">
                Disable member
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      {pending && <Spinner className="ml-2 inline size-4" />}
      <InlineResult state={state} />
    </div>
  );
}
