"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Archive, ArchiveRestore } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { setWorkspaceArchivedAction } from "@/lib/actions/workspaces";

/**
 * Archive (after a confirmation that says what it means) or restore a workspace. The server decides
 * whether it may be archived; its refusal (default workspace, task types or items still in it) is
 * shown in the dialog.
 */
export function ArchiveWorkspaceButton({ workspaceId, name, archived, size = "sm" }: { workspaceId: string; name: string; archived: boolean; size?: "sm" | "default" }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const submit = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("archived", archived ? "false" : "true");
      const result = await setWorkspaceArchivedAction(null, form);
      if (!result.ok) {
        if (archived) toast.error(result.message);
        return setError(result.message);
      }
      setOpen(false);
      toast.success(result.message ?? "Saved.");
      router.refresh();
    });
  if (archived) {
    return (
      <Button size={size} variant="outline" onClick={submit} disabled={pending} aria-label={`Restore ${name}`}>
        {pending ? <Spinner className="size-3.5" /> : <ArchiveRestore className="size-3.5" aria-hidden />}
        {pending ? "Restoring…" : "Restore"}
      </Button>
    );
  }
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
      <DialogTrigger asChild>
        <Button size={size} variant="outline" aria-label={`Archive ${name}`}>
          <Archive className="size-3.5" aria-hidden /> Archive
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Archive “{name}”?</DialogTitle>
          <DialogDescription>
            It disappears from the queue&apos;s tabs and from workspace pickers, and nothing can be moved into it. Its members keep access to its decided items, and you
            can restore it at any time. A workspace with task types or waiting items can&apos;t be archived.
          </DialogDescription>
        </DialogHeader>
        {error && (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button type="button" variant="outline">
              Cancel
            </Button>
          </DialogClose>
          <Button variant="destructive" onClick={submit} disabled={pending}>
            {pending && <Spinner className="size-4" />}
            {pending ? "Archiving…" : "Archive workspace"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
