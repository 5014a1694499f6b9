import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { claimItem, getQueueItem, leaseMinutesOf } from "@/db/queries/queue";
import { ReviewItem, type ReviewItemView } from "@/components/queue/review-item";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Review item" };

/**
 * Opening an item claims it when it is free (or renews our own claim); someone else's claim opens it
 * read-only with who holds it and until when, and so does a two-person item this reviewer already
 * approved (the next approval must be someone else's).
 */
export default async function ReviewItemPage({ params }: { params: Promise<{ id: string }> }) {
  const scope = await requirePageScope("queue.work");
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const db = getDb();
  let item = await getQueueItem(db, scope, id.data);
  if (!item) notFound();
  let claim = item.claim;
  let version = item.review.version;
  if (item.inQueue && (!claim || claim.userId === scope.userId)) {
    const taken = await claimItem(db, scope, id.data, { leaseMinutes: await leaseMinutesOf(db, scope.organizationId) });
    if (taken) {
      claim = { userId: scope.userId, name: scope.name, until: taken.leaseExpiresAt.toISOString() };
      version = taken.version;
    } else {
      // Someone claimed (or decided) it between our read and our claim: show what happened.
      item = (await getQueueItem(db, scope, id.data)) ?? notFound();
      claim = item.claim;
      version = item.review.version;
    }
  }
  const r = item.review;
  const t = item.taskType;
  // A later approver approves the action as the previous approver left it (their edit included).
  const latest = item.approvals.at(-1);
  const view: ReviewItemView = {
    id: r.id,
    version,
    title: r.title ?? `Untitled ${t.name}`,
    status: r.status,
    inQueue: item.inQueue,
    auditSample: item.auditSample,
    priority: r.priority,
    externalId: r.externalId,
    reasons: r.routingReasons,
    mode: r.mode,
    taskType: { key: t.key, name: t.name, confidenceThreshold: t.confidenceThreshold, amountLimit: t.amountLimit === null ? null : Number(t.amountLimit), amountCurrency: t.amountCurrency },
    workspaceName: item.workspaceName,
    action: latest?.action ?? r.action,
    draft: latest ? latest.draft : r.draft,
    proposed: { action: r.action, draft: r.draft },
    context: r.context,
    confidence: r.confidence,
    amount: r.amountValue !== null && r.amountCurrency ? { value: Number(r.amountValue), currency: r.amountCurrency } : null,
    attributes: { ...r.attributes, irreversible: r.attributes.irreversible || !t.reversible, phi: r.attributes.phi || t.dataClass === "phi", customerFacing: r.attributes.customerFacing || t.customerFacing },
    createdAt: r.createdAt.toISOString(),
    slaDueAt: r.slaDueAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    claim,
    decision: item.decision
      ? {
          outcome: item.decision.outcome,
          reviewerName: item.decision.reviewerName,
          at: item.decision.createdAt.toISOString(),
          reason: item.decision.reason,
          note: item.decision.note,
          action: item.decision.action,
          draft: item.decision.draft,
        }
      : null,
    approvals: {
      needed: r.approvalsNeeded,
      given: item.approvals.map((a) => ({ userId: a.reviewerId, name: a.reviewerName, outcome: a.outcome, at: a.createdAt.toISOString() })),
    },
    original: item.original,
    timeline: item.timeline,
  };
  return <ReviewItem item={view} me={{ userId: scope.userId }} now={new Date().toISOString()} />;
}
