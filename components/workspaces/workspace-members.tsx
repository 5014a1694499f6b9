"use client";

import { useActionState, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { UserPlus, Users } from "lucide-react";
import { toast } from "sonner";
import { SubmitButton } from "@/components/forms/submit-button";
import { AvatarInitials } from "@/components/ui/avatar-initials";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import type { ActionState } from "@/lib/errors/action-result";
import { addWorkspaceMemberAction, removeWorkspaceMemberAction } from "@/lib/actions/workspaces";

type Role = "admin" | "manager" | "reviewer";
export type WorkspaceMemberView = { userId: string; name: string; email: string; role: Role; status: "active" | "disabled" };
export type CandidateView = { userId: string; name: string; email: string; role: Role };

const roleLabel: Record<Role, string> = { admin: "Admin", manager: "Manager", reviewer: "Reviewer" };

function AddMemberForm({ workspaceId, candidates }: { workspaceId: string; candidates: CandidateView[] }) {
  const [state, action, pending] = useActionState(async (_prev: ActionState<unknown>, formData: FormData) => {
    const result = await addWorkspaceMemberAction(null, formData);
    if (result.ok) toast.success(result.message ?? "Added.");
    return result;
  }, null);
  if (candidates.length === 0) {
    return <p className="text-sm text-muted-foreground">Every active member of your organization is in this workspace.</p>;
  }
  const error = state && !state.ok ? (state.fieldErrors?.userId ? "Choose a member to add." : state.message) : null;
  return (
    <form action={action} className="space-y-1.5">
      <input type="hidden" name="workspaceId" value={workspaceId} />
      <Label htmlFor="add-workspace-member">Add a member</Label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <NativeSelect
          id="add-workspace-member"
          name="userId"
          required
          defaultValue=""
          wrapperClassName="min-w-0 flex-1"
          aria-describedby={error ? "add-workspace-member-error" : undefined}
          aria-invalid={error ? true : undefined}
        >
          <option value="" disabled>
            Choose an active member…
          </option>
          {candidates.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.name} ({c.email}) — {roleLabel[c.role]}
            </option>
          ))}
        </NativeSelect>
        <SubmitButton pending={pending} pendingLabel="Adding…">
          <UserPlus className="size-4" aria-hidden /> Add to workspace
        </SubmitButton>
      </div>
      <p id="add-workspace-member-error" aria-live="polite" className="text-sm text-destructive">
        {error ?? ""}
      </p>
    </form>
  );
}

function RemoveMemberButton({ workspaceId, workspaceName, member }: { workspaceId: string; workspaceName: string; member: WorkspaceMemberView }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const remove = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("workspaceId", workspaceId);
      form.set("userId", member.userId);
      const result = await removeWorkspaceMemberAction(null, form);
      if (!result.ok) return setError(result.message);
      setOpen(false);
      toast.success(`${member.name} removed from ${workspaceName}.`);
      router.refresh();
    });
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
      <DialogTrigger asChild>
        <Button size="sm" variant="ghost" aria-label={`Remove ${member.name} from ${workspaceName}`}>
          Remove
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            Remove {member.name} from “{workspaceName}”?
          </DialogTitle>
          <DialogDescription>
            {member.role === "reviewer"
              ? "Its items leave their queue on their next request, including any they have claimed. Their past decisions stay on the record."
              : `As ${member.role === "admin" ? "an admin" : "a manager"} they still see every workspace's items; this only matters if their role is lowered later.`}
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
          <Button variant="destructive" onClick={remove} disabled={pending}>
            {pending && <Spinner className="size-4" />}
            {pending ? "Removing…" : "Remove member"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function WorkspaceMembers({
  workspaceId,
  workspaceName,
  archived,
  members,
  candidates,
}: {
  workspaceId: string;
  workspaceName: string;
  archived: boolean;
  members: WorkspaceMemberView[];
  candidates: CandidateView[];
}) {
  return (
    <div className="space-y-4">
      {archived ? (
        <p className="text-sm text-muted-foreground">Restore the workspace to add members.</p>
      ) : (
        <AddMemberForm workspaceId={workspaceId} candidates={candidates} />
      )}
      {members.length === 0 ? (
        <EmptyState
          titleAs="h3"
          icon={<Users className="size-8" aria-hidden />}
          title="No members yet"
          description="Reviewers see this workspace's items once they are members. Managers and admins see them anyway."
        />
      ) : (
        <ul className="divide-y" aria-label={`Members of ${workspaceName}`}>
          {members.map((m) => (
            <li key={m.userId} className="flex items-center justify-between gap-4 py-2.5" data-testid={`workspace-member-${m.email}`}>
              <div className="flex min-w-0 items-center gap-3">
                <AvatarInitials name={m.name} />
                <div className="min-w-0">
                  <Link href={`/admin/members/${m.userId}`} className="font-medium hover:underline">
                    {m.name}
                  </Link>
                  <div className="truncate text-xs text-muted-foreground">{m.email}</div>
                </div>
                <Badge variant={m.role === "reviewer" ? "secondary" : "outline"}>{roleLabel[m.role]}</Badge>
                {m.status === "disabled" && <Badge variant="destructive">Disabled</Badge>}
              </div>
              <RemoveMemberButton workspaceId={workspaceId} workspaceName={workspaceName} member={m} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
