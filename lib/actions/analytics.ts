"use server";

import { revalidatePath } from "next/cache";
import { taskTypeSummary } from "@/db/queries/analytics";
import { changeTaskTypeMode } from "@/db/queries/mode-changes";
import { setAutoStepDown } from "@/db/queries/organizations";
import { readinessOf } from "@/lib/views/analytics";
import { AppError } from "@/lib/errors";
import { modeLabel } from "@/lib/policy";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { AutoStepDownForm, ModeChangeForm, rangeOf } from "@/lib/validation/analytics";

/**
 * Apply the readiness recommendation, or roll the last change back. The recommendation is computed
 * again here from the rollups — never taken from the page — so a stale tab or a crafted request can't
 * step a task type up that hasn't earned it; floors are checked once more by the mode change itself.
 */
export const changeModeAction = scopedAction("taskTypes.manage", ModeChangeForm, async (input, { db, scope }) => {
  const now = new Date();
  const summary = await taskTypeSummary(db, scope, input.taskTypeKey, { ...rangeOf(28, now), now });
  if (!summary) throw new AppError("not_found", "No such task type.");
  const readiness = readinessOf(summary, now);
  const rec = readiness.recommendation;
  const evidence = {
    sentence: readiness.sentence,
    decided: readiness.stats.decided,
    acceptance: readiness.stats.acceptance,
    days: readiness.days,
    ...(readiness.rubberStamp ? { rubberStamp: readiness.rubberStamp.sentence, acknowledged: input.acknowledged === "on" } : {}),
  };
  if (input.direction === "rollback") {
    const toMode = summary.taskType.previousMode ?? "approve_before_action";
    await changeTaskTypeMode(db, scope, { taskTypeKey: input.taskTypeKey, toMode, reason: "rollback", evidence }, now);
    revalidatePath(`/analytics/${input.taskTypeKey}`);
    return ok({ mode: toMode }, `Rolled back to ${modeLabel[toMode]}. Counting starts again from now.`);
  }
  if (rec.kind === "step_up") {
    // A rubber-stamp warning is weighed, not clicked past: the page's acknowledgement is asked for here too.
    if (readiness.rubberStamp && input.acknowledged !== "on") {
      throw new AppError("invalid", `Acknowledge the warning first: ${readiness.rubberStamp.sentence}`);
    }
    await changeTaskTypeMode(db, scope, { taskTypeKey: input.taskTypeKey, toMode: rec.toMode, reason: "recommendation", confidenceThreshold: rec.confidenceThreshold ?? undefined, evidence }, now);
  } else if (rec.kind === "step_down") {
    await changeTaskTypeMode(db, scope, { taskTypeKey: input.taskTypeKey, toMode: rec.toMode, reason: "step_down", evidence }, now);
  } else {
    throw new AppError("conflict", "There is no recommendation to apply right now; the numbers may have changed. Reload to see them.");
  }
  revalidatePath(`/analytics/${input.taskTypeKey}`);
  return ok({ mode: rec.toMode }, `Now in ${modeLabel[rec.toMode]}. Counting starts again from now.`);
});

/** The organization setting that lets Countersign step a regressing task type back by itself. */
export const setAutoStepDownAction = scopedAction("settings.manage", AutoStepDownForm, async (input, { db, scope }) => {
  await setAutoStepDown(db, scope, input.enabled === "on");
  revalidatePath("/analytics");
  return ok(undefined, input.enabled === "on" ? "Automatic step-down is on." : "Automatic step-down is off.");
});
