"use server";

import { revalidatePath } from "next/cache";
import { previewRouting, updateTaskTypePolicy, type RoutingPreview, type TaskTypeSaveResult } from "@/db/queries/task-types";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { RoutingPreviewForm, TaskTypeForm } from "@/lib/validation/task-types";

/** For the editor, which shows what `previewRoutingAction` returns (components never import db/). */
export type { RoutingPreview };

/** Saves the task type editor; the floors, the justification and the version are checked by the query, in its transaction. */
export const saveTaskTypeAction = scopedAction("taskTypes.manage", TaskTypeForm, async (input, { db, scope }) => {
  const result: TaskTypeSaveResult = await updateTaskTypePolicy(db, scope, input);
  if (!result.changed) return ok<TaskTypeSaveResult>(result, "Nothing changed, so nothing was saved.");
  revalidatePath("/admin/task-types");
  revalidatePath(`/admin/task-types/${input.key}`);
  revalidatePath("/admin");
  const count = Object.keys(result.changes).length;
  return ok<TaskTypeSaveResult>(result, `Saved ${count} change${count === 1 ? "" : "s"}${result.floorLoosened ? " (a floor was loosened: highlighted in the audit log)" : ""}.`);
});

/** Routes one recent item under the edited, unsaved policy. Reads only. */
export const previewRoutingAction = scopedAction("taskTypes.manage", RoutingPreviewForm, async (input, { db, scope }) => {
  const preview: RoutingPreview = await previewRouting(db, scope, { key: input.key, reviewId: input.reviewId, policy: input.policy });
  return ok(preview);
});
