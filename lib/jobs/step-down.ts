import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { readinessOf } from "@/lib/views/analytics";
import { AppError } from "@/lib/errors";
import { rangeOf } from "@/lib/validation/analytics";
import type { Db, Executor } from "@/db/client";
import { organizations, taskTypeModeChanges, taskTypes } from "@/db/schema";
import { analyticsOverview } from "@/db/queries/analytics";
import { changeTaskTypeMode } from "@/db/queries/mode-changes";

/**
 * The automatic step-down (an organization setting, off by default): a task type in flag_on_exception
 * whose escalated and audited decisions are conclusively below target goes back to its previous mode,
 * by Countersign itself, with the numbers on the record — the audit log, the mode history, the
 * `task_type.mode_changed` webhook, and a notice on the admins' overview. Any instance may run it; a
 * step-down another instance already made is a conflict and is skipped.
 */
export async function stepDownRegressedTaskTypes(db: Db, now = new Date()): Promise<{ organizationId: string; taskTypeKey: string }[]> {
  const orgs = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(sql`(${organizations.settings} ->> 'autoStepDown')::boolean is true`);
  const done: { organizationId: string; taskTypeKey: string }[] = [];
  for (const org of orgs) {
    const unattended = await db
      .select({ id: taskTypes.id })
      .from(taskTypes)
      .where(and(eq(taskTypes.organizationId, org.id), eq(taskTypes.mode, "flag_on_exception")))
      .limit(1);
    if (unattended.length === 0) continue;
    // The same summaries and readiness as the task type page: step-down judged on the org's recent window.
    for (const summary of await analyticsOverview(db, { organizationId: org.id }, { ...rangeOf(28, now), now })) {
      if (summary.taskType.mode !== "flag_on_exception") continue;
      const readiness = readinessOf(summary, now);
      if (readiness.recommendation.kind !== "step_down") continue;
      try {
        await changeTaskTypeMode(
          db,
          { organizationId: org.id, userId: null },
          {
            taskTypeKey: summary.taskType.key,
            toMode: readiness.recommendation.toMode,
            reason: "automatic_step_down",
            evidence: { sentence: readiness.sentence, decided: readiness.stats.decided, acceptance: readiness.stats.acceptance, windowDays: readiness.window.days },
          },
          now,
        );
        done.push({ organizationId: org.id, taskTypeKey: summary.taskType.key });
      } catch (e) {
        if (!(e instanceof AppError && e.code === "conflict")) throw e;
      }
    }
  }
  return done;
}

/** Automatic step-downs of the last `days` days, newest first: the admins' overview shows them. */
export async function recentAutomaticStepDowns(db: Executor, scope: Scope, days = 7, now = new Date()) {
  return db
    .select({ key: taskTypes.key, name: taskTypes.name, toMode: taskTypeModeChanges.toMode, at: taskTypeModeChanges.createdAt, evidence: taskTypeModeChanges.evidence })
    .from(taskTypeModeChanges)
    .innerJoin(taskTypes, eq(taskTypes.id, taskTypeModeChanges.taskTypeId))
    .where(
      and(
        eq(taskTypeModeChanges.organizationId, scope.organizationId),
        eq(taskTypeModeChanges.reason, "automatic_step_down"),
        gte(taskTypeModeChanges.createdAt, new Date(now.getTime() - days * 24 * 3600_000)),
      ),
    )
    .orderBy(sql`${taskTypeModeChanges.createdAt} desc`);
}
