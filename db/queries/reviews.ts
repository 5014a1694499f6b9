import "server-only";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import type { ApiScope } from "@/lib/api/handler";
import { canonicalJson } from "@/lib/canonical-json";
import { sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { notifyReviewChanged } from "@/lib/events";
import { policyFloors, route, type Policy, type Routing } from "@/lib/policy";
import type { ReviewResource, ReviewSubmissionInput } from "@/lib/validation/reviews";
import type { Db, Executor, Tx } from "../client";
import { dailyRollups, decisions, organizations, reviews, taskTypes, users, workspaces, type Outcome, type Review, type TaskType } from "../schema";
import { appendAudit } from "./audit";
import { enqueueWebhook } from "./webhooks";

/** Who asked: an API key (agents) or nobody (the system, e.g. the expiry sweep). */
type Actor = { organizationId: string; apiKeyId?: string | null; userId?: string | null };

export function policyOf(t: TaskType): Policy {
  return {
    mode: t.mode,
    reversible: t.reversible,
    dataClass: t.dataClass,
    confidenceThreshold: t.confidenceThreshold,
    amountLimit: t.amountLimit === null ? null : Number(t.amountLimit),
    amountCurrency: t.amountCurrency,
    auditSampleRate: t.auditSampleRate,
    exceptionRules: t.exceptionRules,
  };
}

export function actionHash(action: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(action));
}

const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** Adds one decision to its task type's daily rollup, in the decision's transaction. */
export async function addToRollup(tx: Executor, params: { organizationId: string; taskTypeId: string; mode: Review["mode"]; at: Date; outcome: Outcome | "expired" }) {
  const column = { approved: "approved", edited: "edited", rejected: "rejected", auto_approved: "autoApproved", expired: "expired" } as const;
  const key = column[params.outcome];
  await tx
    .insert(dailyRollups)
    .values({ organizationId: params.organizationId, taskTypeId: params.taskTypeId, mode: params.mode, day: utcDay(params.at), [key]: 1 })
    .onConflictDoUpdate({
      target: [dailyRollups.organizationId, dailyRollups.taskTypeId, dailyRollups.mode, dailyRollups.day],
      set: { [key]: sql`${dailyRollups[key]} + 1` },
    });
}

async function resolveTaskType(tx: Tx, actor: Actor, key: string): Promise<TaskType> {
  const [existing] = await tx.select().from(taskTypes).where(and(eq(taskTypes.organizationId, actor.organizationId), eq(taskTypes.key, key)));
  if (existing) return existing;
  const [org] = await tx.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, actor.organizationId));
  if (org?.settings.autoRegisterTaskTypes === false) {
    throw new AppError("invalid", `Unknown task type "${key}", and this organization doesn't register new task types automatically.`, {
      fieldErrors: { taskType: [`Unknown task type "${key}"`] },
    });
  }
  const [workspace] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, actor.organizationId), eq(workspaces.isDefault, true)));
  if (!workspace) throw new AppError("conflict", "This organization has no default workspace to register a new task type in.");
  // New task types start strict: approve_before_action, unclassified, until an admin classifies them.
  const [created] = await tx
    .insert(taskTypes)
    .values({ organizationId: actor.organizationId, key, name: key, workspaceId: workspace.id, mode: "approve_before_action", classified: false })
    .onConflictDoNothing()
    .returning();
  if (!created) {
    const [raced] = await tx.select().from(taskTypes).where(and(eq(taskTypes.organizationId, actor.organizationId), eq(taskTypes.key, key)));
    return raced;
  }
  await appendAudit(tx, {
    organizationId: actor.organizationId,
    actorApiKeyId: actor.apiKeyId,
    action: "task_type.registered",
    targetType: "task_type",
    targetId: created.id,
    data: { key, mode: created.mode },
  });
  return created;
}

async function checkRevisionOf(tx: Tx, actor: Actor, revisionOf: string | undefined): Promise<void> {
  if (!revisionOf) return;
  const [original] = await tx
    .select({ status: reviews.status })
    .from(reviews)
    .where(and(eq(reviews.organizationId, actor.organizationId), eq(reviews.id, revisionOf)));
  if (!original || original.status !== "rejected") {
    throw new AppError("invalid", "`revisionOf` must be the id of a rejected review of this organization.", {
      fieldErrors: { revisionOf: [original ? `That review is ${original.status}, not rejected` : "No such review"] },
    });
  }
}

export type SubmitOptions = {
  random?: () => number;
  now?: Date;
  /** Runs inside the submission's transaction, e.g. to store the idempotent response with it. */
  onCommit?: (tx: Tx, resource: ReviewResource) => Promise<void>;
};

/**
 * An agent's submission: resolve (or register) the task type, route it with the pure policy, store
 * it — auto-approved items with their decision — audit it and queue its webhooks, in one transaction.
 */
export async function submitReview(db: Executor, scope: ApiScope, input: ReviewSubmissionInput, options: SubmitOptions = {}): Promise<ReviewResource> {
  const actor: Actor = { organizationId: scope.organizationId, apiKeyId: scope.apiKeyId };
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const taskType = await resolveTaskType(tx, actor, input.taskType);
    await checkRevisionOf(tx, actor, input.revisionOf);
    const routing: Routing = route(
      policyOf(taskType),
      { action: input.action, context: input.context, confidence: input.confidence, amount: input.amount, attributes: input.attributes },
      options.random,
    );
    const autoApproved = !routing.blocking;
    const expirySeconds = input.expiresInSeconds ?? taskType.defaultExpirySeconds ?? null;
    const [review] = await tx
      .insert(reviews)
      .values({
        organizationId: actor.organizationId,
        workspaceId: taskType.workspaceId,
        taskTypeId: taskType.id,
        apiKeyId: actor.apiKeyId,
        status: autoApproved ? "approved" : "pending",
        mode: taskType.mode,
        needsHuman: routing.needsHuman,
        blocking: routing.blocking,
        routingReasons: routing.reasons,
        title: input.title,
        action: input.action,
        draft: input.draft,
        context: input.context,
        confidence: input.confidence,
        amountValue: input.amount ? String(input.amount.value) : null,
        amountCurrency: input.amount?.currency,
        attributes: input.attributes ?? {},
        priority: input.priority ?? "normal",
        externalId: input.externalId,
        callbackUrl: input.callbackUrl,
        expiresAt: expirySeconds && !autoApproved ? new Date(now.getTime() + expirySeconds * 1000) : null,
        slaDueAt: routing.needsHuman ? new Date(now.getTime() + taskType.slaMinutes * 60_000) : null,
        revisionOf: input.revisionOf,
        createdAt: now,
        updatedAt: now,
        decidedAt: autoApproved ? now : null,
      })
      .returning();
    let decision: typeof decisions.$inferSelect | null = null;
    if (autoApproved) {
      [decision] = await tx
        .insert(decisions)
        .values({
          organizationId: actor.organizationId,
          reviewId: review.id,
          outcome: "auto_approved",
          action: input.action,
          draft: input.draft,
          actionHash: actionHash(input.action),
          createdAt: now,
        })
        .returning();
      await addToRollup(tx, { organizationId: actor.organizationId, taskTypeId: taskType.id, mode: taskType.mode, at: now, outcome: "auto_approved" });
    }
    await appendAudit(tx, {
      organizationId: actor.organizationId,
      actorApiKeyId: actor.apiKeyId,
      action: "review.submitted",
      targetType: "review",
      targetId: review.id,
      data: { taskType: taskType.key, status: review.status, reasons: routing.reasons, externalId: input.externalId ?? null },
    });
    // Built from the rows just written: no second round trip to read them back.
    const resource = toResource(review, taskType.key, decision ? { decision, reviewerName: null, reviewerEmail: null } : null);
    await enqueueWebhook(tx, { organizationId: actor.organizationId, event: "review.created", payload: { review: resource }, reviewId: review.id });
    if (autoApproved) {
      await enqueueWebhook(tx, { organizationId: actor.organizationId, event: "review.decided", payload: { review: resource }, callbackUrl: input.callbackUrl, reviewId: review.id });
    }
    await notifyReviewChanged(tx, { organizationId: actor.organizationId, reviewId: review.id, status: review.status, type: "created" });
    await options.onCommit?.(tx, resource);
    return resource;
  });
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

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
  return toResource(row.review, row.taskTypeKey, decision ?? null);
}

function toResource(
  r: Review,
  taskTypeKey: string,
  d: { decision: typeof decisions.$inferSelect; reviewerName: string | null; reviewerEmail: string | null } | null,
): ReviewResource {
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
          action: d.decision.action,
          draft: d.decision.draft,
          reason: d.decision.reason,
          note: d.decision.note,
          reviewer: d.reviewerName && d.reviewerEmail ? { name: d.reviewerName, email: d.reviewerEmail } : null,
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
  const byReview = new Map(decisionRows.map((d) => [d.decision.reviewId, d]));
  return {
    data: page.map((r) => toResource(r.review, r.taskTypeKey, byReview.get(r.review.id) ?? null)),
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
    floors: policyFloors(policyOf(t)),
  }));
}
