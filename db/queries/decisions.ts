import "server-only";
import { and, asc, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { canonicalJson } from "@/lib/data/canonical-json";
import { utcDay } from "@/lib/data/dates";
import { actionHashOf } from "@/lib/client/action-hash";
import { AppError } from "@/lib/errors";
import { notifyReviewChanged } from "../notify";
import { confidenceDecile, LATENCY_BUCKETS, latencyBucket, oneAt } from "@/lib/data/rollup-buckets";
import type { DecisionInput } from "@/lib/validation/queue";
import { isUniqueViolation } from "../errors";
import type { Db, Tx } from "../client";
import { decisions, reviews, users, type Review } from "../schema";
import { appendAudit } from "./audit";
import { addDecisionToReviewerRollup } from "./rollups";
import { visibleWorkspaceCondition } from "./queue";
import { reviewResource } from "./reviews";
import { enqueueWebhook } from "./webhooks";

const timeOf = (d: Date) => d.toISOString().slice(11, 16) + " UTC";
const intArray = (values: number[]) => sql.raw(`'{${values.join(",")}}'::int[]`);
/** Element-wise sum of two int arrays, for histogram columns in an upsert. */
const addArrays = (column: string) =>
  sql.raw(`(select array_agg(a + b order by i) from unnest(daily_rollups.${column}, excluded.${column}) with ordinality as t(a, b, i))`);

/**
 * Adds a person's decision to its task type's daily rollup — outcome, time on item, confidence decile
 * (accepted when approved unchanged), time from arrival to decision, SLA breach — in the decision's
 * transaction.
 */
async function addHumanDecisionToRollup(
  tx: Tx,
  p: { organizationId: string; taskTypeId: string; mode: Review["mode"]; at: Date; outcome: DecisionInput["outcome"]; timeOnItemMs: number; confidence: number | null; createdAt: Date; slaDueAt: Date | null },
) {
  // A request for changes is counted as a rejection: the AI's output wasn't accepted.
  const column = sql.raw({ approved: "approved", edited: "edited", rejected: "rejected", changes_requested: "rejected" }[p.outcome]);
  const decile = p.confidence === null ? null : confidenceDecile(p.confidence);
  const breached = p.slaDueAt !== null && p.at > p.slaDueAt ? 1 : 0;
  await tx.execute(sql`
    insert into daily_rollups (organization_id, task_type_id, mode, day, ${column}, time_on_item_ms_sum, time_on_item_count,
      confidence_decided, confidence_accepted, latency_buckets, sla_breached)
    values (${p.organizationId}, ${p.taskTypeId}, ${p.mode}, ${utcDay(p.at)}, 1, ${p.timeOnItemMs}, 1,
      ${intArray(oneAt(10, decile))}, ${intArray(oneAt(10, p.outcome === "approved" ? decile : null))},
      ${intArray(oneAt(LATENCY_BUCKETS, latencyBucket(p.at.getTime() - p.createdAt.getTime())))}, ${breached})
    on conflict (organization_id, task_type_id, mode, day) do update set
      ${column} = daily_rollups.${column} + 1,
      time_on_item_ms_sum = daily_rollups.time_on_item_ms_sum + excluded.time_on_item_ms_sum,
      time_on_item_count = daily_rollups.time_on_item_count + 1,
      confidence_decided = ${addArrays("confidence_decided")},
      confidence_accepted = ${addArrays("confidence_accepted")},
      latency_buckets = ${addArrays("latency_buckets")},
      sla_breached = daily_rollups.sla_breached + excluded.sla_breached`);
}

async function whoDecided(tx: Tx, organizationId: string, reviewId: string): Promise<string> {
  const [d] = await tx
    .select({ name: users.name })
    .from(decisions)
    .leftJoin(users, eq(users.id, decisions.reviewerId))
    .where(and(eq(decisions.organizationId, organizationId), eq(decisions.reviewId, reviewId), sql`${decisions.reviewerId} is not null`))
    .orderBy(desc(decisions.final), desc(decisions.createdAt))
    .limit(1);
  return d?.name ?? "someone else";
}

/** The approvals an item waiting for more than one already has (non-final human decisions), oldest first. */
async function priorApprovals(tx: Tx, organizationId: string, r: Review) {
  if (r.approvalsNeeded <= 1 || !r.blocking) return [];
  return tx
    .select({ reviewerId: decisions.reviewerId, outcome: decisions.outcome, reviewerOutcome: decisions.reviewerOutcome, action: decisions.action, draft: decisions.draft })
    .from(decisions)
    .where(and(eq(decisions.organizationId, organizationId), eq(decisions.reviewId, r.id), eq(decisions.final, false), isNotNull(decisions.reviewerId)))
    .orderBy(asc(decisions.createdAt));
}

export type DecideResult = {
  reviewId: string;
  status: Review["status"];
  /** The item's recorded outcome: `edited` when any approval of a two-person item edited. */
  outcome: DecisionInput["outcome"];
  auditSample: boolean;
  /** Only for an approval that still waits for another reviewer's: how many it has and needs. */
  awaiting?: { approvalsGiven: number; approvalsNeeded: number };
};

/**
 * A person's decision, in one transaction: lock the item, check it is visible to the scope, still
 * waiting, held by this reviewer (or free) and at the version they opened; write the decision
 * (append-only), the item, the rollup, the audit entry, the agent's webhook and the queue's notify.
 * Exactly one final decision per item: a second decider finds it decided (or taken) and changes nothing.
 *
 * Two-person items (`approvalsNeeded` 2): an approval (or edit) before the last one is recorded as a
 * non-final decision; the item stays pending, goes back to the queue for someone else, and neither the
 * agent nor the rollups hear of it yet. The next approver approves the action as the previous one left
 * it (edits included); the final outcome is `edited` if anyone edited. Whoever gave an approval can't
 * give another. A rejection by anyone ends it.
 */
export async function decideReview(db: Db, scope: Scope, input: DecisionInput, now = new Date()): Promise<DecideResult> {
  try {
    return await db.transaction(async (tx) => {
      const [r] = await tx
        .select()
        .from(reviews)
        .where(and(eq(reviews.id, input.reviewId), eq(reviews.organizationId, scope.organizationId), visibleWorkspaceCondition(scope)))
        .for("update");
      if (!r) throw new AppError("not_found", "No such item in your workspaces.");
      if (r.status === "expired") throw new AppError("conflict", "This item expired before it was decided; the agent was told it expired.");
      if (r.status === "cancelled") throw new AppError("conflict", "The agent cancelled this item; there is nothing to decide.");
      if (!r.needsHuman || r.reviewedAt !== null || (r.status !== "pending" && r.status !== "approved")) {
        throw new AppError("conflict", `This item was already decided by ${await whoDecided(tx, scope.organizationId, r.id)}. Nothing was changed.`);
      }
      const approvals = await priorApprovals(tx, scope.organizationId, r);
      if (approvals.some((a) => a.reviewerId === scope.userId)) {
        throw new AppError("conflict", "You gave the first approval; a second reviewer must approve. Nothing was changed.");
      }
      const heldByOther = r.claimedBy !== null && r.claimedBy !== scope.userId;
      if ((heldByOther && r.leaseExpiresAt && r.leaseExpiresAt > now) || r.version !== input.version) {
        if (heldByOther) {
          const [holder] = await tx.select({ name: users.name }).from(users).where(eq(users.id, r.claimedBy!));
          const until = r.leaseExpiresAt && r.leaseExpiresAt > now ? ` (their claim runs until ${timeOf(r.leaseExpiresAt)})` : "";
          throw new AppError("conflict", `This item was taken over by ${holder?.name ?? "another reviewer"}${until}. Your decision was not saved.`);
        }
        throw new AppError("conflict", "This item changed since you opened it. Reload it to see the latest before deciding.");
      }

      // What this reviewer saw and decides on: the agent's proposal, or the last approver's edit of it.
      const latest = approvals.at(-1);
      const base = { action: latest?.action ?? r.action, draft: latest ? latest.draft : r.draft };
      let action = base.action;
      let draft = base.draft;
      if (input.outcome === "edited") {
        action = input.action ?? base.action;
        draft = input.draft ?? base.draft;
        if (canonicalJson(action) === canonicalJson(base.action) && (draft ?? "") === (base.draft ?? "")) {
          throw new AppError("invalid", "Nothing was changed. Approve it as it is, or change the action or draft first.");
        }
      }

      const auditSample = !r.blocking;
      if (auditSample && input.outcome === "changes_requested") {
        throw new AppError("invalid", "This action already ran: record whether it was right (approve or reject) instead of requesting changes.");
      }
      const refusal = input.outcome === "rejected" || input.outcome === "changes_requested";
      const final = auditSample || refusal || approvals.length + 1 >= r.approvalsNeeded;
      // The item's outcome is `edited` only when someone changed the action: a later approver who only
      // approves an earlier approver's edit makes the item `edited`, but is recorded as `approved` themselves.
      const outcome: DecisionInput["outcome"] = input.outcome === "approved" && approvals.some((a) => (a.reviewerOutcome ?? a.outcome) === "edited") ? "edited" : input.outcome;
      const reviewerOutcome = input.outcome;
      const note = input.outcome === "changes_requested" ? input.instruction : input.note || null;
      const approvalsGiven = approvals.length + (refusal ? 0 : 1);

      if (!final) {
        await tx
          .update(reviews)
          .set({ claimedBy: null, leaseExpiresAt: null, version: sql`${reviews.version} + 1`, updatedAt: now })
          .where(and(eq(reviews.id, r.id), eq(reviews.organizationId, scope.organizationId)));
        await tx.insert(decisions).values({
          organizationId: scope.organizationId,
          reviewId: r.id,
          outcome,
          reviewerOutcome,
          final: false,
          action,
          draft,
          note,
          reviewerId: scope.userId,
          timeOnItemMs: input.timeOnItemMs,
          actionHash: actionHashOf(action),
          createdAt: now,
        });
        // The approver's own work counts for them now (per-reviewer rollups count every decision a person makes).
        await addDecisionToReviewerRollup(tx, { organizationId: scope.organizationId, reviewerId: scope.userId, taskTypeId: r.taskTypeId, at: now, outcome: reviewerOutcome, timeOnItemMs: input.timeOnItemMs });
        await appendAudit(tx, {
          organizationId: scope.organizationId,
          actorUserId: scope.userId,
          action: "review.first_approval",
          targetType: "review",
          targetId: r.id,
          data: { outcome, approvalsGiven, approvalsNeeded: r.approvalsNeeded, timeOnItemMs: input.timeOnItemMs },
        });
        await notifyReviewChanged(tx, { organizationId: scope.organizationId, reviewId: r.id, status: r.status, type: "approval" });
        return { reviewId: r.id, status: r.status, outcome, auditSample, awaiting: { approvalsGiven, approvalsNeeded: r.approvalsNeeded } };
      }

      const status: Review["status"] = auditSample ? r.status : refusal ? "rejected" : "approved";
      await tx
        .update(reviews)
        .set({
          status,
          reviewedAt: now,
          decidedAt: auditSample ? r.decidedAt : now,
          claimedBy: null,
          leaseExpiresAt: null,
          version: sql`${reviews.version} + 1`,
          updatedAt: now,
        })
        .where(and(eq(reviews.id, r.id), eq(reviews.organizationId, scope.organizationId)));
      await tx.insert(decisions).values({
        organizationId: scope.organizationId,
        reviewId: r.id,
        outcome,
        reviewerOutcome,
        // An audit review records what a person thought of an action that already ran; the agent's answer stays the auto-approval.
        final: !auditSample,
        action,
        draft,
        reason: input.outcome === "rejected" ? input.reason : null,
        note,
        reviewerId: scope.userId,
        timeOnItemMs: input.timeOnItemMs,
        actionHash: actionHashOf(action),
        createdAt: now,
      });
      // Counted once per item, with the final decision: a first approval is not a decision of its own.
      await addHumanDecisionToRollup(tx, {
        organizationId: scope.organizationId,
        taskTypeId: r.taskTypeId,
        mode: r.mode,
        at: now,
        outcome,
        timeOnItemMs: input.timeOnItemMs,
        confidence: r.confidence,
        createdAt: r.createdAt,
        slaDueAt: r.slaDueAt,
      });
      await addDecisionToReviewerRollup(tx, { organizationId: scope.organizationId, reviewerId: scope.userId, taskTypeId: r.taskTypeId, at: now, outcome: reviewerOutcome, timeOnItemMs: input.timeOnItemMs });
      await appendAudit(tx, {
        organizationId: scope.organizationId,
        actorUserId: scope.userId,
        action: auditSample ? "review.audited" : "review.decided",
        targetType: "review",
        targetId: r.id,
        data: {
          outcome,
          ...(reviewerOutcome !== outcome ? { reviewerOutcome } : {}),
          reason: input.outcome === "rejected" ? input.reason : null,
          timeOnItemMs: input.timeOnItemMs,
          ...(r.approvalsNeeded > 1 && !auditSample ? { approvalsGiven, approvalsNeeded: r.approvalsNeeded } : {}),
        },
      });
      if (!auditSample) {
        const resource = (await reviewResource(tx, scope.organizationId, r.id))!;
        await enqueueWebhook(tx, { organizationId: scope.organizationId, event: "review.decided", payload: { review: resource }, callbackUrl: r.callbackUrl, reviewId: r.id });
      }
      await notifyReviewChanged(tx, { organizationId: scope.organizationId, reviewId: r.id, status, type: "decided" });
      return { reviewId: r.id, status, outcome, auditSample };
    });
  } catch (e) {
    // The one-final-decision index is the last line of defence; its violation is the same conflict.
    if (isUniqueViolation(e)) throw new AppError("conflict", "This item was already decided by someone else. Nothing was changed.");
    throw e;
  }
}
