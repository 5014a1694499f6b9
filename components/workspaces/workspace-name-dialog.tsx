"use client";

import { useActionState, useState } from "react";
import { Pencil, Plus } from "lucide-react";
import { toast } from "sonner";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { echoed, type ActionState } from "@/lib/errors/action-result";
import { createWorkspaceAction, renameWorkspaceAction } from "@/lib/actions/workspaces";

type Mode = { kind: "create" } | { kind: "rename"; workspaceId: string; name: string };

function NameForm({ mode, onDone }: { mode: Mode; onDone: () => void }) {
  const [state, action, pending] = useActionState(async (prev: ActionState<unknown>, formData: FormData) => {
    const result = mode.kind === "create" ? await createWorkspaceAction(null, formData) : await renameWorkspaceAction(null, formData);
    if (result.ok) {
      toast.success(result.message ?? "Saved.");
      onDone();
    }
    return result;
  }, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormStatus state={state && !state.ok && !fieldErrors ? state : null} />
      {mode.kind === "rename" && <input type="hidden" name="workspaceId" value={mode.workspaceId} />}
      <TextField
        name="name"
        label="Name"
        hint="Shown to reviewers as a tab in their queue. Unique in your organization."
        required
        maxLength={60}
        autoFocus
        autoComplete="off"
        defaultValue={echoed(state, "name") ?? (mode.kind === "rename" ? mode.name : "")}
        errors={fieldErrors?.name}
      />
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pending={pending} pendingLabel={mode.kind === "create" ? "Creating…" : "Saving…"}>
          {mode.kind === "create" ? "Create workspace" : "Save name"}
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}

/** Create a workspace, or rename one: the same one-field dialog. */
export function WorkspaceNameDialog({ mode, size }: { mode: Mode; size?: "sm" | "default" }) {
  const [open, setOpen] = useState(false);
  // A fresh form (and action state) each time the dialog opens.
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
        {mode.kind === "create" ? (
          <Button size={size}>
            <Plus className="size-4" aria-hidden /> New workspace
          </Button>
        ) : (
          <Button size={size ?? "sm"} variant="outline" aria-label={`Rename ${mode.name}`}>
            <Pencil className="size-3.5" aria-hidden /> Rename
          </Button>
        )}
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{mode.kind === "create" ? "New workspace" : `Rename “${mode.name}”`}</DialogTitle>
          <DialogDescription>
            {mode.kind === "create"
              ? "A workspace groups task types; reviewers see the items of the workspaces they are members of. Add task types and members once it exists."
              : "Reviewers see the new name in their queue on their next request. The audit log keeps the old one."}
          </DialogDescription>
        </DialogHeader>
        {open && <NameForm key={generation} mode={mode} onDone={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}
