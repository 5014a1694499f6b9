"use server";

import { revalidatePath } from "next/cache";
import { changeMemberRole, changeMemberRoles, createInvite, revokeInvite, setMemberStatus } from "@/db/queries/members";
import { setMemberWorkspaces } from "@/db/queries/workspaces";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { ChangeRoleInput, InviteInput, RevokeInviteInput, SetMemberStatusInput } from "@/lib/validation/auth";
import { BulkRoleChangeInput, SetMemberWorkspacesInput } from "@/lib/validation/members";

const roleNoun = { admin: "an admin", manager: "a manager", reviewer: "a reviewer" } as const;

export const changeMemberRoleAction = scopedAction("members.manage", ChangeRoleInput, async (input, { db, scope }) => {
  await changeMemberRole(db, scope, input);
  revalidatePath("/admin/members");
  return ok(undefined, `Role changed to ${input.role}.`);
});

export const setMemberStatusAction = scopedAction("members.manage", SetMemberStatusInput, async (input, { db, scope }) => {
  await setMemberStatus(db, scope, input);
  revalidatePath("/admin/members");
  return ok(undefined, input.status === "disabled" ? "Member disabled. Their next request is refused." : "Member enabled.");
});

export const createInviteAction = scopedAction("members.manage", InviteInput, async (input, { db, scope }) => {
  const { token, expiresAt } = await createInvite(db, scope, input);
  revalidatePath("/admin/members");
  return ok({ path: `/invite/${token}`, email: input.email, role: input.role, expiresAt: expiresAt.toISOString() });
});

export const revokeInviteAction = scopedAction("members.manage", RevokeInviteInput, async (input, { db, scope }) => {
  await revokeInvite(db, scope, input);
  revalidatePath("/admin/members");
  return ok(undefined, "Invite revoked.");
});

export const changeMemberRolesAction = scopedAction(
  "members.manage",
  BulkRoleChangeInput,
  async (input, { db, scope }) => {
    const { changed } = await changeMemberRoles(db, scope, input);
    revalidatePath("/", "layout");
    const message =
      changed === 0
        ? `Everyone selected is already ${roleNoun[input.role]}; nothing changed.`
        : `${changed === 1 ? "1 member is" : `${changed} members are`} now ${changed === 1 ? roleNoun[input.role] : `${input.role}s`}.`;
    return ok({ changed }, message);
  },
  { arrays: ["userIds"] },
);

export const setMemberWorkspacesAction = scopedAction(
  "members.manage",
  SetMemberWorkspacesInput,
  async (input, { db, scope }) => {
    const { changed } = await setMemberWorkspaces(db, scope, input);
    revalidatePath("/", "layout");
    return ok(undefined, changed ? "Workspaces saved." : "No change to save.");
  },
  { arrays: ["workspaceIds"] },
);
