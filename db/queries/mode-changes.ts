import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { can } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import { canRunUnattended, modeLabel } from "@/lib/policy";
import type { Db, Executor } from "../client";
import { taskTypeModeChanges, taskTypes, users, type Mode, type ModeChangeReason } from "../schema";
import { appendAudit } from "./audit";
import { enqueueWebhook } from "./webhooks";

/** Countersign itself, e.g. the automatic step-down. */
export type SystemActor = { organizationId: string; userId: null };

export type ModeChangeInput = {
  taskTypeKey: string;
  toMode: Mode;
  reason: ModeChangeReason;
  /** For flag_on_exception: the confidence below which items still go to a person. */
  confidenceThreshold?: number;
  /** The numbers behind the change (readiness at the time), kept with the history row and the audit entry. */
  evidence?: Record<string, unknown>;
};

/**
 * Changes a task type's mode: floors are checked here, on the server, whatever the page offered; the
 * change, its history row, its audit entry and the `task_type.mode_changed` webhook commit together,
 * and it starts a new counting period for readiness (`modeSince`).
 */
export async function changeTaskTypeMode(db: Db, scope: Scope | SystemActor, input: ModeChangeInput, now = new Date()) {
  if ("role" in scope && !can(scope.role, "taskTypes.manage")) throw new AppError("forbidden", "Only admins change a task type's mode.");
  return db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(taskTypes)
      .where(and(eq(taskTypes.organizationId, scope.organizationId), eq(taskTypes.key, input.taskTypeKey)))
      .for("update");
    if (!t) throw new AppError("not_found", "No such task type.");
    if (t.mode === input.toMode) throw new AppError("conflict", `This task type is already in ${modeLabel[t.mode]}.`);
    if (input.toMode === "flag_on_exception" && !canRunUnattended(t)) {
      const floor = !t.reversible ? "its actions are irreversible" : "it writes PHI";
      throw new AppError("invalid", `This task type can't run on exception: ${floor}, so a person always approves first.`);
    }
    const threshold = input.toMode === "flag_on_exception" && input.confidenceThreshold !== undefined ? input.confidenceThreshold : t.confidenceThreshold;
    await tx
      .update(taskTypes)
      .set({ mode: input.toMode, previousMode: t.mode, modeSince: now, confidenceThreshold: threshold, updatedAt: now })
      .where(eq(taskTypes.id, t.id));
    const [change] = await tx
      .insert(taskTypeModeChanges)
      .values({
        organizationId: scope.organizationId,
        taskTypeId: t.id,
        fromMode: t.mode,
        toMode: input.toMode,
        reason: input.reason,
        confidenceThreshold: input.toMode === "flag_on_exception" ? threshold : null,
        evidence: input.evidence ?? {},
        actorUserId: scope.userId,
        createdAt: now,
      })
      .returning();
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "task_type.mode_changed",
      targetType: "task_type",
      targetId: t.id,
      data: {
        key: t.key,
        before: { mode: t.mode, confidenceThreshold: t.confidenceThreshold },
        after: { mode: input.toMode, confidenceThreshold: threshold },
        reason: input.reason,
        evidence: input.evidence ?? {},
      },
    });
    await enqueueWebhook(tx, {
      organizationId: scope.organizationId,
      event: "task_type.mode_changed",
      payload: { taskType: { key: t.key, name: t.name, mode: input.toMode, previousMode: t.mode, confidenceThreshold: threshold, modeSince: now.toISOString() }, reason: input.reason },
    });
    return change;
  });
}

/** How a task type earned (or lost) its autonomy, newest first. */
export async function listModeChanges(db: Executor, scope: Scope, taskTypeId: string) {
  return db
    .select({ change: taskTypeModeChanges, actorName: users.name })
    .from(taskTypeModeChanges)
    .leftJoin(users, eq(users.id, taskTypeModeChanges.actorUserId))
    .where(and(eq(taskTypeModeChanges.organizationId, scope.organizationId), eq(taskTypeModeChanges.taskTypeId, taskTypeId)))
    .orderBy(desc(taskTypeModeChanges.createdAt));
}
