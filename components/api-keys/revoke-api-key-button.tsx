"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { revokeApiKeyAction } from "@/lib/actions/api-keys";

export function RevokeApiKeyButton({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const [state, action, pending] = useActionState(revokeApiKeyAction, null);
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-col items-end">
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogTrigger asChild>
          <Button size="sm" variant="outline" disabled={pending} aria-label={`Revoke ${name}`}>
            {pending && <Spinner className="size-3" />}
            {pending ? "Revoking…" : "Revoke"}
          </Button>
        </DialogTrigger>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Revoke “{name}”?</DialogTitle>
            <DialogDescription>
              Agents using <span className="font-mono">{prefix}…</span> get 401 immediately. This can&apos;t be undone; the key stays listed as revoked, and the items it
              submitted stay on the record.
            </DialogDescription>
          </DialogHeader>
          <form
            action={(formData) => {
              setOpen(false);
              action(formData);
            }}
          >
            <input type="hidden" name="id" value={id} />
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" variant="destructive">
                Revoke key
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <p aria-live="polite" className={state && !state.ok ? "mt-1 text-xs text-destructive" : "sr-only"}>
        {state?.message ?? ""}
      </p>
    </div>
  );
}
