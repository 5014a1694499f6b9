"use client";

import { useActionState } from "react";
import Link from "next/link";
import { toast } from "sonner";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { Badge } from "@/components/ui/badge";
import { echoedAll, type ActionState } from "@/lib/errors/action-result";
import { setMemberWorkspacesAction } from "@/lib/actions/members";

export type MemberWorkspaceOption = { id: string; name: string; isDefault: boolean; archived: boolean; member: boolean };

/** Which open workspaces a member belongs to, saved as a whole; archived memberships are shown, not editable. */
export function MemberWorkspacesForm({ userId, name, workspaces }: { userId: string; name: string; workspaces: MemberWorkspaceOption[] }) {
  const [state, action, pending] = useActionState(async (_prev: ActionState<unknown>, formData: FormData) => {
    const result = await setMemberWorkspacesAction(null, formData);
    if (result.ok) toast.success(result.message ?? "Saved.");
    return result;
  }, null);
  const open = workspaces.filter((w) => !w.archived);
  const archived = workspaces.filter((w) => w.archived);
  const checked = echoedAll(state, "workspaceIds");
  if (open.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">
        Your organization has no open workspaces.{" "}
        <Link href="/admin/workspaces" className="font-medium text-primary hover:underline">
          Create one
        </Link>
        .
      </p>
    );
  }
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="userId" value={userId} />
      <FormStatus state={state && !state.ok ? state : null} />
      <fieldset className="space-y-2">
        <legend className="sr-only">Workspaces {name} belongs to</legend>
        {open.map((w) => {
          const id = `member-workspace-${w.id}`;
          return (
            <div key={w.id} className="flex items-center gap-3 rounded-md border p-2.5 has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40">
              <input
                id={id}
                type="checkbox"
                name="workspaceIds"
                value={w.id}
                defaultChecked={checked ? checked.includes(w.id) : w.member}
                className="size-4 shrink-0 cursor-pointer accent-primary"
              />
              <label htmlFor={id} className="flex flex-1 cursor-pointer items-center justify-between gap-2 text-sm">
                {w.name}
                {w.isDefault && <Badge variant="secondary">Default</Badge>}
              </label>
              <Link href={`/admin/workspaces/${w.id}`} className="text-xs text-muted-foreground hover:text-foreground hover:underline" aria-label={`Open ${w.name}`}>
                Open
              </Link>
            </div>
          );
        })}
      </fieldset>
      {archived.length > 0 && <p className="text-xs text-muted-foreground">Also a member of archived {archived.map((w) => `“${w.name}”`).join(", ")}, kept in case it is restored.</p>}
      <SubmitButton pending={pending} pendingLabel="Saving…" variant="outline">
        Save workspaces
      </SubmitButton>
    </form>
  );
}
