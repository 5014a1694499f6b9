import type { ApprovalView } from "../approvals";

/** What the item page shows: plain, serialisable props for the client component. */
export type ReviewItemView = {
  id: string;
  version: number;
  title: string;
  status: string;
  inQueue: boolean;
  auditSample: boolean;
  priority: string;
  externalId: string | null;
  reasons: string[];
  mode: string;
  taskType: { key: string; name: string; confidenceThreshold: number; amountLimit: number | null; amountCurrency: string | null };
  workspaceName: string;
  /** What a decision approves: the agent's proposal, or a previous approver's edit of it. */
  action: Record<string, unknown>;
  draft: string | null;
  /** The agent's proposal as sent. */
  proposed: { action: Record<string, unknown>; draft: string | null };
  context: Record<string, unknown> | null;
  confidence: number | null;
  amount: { value: number; currency: string } | null;
  attributes: { irreversible?: boolean; phi?: boolean; customerFacing?: boolean; flagged?: boolean };
  createdAt: string;
  slaDueAt: string | null;
  expiresAt: string | null;
  claim: { userId: string; name: string; until: string } | null;
  decision: { outcome: string; reviewerName: string | null; at: string; reason: string | null; note: string | null; action: Record<string, unknown>; draft: string | null } | null;
  /** Two-person items: how many approvals it needs and those given so far (before its final decision). */
  approvals: { needed: number; given: ApprovalView[] };
  original: { id: string; title: string | null; action: Record<string, unknown>; draft: string | null; outcome: string | null; reason: string | null; note: string | null } | null;
  timeline: { at: string; action: string; actor: string | null; data: Record<string, unknown> }[];
};

/** Where the item sits in the queue view the reviewer came from (its filters and sort), for "3 of 17" and `[` / `]`. */
export type ReviewItemPosition = { index: number; total: number; prevId: string | null; nextId: string | null };

type Json = Record<string, unknown>;

/**
 * What the mapping reads of a queue item (the item page passes getQueueItem's row, which has these and
 * more): declared here, so components never import db/ (see the layering in the README).
 */
export type QueueItemSource = {
  review: {
    id: string;
    title: string | null;
    status: string;
    priority: string;
    externalId: string | null;
    routingReasons: string[];
    mode: string;
    action: Json;
    draft: string | null;
    context: Json | null;
    confidence: number | null;
    amountValue: string | number | null;
    amountCurrency: string | null;
    attributes: ReviewItemView["attributes"];
    createdAt: Date;
    slaDueAt: Date | null;
    expiresAt: Date | null;
    approvalsNeeded: number;
  };
  taskType: { key: string; name: string; confidenceThreshold: number; amountLimit: string | number | null; amountCurrency: string | null; reversible: boolean; dataClass: string; customerFacing: boolean };
  workspaceName: string;
  inQueue: boolean;
  auditSample: boolean;
  approvals: { action: Json; draft: string | null; reviewerId: string | null; reviewerName: string | null; outcome: string; createdAt: Date }[];
  decision: { outcome: string; reviewerName: string | null; createdAt: Date; reason: string | null; note: string | null; action: Json; draft: string | null } | null;
  original: ReviewItemView["original"];
  timeline: ReviewItemView["timeline"];
};

/** The item page's view of a queue item, with the claim and version as they stand after opening it. */
export function toReviewItemView(item: QueueItemSource, claim: ReviewItemView["claim"], version: number): ReviewItemView {
  const r = item.review;
  const t = item.taskType;
  // A later approver approves the action as the previous approver left it (their edit included).
  const latest = item.approvals.at(-1);
  return {
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
}
