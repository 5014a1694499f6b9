import "server-only";
import { and, asc, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { ApiScope } from "@/db/scope";
import { utcDay } from "@/lib/data/dates";
import { AppError } from "@/lib/errors";
import { notifyReviewChanged } from "../notify";
import { policyFloors, type Policy } from "@/lib/policy";
import type { ReviewResource } from "@/lib/validation/reviews";
import type { Db, Executor } from "../client";
import { dailyRollups, decisions, reviews, taskTypes, users, type Outcome, type Review, type TaskType } from "../schema";
import { appendAudit } from "./audit";
import { enqueueWebhook } from "./webhooks";

/** A task type's routing policy (any object with the task type's policy columns will do). */
export function policyOf(
  t: Pick<
    TaskType,
    "mode" | "reversible" | "dataClass" | "confidenceThreshold" | "amountLimit" | "amountCurrency" | "amountPath" | "amountCurrencyPath" | "auditSampleRate" | "exceptionRules" | "twoPersonRule"
  >,
): Policy {
  return {
    mode: t.mode,
    reversible: t.reversible,
    dataClass: t.dataClass,
    confidenceThreshold: t.confidenceThreshold,
    amountLimit: t.amountLimit === null ? null : Number(t.amountLimit),
    amountCurrency: t.amountCurrency,
    amountPath: t.amountPath,
    amountCurrencyPath: t.amountCurrencyPath,
    auditSampleRate: t.auditSampleRate,
    exceptionRules: t.exceptionRules,
    twoPersonRule: t.twoPersonRule,
  };
}



/** Adds one decision to its task type's daily rollup, in the decision's transaction. */
export async function addToRollup(tx: Executor, params: { organizationId: string; taskTypeId: string; mode: Review["mode"]; at: Date; outcome: Outcome | "expired" }) {
  const column = { approved: "approved", edited: "edited", rejected: "rejected", changes_requested: "rejected", auto_approved: "autoApproved", expired: "expired" } as const;
  const key = column[params.outcome];
  await tx
    .insert(dailyRollups)
    .values({ organizationId: params.organizationId, taskTypeId: params.taskTypeId, mode: params.mode, day: utcDay(params.at), [key]: 1 })
    .onConflictDoUpdate({
      target: [dailyRollups.organizationId, dailyRollups.taskTypeId, dailyRollups.mode, dailyRollups.day],
      set: { [key]: sql`${dailyRollups[key]} + 1` },
    });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type DecisionRow = { decision: typeof decisions.$inferSelect; reviewerName: string | null; reviewerEmail: string | null };

/** The review as the API shows it; null for an unknown id or another organization's (indistinguishable). */
export async function reviewResource(db: Executor, organizationId: string, id: string): Promise<ReviewResource | null> {
  const [row] = await db
    .select({ review: reviews, taskTypeKey: taskTypes.key })
    .from(reviews)
    .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
    .where(and(eq(reviews.organizationId, organizationId), eq(reviews.id, id)));
  if (!row) return null;
  const [decision] = await db
    .select({ decision: decisions, reviewerName: users.name, reviewerEmail: users.email })
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.reviewerId))
    .where(and(eq(decisions.organizationId, organizationId), eq(decisions.reviewId, id), eq(decisions.final, true)));
  // A blocking item's earlier approvals (two-person rule), each with what that person did.
  const approvals =
    decision && row.review.approvalsNeeded > 1 && row.review.blocking
      ? await db
          .select({ decision: decisions, reviewerName: users.name, reviewerEmail: users.email })
          .from(decisions)
          .leftJoin(users, eq(users.id, decisions.reviewerId))
          .where(and(eq(decisions.organizationId, organizationId), eq(decisions.reviewId, id), eq(decisions.final, false)))
          .orderBy(asc(decisions.createdAt))
      : [];
  return toResource(row.review, row.taskTypeKey, decision ? { ...decision, approvals } : null);
}

/** The review as the API shows it, from its row (and its final decision's, if any). */
export function toResource(
  r: Review,
  taskTypeKey: string,
  d: (DecisionRow & { approvals?: DecisionRow[] }) | null,
): ReviewResource {
  const reviewer = (x: DecisionRow) => (x.reviewerName && x.reviewerEmail ? { name: x.reviewerName, email: x.reviewerEmail } : null);
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    taskType: taskTypeKey,
    title: r.title,
    action: r.action,
    draft: r.draft,
    context: r.context,
    confidence: r.confidence,
    amount: r.amountValue !== null && r.amountCurrency ? { value: Number(r.amountValue), currency: r.amountCurrency } : null,
    attributes: r.attributes,
    priority: r.priority,
    externalId: r.externalId,
    callbackUrl: r.callbackUrl,
    revisionOf: r.revisionOf,
    routing: { needsHuman: r.needsHuman, blocking: r.blocking, reasons: r.routingReasons },
    createdAt: r.createdAt.toISOString(),
    expiresAt: iso(r.expiresAt),
    decidedAt: iso(r.decidedAt),
    decision: d
      ? {
          outcome: d.decision.outcome,
          instruction: d.decision.outcome === "changes_requested" ? d.decision.note : null,
          approvals: (d.approvals ?? []).map((a) => ({
            reviewer: reviewer(a),
            outcome: (a.decision.reviewerOutcome ?? a.decision.outcome) === "edited" ? ("edited" as const) : ("approved" as const),
            decidedAt: a.decision.createdAt.toISOString(),
          })),
          action: d.decision.action,
          draft: d.decision.draft,
          reason: d.decision.reason,
          note: d.decision.note,
          reviewer: reviewer(d),
          decidedAt: d.decision.createdAt.toISOString(),
          actionHash: d.decision.actionHash,
        }
      : null,
  };
}

export function getReview(db: Executor, scope: ApiScope, id: string): Promise<ReviewResource | null> {
  return reviewResource(db, scope.organizationId, id);
}

function encodeCursor(r: { createdAt: Date; id: string }): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at);
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("invalid", "That cursor isn't one this API gave out.", { fieldErrors: { cursor: ["Invalid cursor"] } });
  }
  return { createdAt, id };
}

/** Newest first, keyset-paginated: the cursor is the last row's (createdAt, id). */
export async function listReviews(
  db: Executor,
  scope: ApiScope,
  params: { status?: Review["status"]; taskType?: string; externalId?: string; cursor?: string; limit: number },
): Promise<{ data: ReviewResource[]; nextCursor: string | null }> {
  const after = params.cursor ? decodeCursor(params.cursor) : null;
  const rows = await db
    .select({ review: reviews, taskTypeKey: taskTypes.key })
    .from(reviews)
    .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
    .where(
      and(
        eq(reviews.organizationId, scope.organizationId),
        params.status ? eq(reviews.status, params.status) : undefined,
        params.taskType ? eq(taskTypes.key, params.taskType) : undefined,
        params.externalId ? eq(reviews.externalId, params.externalId) : undefined,
        after ? or(lt(reviews.createdAt, after.createdAt), and(eq(reviews.createdAt, after.createdAt), lt(reviews.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit);
  const decided = page.filter((r) => r.review.decidedAt).map((r) => r.review.id);
  const decisionRows = decided.length
    ? await db
        .select({ decision: decisions, reviewerName: users.name, reviewerEmail: users.email })
        .from(decisions)
        .leftJoin(users, eq(users.id, decisions.reviewerId))
        .where(and(eq(decisions.organizationId, scope.organizationId), eq(decisions.final, true), sql`${decisions.reviewId} in ${decided}`))
    : [];
  const twoPerson = page.filter((r) => r.review.decidedAt && r.review.blocking && r.review.approvalsNeeded > 1).map((r) => r.review.id);
  const approvalRows = twoPerson.length
    ? await db
        .select({ decision: decisions, reviewerName: users.name, reviewerEmail: users.email })
        .from(decisions)
        .leftJoin(users, eq(users.id, decisions.reviewerId))
        .where(and(eq(decisions.organizationId, scope.organizationId), eq(decisions.final, false), inArray(decisions.reviewId, twoPerson)))
        .orderBy(asc(decisions.createdAt))
    : [];
  const byReview = new Map(decisionRows.map((d) => [d.decision.reviewId, d]));
  const approvalsOf = (id: string) => approvalRows.filter((a) => a.decision.reviewId === id);
  return {
    data: page.map((r) => {
      const d = byReview.get(r.review.id);
      return toResource(r.review, r.taskTypeKey, d ? { ...d, approvals: approvalsOf(r.review.id) } : null);
    }),
    nextCursor: rows.length > params.limit ? encodeCursor(page[page.length - 1].review) : null,
  };
}

/** Cancels a pending review; a decided one can't be (409), an unknown one is 404. */
export async function cancelReview(db: Db, scope: ApiScope, id: string): Promise<ReviewResource> {
  return db.transaction(async (tx) => {
    const now = new Date();
    const [cancelled] = await tx
      .update(reviews)
      .set({ status: "cancelled", decidedAt: now, updatedAt: now, version: sql`${reviews.version} + 1`, claimedBy: null, leaseExpiresAt: null })
      .where(and(eq(reviews.organizationId, scope.organizationId), eq(reviews.id, id), eq(reviews.status, "pending")))
      .returning({ id: reviews.id, callbackUrl: reviews.callbackUrl });
    if (!cancelled) {
      const existing = await reviewResource(tx, scope.organizationId, id);
      if (!existing) throw new AppError("not_found", "No such review.");
      throw new AppError("conflict", `This review is already ${existing.status} and can't be cancelled.`);
    }
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorApiKeyId: scope.apiKeyId,
      action: "review.cancelled",
      targetType: "review",
      targetId: id,
    });
    const resource = (await reviewResource(tx, scope.organizationId, id))!;
    await enqueueWebhook(tx, { organizationId: scope.organizationId, event: "review.cancelled", payload: { review: resource }, callbackUrl: cancelled.callbackUrl, reviewId: id });
    await notifyReviewChanged(tx, { organizationId: scope.organizationId, reviewId: id, status: "cancelled", type: "cancelled" });
    return resource;
  });
}

/**
 * Fail closed: pending items past `expiresAt` become `expired` (never approved by silence), leave the
 * queue and notify their agent. Several instances may sweep at once (SKIP LOCKED).
 */
export async function expireDueReviews(db: Db, params: { limit?: number; now?: Date } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    const now = params.now ?? new Date();
    const expired = await tx.execute<{ id: string; organization_id: string; task_type_id: string; mode: Review["mode"]; callback_url: string | null }>(sql`
      with due as (
        select id from ${reviews}
        where ${reviews.status} = 'pending' and ${reviews.expiresAt} <= ${now.toISOString()}
        order by ${reviews.expiresAt}
        limit ${params.limit ?? 100}
        for update skip locked
      )
      update ${reviews} set status = 'expired', decided_at = ${now.toISOString()}, updated_at = ${now.toISOString()},
        version = ${reviews.version} + 1, claimed_by = null, lease_expires_at = null
      from due where ${reviews.id} = due.id
      returning ${reviews.id}, ${reviews.organizationId}, ${reviews.taskTypeId}, ${reviews.mode}, ${reviews.callbackUrl}`);
    const rows = (Array.isArray(expired) ? expired : (expired as unknown as { rows: typeof expired }).rows) as unknown as {
      id: string;
      organization_id: string;
      task_type_id: string;
      mode: Review["mode"];
      callback_url: string | null;
    }[];
    for (const row of rows) {
      await addToRollup(tx, { organizationId: row.organization_id, taskTypeId: row.task_type_id, mode: row.mode, at: now, outcome: "expired" });
      await appendAudit(tx, { organizationId: row.organization_id, action: "review.expired", targetType: "review", targetId: row.id });
      const resource = (await reviewResource(tx, row.organization_id, row.id))!;
      await enqueueWebhook(tx, { organizationId: row.organization_id, event: "review.expired", payload: { review: resource }, callbackUrl: row.callback_url, reviewId: row.id });
      await notifyReviewChanged(tx, { organizationId: row.organization_id, reviewId: row.id, status: "expired", type: "expired" });
    }
    return rows.length;
  });
}

/** Task types as agents see them: enough to plan whether a person will look first. */
export async function listTaskTypesForApi(db: Executor, scope: ApiScope) {
  const rows = await db.select().from(taskTypes).where(eq(taskTypes.organizationId, scope.organizationId)).orderBy(taskTypes.key);
  return rows.map((t) => ({
    key: t.key,
    name: t.name,
    mode: t.mode,
    classified: t.classified,
    needsHumanByDefault: t.mode !== "flag_on_exception",
    confidenceThreshold: t.confidenceThreshold,
    amountLimit: t.amountLimit !== null && t.amountCurrency ? { value: Number(t.amountLimit), currency: t.amountCurrency } : null,
    amountPath: t.amountPath,
    amountCurrencyPath: t.amountCurrencyPath,
    floors: policyFloors(policyOf(t)),
  }));
}
