import "server-only";
import { and, asc, desc, eq, gte, isNull, or, sql } from "drizzle-orm";
import { can } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { utcDay } from "@/lib/data/dates";
import { AppError, type FieldErrors } from "@/lib/errors";
import { route, type Routing } from "@/lib/policy";
import { floorLoosenings, policyChanges, unattendedRefusal, type PolicyChanges } from "@/lib/task-types/changes";
import { MIN_JUSTIFICATION, usesAmountCurrency, type TaskTypePolicy, type TaskTypeUpdate } from "@/lib/validation/task-types";
import type { Db, Executor } from "../client";
import { dailyRollups, reviews, taskTypes, workspaces, type TaskType } from "../schema";
import { appendAudit } from "./audit";
import { changeTaskTypeMode } from "./mode-changes";
import { policyOf } from "./reviews";

const VOLUME_DAYS = 30;

/** Every task type of the organization with its policy and how many items it received in the last 30 days (from the rollups). */
export async function listTaskTypes(db: Executor, scope: Scope, now = new Date()) {
  const since = utcDay(new Date(now.getTime() - (VOLUME_DAYS - 1) * 86_400_000));
  const volume = db
    .select({ taskTypeId: dailyRollups.taskTypeId, submitted: sql<number>`sum(${dailyRollups.submitted})::int`.as("submitted") })
    .from(dailyRollups)
    .where(and(eq(dailyRollups.organizationId, scope.organizationId), gte(dailyRollups.day, since)))
    .groupBy(dailyRollups.taskTypeId)
    .as("volume");
  const rows = await db
    .select({
      id: taskTypes.id,
      key: taskTypes.key,
      name: taskTypes.name,
      mode: taskTypes.mode,
      workspace: workspaces.name,
      workspaceArchived: sql<boolean>`${workspaces.archivedAt} is not null`,
      reversible: taskTypes.reversible,
      dataClass: taskTypes.dataClass,
      customerFacing: taskTypes.customerFacing,
      classified: taskTypes.classified,
      confidenceThreshold: taskTypes.confidenceThreshold,
      amountLimit: taskTypes.amountLimit,
      amountCurrency: taskTypes.amountCurrency,
      amountPath: taskTypes.amountPath,
      auditSampleRate: taskTypes.auditSampleRate,
      slaMinutes: taskTypes.slaMinutes,
      twoPersonRule: taskTypes.twoPersonRule,
      exceptionRuleCount: sql<number>`jsonb_array_length(${taskTypes.exceptionRules})::int`,
      itemsLast30Days: sql<number>`coalesce(${volume.submitted}, 0)::int`,
    })
    .from(taskTypes)
    .innerJoin(workspaces, and(eq(workspaces.id, taskTypes.workspaceId), eq(workspaces.organizationId, scope.organizationId)))
    .leftJoin(volume, eq(volume.taskTypeId, taskTypes.id))
    .where(eq(taskTypes.organizationId, scope.organizationId))
    .orderBy(asc(taskTypes.key));
  return rows;
}

export type TaskTypeListRow = Awaited<ReturnType<typeof listTaskTypes>>[number];

/** A stored task type's editable policy, in the editor's terms. */
export function policyOfRow(t: TaskType): TaskTypePolicy {
  const rule = t.twoPersonRule;
  const twoPersonRule = rule?.always ? { always: true as const } : typeof rule?.aboveAmount === "number" ? { aboveAmount: rule.aboveAmount } : null;
  return {
    name: t.name,
    workspaceId: t.workspaceId,
    mode: t.mode,
    reversible: t.reversible,
    dataClass: t.dataClass,
    customerFacing: t.customerFacing,
    confidenceThreshold: t.confidenceThreshold,
    amountLimit: t.amountLimit === null ? null : Number(t.amountLimit),
    amountCurrency: usesAmountCurrency({ ...t, twoPersonRule }) ? t.amountCurrency : null,
    amountPath: t.amountPath,
    amountCurrencyPath: t.amountCurrencyPath,
    auditSampleRate: t.auditSampleRate,
    slaMinutes: t.slaMinutes,
    defaultExpirySeconds: t.defaultExpirySeconds,
    readinessOverrides: t.readinessOverrides ?? {},
    twoPersonRule,
    exceptionRules: t.exceptionRules ?? [],
  };
}

/** One task type for its editor, or null when the organization has none by that key. */
export async function getTaskTypeForEdit(db: Executor, scope: Scope, key: string) {
  const [t] = await db
    .select()
    .from(taskTypes)
    .where(and(eq(taskTypes.organizationId, scope.organizationId), eq(taskTypes.key, key)));
  if (!t) return null;
  return { id: t.id, key: t.key, classified: t.classified, mode: t.mode, modeSince: t.modeSince, version: t.updatedAt.toISOString(), policy: policyOfRow(t) };
}

/** Where a task type may live: the workspaces that aren't archived, plus the one it is in now. */
export async function listWorkspaceChoices(db: Executor, scope: Scope, currentId?: string) {
  return db
    .select({ id: workspaces.id, name: workspaces.name, archived: sql<boolean>`${workspaces.archivedAt} is not null` })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), currentId ? or(isNull(workspaces.archivedAt), eq(workspaces.id, currentId)) : isNull(workspaces.archivedAt)))
    .orderBy(asc(workspaces.name));
}

/** The task type's latest items, to test an edited policy against. */
export async function listRecentReviews(db: Executor, scope: Scope, taskTypeId: string, limit = 10) {
  return db
    .select({
      id: reviews.id,
      title: reviews.title,
      status: reviews.status,
      createdAt: reviews.createdAt,
      confidence: reviews.confidence,
      amountValue: reviews.amountValue,
      amountCurrency: reviews.amountCurrency,
    })
    .from(reviews)
    .where(and(eq(reviews.organizationId, scope.organizationId), eq(reviews.taskTypeId, taskTypeId)))
    .orderBy(desc(reviews.createdAt))
    .limit(limit);
}

export type RoutingPreview = {
  reviewId: string;
  /** How the item was routed when it arrived. */
  then: { mode: TaskType["mode"]; needsHuman: boolean; reasons: string[] };
  /** How it would be routed under the edited policy (audit sampling left out: it is a coin toss). */
  now: Routing;
  /** The share of auto-approvals sampled for audit under the edited policy. */
  auditSampleRate: number;
  confidence: number | null;
  amount: { value: number; currency: string } | null;
};

/**
 * "Test against a recent item": routes one of the task type's items under an edited, unsaved policy
 * with the same pure `route` that routes submissions. Reads only.
 */
export async function previewRouting(db: Executor, scope: Scope, input: { key: string; reviewId: string; policy: TaskTypePolicy }): Promise<RoutingPreview> {
  const [item] = await db
    .select({ review: reviews })
    .from(reviews)
    .innerJoin(taskTypes, and(eq(taskTypes.id, reviews.taskTypeId), eq(taskTypes.organizationId, scope.organizationId)))
    .where(and(eq(reviews.organizationId, scope.organizationId), eq(reviews.id, input.reviewId), eq(taskTypes.key, input.key)));
  if (!item) throw new AppError("not_found", "That item isn't one of this task type's.", { fieldErrors: { previewReviewId: ["Choose one of this task type's items"] } });
  const r = item.review;
  const amount = r.amountValue === null || r.amountCurrency === null ? null : { value: Number(r.amountValue), currency: r.amountCurrency };
  const routing = route(policyOf({ ...input.policy, amountLimit: input.policy.amountLimit === null ? null : String(input.policy.amountLimit) }), {
    action: r.action,
    context: r.context,
    confidence: r.confidence,
    amount,
    attributes: r.attributes,
  }, () => 1);
  return {
    reviewId: r.id,
    then: { mode: r.mode, needsHuman: r.needsHuman, reasons: r.routingReasons },
    now: routing,
    auditSampleRate: input.policy.auditSampleRate,
    confidence: r.confidence,
    amount,
  };
}

export type TaskTypeSaveResult =
  | { changed: false }
  | { changed: true; changes: PolicyChanges; floorLoosened: boolean; version: string; workspaceNames: Record<string, string> };

/**
 * Saves the editor: the policy, the task type marked classified, the mode through `changeTaskTypeMode`
 * (so its history, webhook and audit entry stay in one place) and one `task_type.updated` audit entry
 * with the diff — all in one transaction. The floors are decided here, on the stored row as it is
 * now, whatever the form offered: a policy with an irreversible or PHI floor never runs in
 * `flag_on_exception`, and loosening a floor needs a written justification (flagged in the audit).
 * `version` (the row's `updatedAt` when the form was opened) keeps a second editor from silently
 * overwriting the first.
 */
export async function updateTaskTypePolicy(db: Db, scope: Scope, input: TaskTypeUpdate, now = new Date()): Promise<TaskTypeSaveResult> {
  if (!can(scope.role, "taskTypes.manage")) throw new AppError("forbidden", "Only admins change a task type's policy.");
  return db.transaction(async (tx) => {
    const [t] = await tx
      .select()
      .from(taskTypes)
      .where(and(eq(taskTypes.organizationId, scope.organizationId), eq(taskTypes.key, input.key)))
      .for("update");
    if (!t) throw new AppError("not_found", "No such task type.");
    if (t.updatedAt.getTime() !== Date.parse(input.version)) {
      throw new AppError("conflict", "Someone changed this task type after you opened it. Reload to see the current policy, then make your changes again; nothing was saved.");
    }
    // The new version is always later than the one opened, even within the same millisecond: otherwise a
    // save right after the last one would leave the version as it was, and a stale form would pass.
    const at = new Date(Math.max(now.getTime(), t.updatedAt.getTime() + 1));
    const before = policyOfRow(t);
    const after = input.policy;
    const changes = policyChanges(before, after);
    if (!t.classified) changes.classified = { from: false, to: true };
    if (Object.keys(changes).length === 0) return { changed: false } as const;

    const workspaceNames = await namesOfWorkspaces(tx, scope, before.workspaceId, after.workspaceId);
    if (changes.workspaceId) await checkWorkspace(tx, scope, after.workspaceId);
    refuseFloorViolations(before, after);
    const loosened = floorLoosenings(before, after);
    if (loosened.length > 0 && (input.justification ?? "").trim().length < MIN_JUSTIFICATION) {
      const what = loosened.map((l) => l.message.charAt(0).toLowerCase() + l.message.slice(1)).join("; ");
      throw new AppError("invalid", `This save loosens a floor (${what}): items that used to wait for a person may no longer. Explain why first.`, {
        fieldErrors: { justification: [`Explain why in at least ${MIN_JUSTIFICATION} characters; the audit log keeps your words with the change`] },
      });
    }

    await tx
      .update(taskTypes)
      .set({
        name: after.name,
        workspaceId: after.workspaceId,
        reversible: after.reversible,
        dataClass: after.dataClass,
        customerFacing: after.customerFacing,
        classified: true,
        confidenceThreshold: after.confidenceThreshold,
        amountLimit: after.amountLimit === null ? null : after.amountLimit.toFixed(2),
        amountCurrency: usesAmountCurrency(after) ? after.amountCurrency : null,
        amountPath: after.amountPath,
        amountCurrencyPath: after.amountCurrencyPath,
        auditSampleRate: after.auditSampleRate,
        slaMinutes: after.slaMinutes,
        defaultExpirySeconds: after.defaultExpirySeconds,
        readinessOverrides: after.readinessOverrides,
        twoPersonRule: after.twoPersonRule,
        exceptionRules: after.exceptionRules,
        updatedAt: at,
      })
      .where(and(eq(taskTypes.organizationId, scope.organizationId), eq(taskTypes.id, t.id)));
    // After the profile is saved, so the mode change checks its floors against the new profile.
    if (changes.mode) {
      await changeTaskTypeMode(tx as unknown as Db, scope, { taskTypeKey: t.key, toMode: after.mode, reason: "admin", evidence: { source: "task type editor" } }, at);
    }
    const diff: Record<string, unknown> = { ...changes };
    if (changes.workspaceId) {
      delete diff.workspaceId;
      diff.workspace = { from: workspaceNames[before.workspaceId], to: workspaceNames[after.workspaceId], fromId: before.workspaceId, toId: after.workspaceId };
    }
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "task_type.updated",
      targetType: "task_type",
      targetId: t.id,
      data: {
        key: t.key,
        changes: diff,
        ...(loosened.length > 0 ? { floorLoosened: true, loosened: loosened.map((l) => l.message), justification: input.justification?.trim() } : {}),
      },
    });
    return { changed: true, changes, floorLoosened: loosened.length > 0, version: at.toISOString(), workspaceNames } as const;
  });
}

/** The floors that refuse a save outright, explained on the fields that caused them. */
function refuseFloorViolations(before: TaskTypePolicy, after: TaskTypePolicy): void {
  const refusal = unattendedRefusal(after);
  if (!refusal) return;
  const fieldErrors: FieldErrors = { mode: [refusal] };
  if (before.mode === "flag_on_exception") {
    // The mode was already flag_on_exception: it is the new floor that can't be added without a stricter mode.
    if (before.reversible && !after.reversible) fieldErrors.reversible = ["An irreversible task type can't stay in flag on exception: choose a stricter mode in the same save"];
    if (before.dataClass !== "phi" && after.dataClass === "phi") fieldErrors.dataClass = ["A PHI task type can't stay in flag on exception: choose a stricter mode in the same save"];
  }
  throw new AppError("invalid", refusal, { fieldErrors });
}

/** The workspace a task type moves into: one of the organization's, open, and share-locked so an archive waits for the move and then sees it. */
async function checkWorkspace(tx: Executor, scope: Scope, workspaceId: string): Promise<void> {
  const [w] = await tx
    .select({ archivedAt: workspaces.archivedAt })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), eq(workspaces.id, workspaceId)))
    .for("share");
  if (!w) throw new AppError("invalid", "Choose one of your workspaces.", { fieldErrors: { workspaceId: ["Choose one of your workspaces"] } });
  if (w.archivedAt) throw new AppError("invalid", "That workspace is archived.", { fieldErrors: { workspaceId: ["That workspace is archived; choose another"] } });
}

async function namesOfWorkspaces(tx: Executor, scope: Scope, ...ids: string[]): Promise<Record<string, string>> {
  const rows = await tx
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), or(...ids.map((id) => eq(workspaces.id, id)))));
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}
