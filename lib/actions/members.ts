"use server";

import { revalidatePath } from "next/cache";
import { changeMemberRole, createInvite, revokeInvite, setMemberStatus } from "@/db/queries/members";
import { ok, scopedAction } from "@/lib/server-action";
import { ChangeRoleInput, InviteInput, RevokeInviteInput, SetMemberStatusInput } from "@/lib/validation/auth";

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
