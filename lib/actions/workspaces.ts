"use server";

import { revalidatePath } from "next/cache";
import { addWorkspaceMember, createWorkspace, removeWorkspaceMember, renameWorkspace, setWorkspaceArchived } from "@/db/queries/workspaces";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { ArchiveWorkspaceInput, CreateWorkspaceInput, RenameWorkspaceInput, WorkspaceMemberInput } from "@/lib/validation/workspaces";

// Workspaces show up in the queue's tabs and the analytics filter as well as in admin, so every
// change refreshes the whole signed-in area.
const refresh = () => revalidatePath("/", "layout");

export const createWorkspaceAction = scopedAction("workspaces.manage", CreateWorkspaceInput, async (input, { db, scope }) => {
  const { id } = await createWorkspace(db, scope, input);
  refresh();
  return ok({ id, name: input.name }, `Workspace “${input.name}” created.`);
});

export const renameWorkspaceAction = scopedAction("workspaces.manage", RenameWorkspaceInput, async (input, { db, scope }) => {
  await renameWorkspace(db, scope, input);
  refresh();
  return ok({ name: input.name }, `Renamed to “${input.name}”.`);
});

export const setWorkspaceArchivedAction = scopedAction("workspaces.manage", ArchiveWorkspaceInput, async (input, { db, scope }) => {
  await setWorkspaceArchived(db, scope, input);
  refresh();
  return ok(undefined, input.archived ? "Workspace archived. It no longer appears in the queue or in pickers." : "Workspace restored.");
});

export const addWorkspaceMemberAction = scopedAction("workspaces.manage", WorkspaceMemberInput, async (input, { db, scope }) => {
  const { added } = await addWorkspaceMember(db, scope, input);
  refresh();
  return ok(undefined, added ? "Member added. They see this workspace's items on their next request." : "Already a member.");
});

export const removeWorkspaceMemberAction = scopedAction("workspaces.manage", WorkspaceMemberInput, async (input, { db, scope }) => {
  await removeWorkspaceMember(db, scope, input);
  refresh();
  return ok(undefined, "Member removed from the workspace.");
});
