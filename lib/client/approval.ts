import { createHash } from "node:crypto";
import { matchesActionHash } from "./action-hash";
import type { CountersignClient } from "./index";
import type { JsonObject, Outcome, Review, ReviewSubmission } from "./types";

/**
 * `requestApproval`: the one primitive every framework adapter uses. Submit (keyed by the framework's
 * call id, so a retried step answers the same review instead of creating a second one), wait (long-poll,
 * resumed across the server's 30 s cap, until the caller's deadline or signal), and answer either the
 * approved — possibly edited — action with its verified hash, or a refusal with the reviewer's reason.
 */

export type Approved = {
  approved: true;
  /** The action to execute: the reviewer's edit when they edited it, else the proposal. */
  action: JsonObject;
  /** Verified: `action` hashes to it (RFC 8785 canonical JSON, SHA-256). */
  actionHash: string;
  /** The approved draft, when the item had one (possibly edited). */
  draft: string | null;
  /** `approved`, `edited` or `auto_approved`. */
  outcome: Outcome;
  /** True when the reviewer changed the action or the draft. */
  edited: boolean;
  review: Review;
};

export type Refused = {
  approved: false;
  /** For the agent: why it must not act (the reviewer's reason and note, or what ended the review). */
  reason: string;
  /**
   * `rejected`, `changes_requested` (or another outcome a newer server adds) for a person's refusal;
   * `expired`, `cancelled`, or `timeout` (no decision before the caller's deadline) otherwise.
   */
  outcome: Outcome | "expired" | "cancelled" | "timeout";
  review: Review;
};

export type ApprovalResult = Approved | Refused;

export type RequestApprovalOptions = {
  /**
   * The framework's id for this call (a tool call id, a run and interrupt id…). The same id always
   * answers the same review: resubmitting after a crash or retry never creates a second one.
   */
  callId: string;
  /** Give up waiting after this long (default 3600). */
  timeoutSeconds?: number;
  /** Stops the wait (the review stays pending and a later call with the same `callId` picks it up). */
  signal?: AbortSignal;
  /** At the deadline: withdraw the review so nobody decides a call that no longer waits (default true). */
  cancelOnTimeout?: boolean;
};

/** The Idempotency-Key for a call id: printable ASCII, bounded, the same on every retry. */
export function idempotencyKeyFor(callId: string): string {
  return `cs-call-${createHash("sha256").update(callId, "utf8").digest("hex")}`;
}

function quoted(text: string): string {
  return JSON.stringify(text);
}

/** What the model is told when a review ends without approval. */
export function refusalReason(review: Review): string {
  const d = review.decision;
  const by = d?.reviewer ? ` by ${d.reviewer.name}` : "";
  if (review.status === "expired") return "Not approved: the review expired before anyone decided it. Do not perform the action.";
  if (review.status === "cancelled") return "Not approved: the review was cancelled. Do not perform the action.";
  const parts: string[] = [];
  if (d?.reason) parts.push(`Reason: ${quoted(d.reason)}.`);
  // A changes request (and any later outcome) may carry the reviewer's instruction in a field of its own.
  for (const field of ["instruction", "instructions", "changes"]) {
    const value = d?.[field];
    if (typeof value === "string" && value.trim()) parts.push(`Instruction: ${quoted(value)}.`);
  }
  if (d?.note) parts.push(`Reviewer's note: ${quoted(d.note)}.`);
  const what = d?.outcome === "changes_requested" ? "Changes requested" : "Rejected";
  return `${what}${by}: do not perform the action as proposed. ${parts.join(" ") || "No reason given."}`.trim();
}

/** Turns a decided (or still pending) review into the adapters' answer; throws on an action that doesn't match its hash. */
export function approvalResultOf(review: Review): ApprovalResult {
  if (review.status === "approved" && review.decision) {
    const { action, actionHash, draft, outcome } = review.decision;
    if (!matchesActionHash(action, actionHash)) throw new Error(`Review ${review.id}: the decision's action does not match its actionHash; refusing to execute it.`);
    return { approved: true, action, actionHash, draft, outcome, edited: outcome === "edited", review };
  }
  if (review.status === "pending") {
    return { approved: false, outcome: "timeout", reason: "Not approved: no decision arrived in time. Do not perform the action.", review };
  }
  const outcome = review.status === "rejected" ? (review.decision?.outcome ?? "rejected") : review.status === "approved" ? "rejected" : review.status;
  return { approved: false, outcome, reason: refusalReason(review), review };
}

/** Submits the item (idempotently, keyed by `callId`) and waits for its decision. */
export async function requestApproval(client: CountersignClient, submission: ReviewSubmission, options: RequestApprovalOptions): Promise<ApprovalResult> {
  if (!options.callId) throw new TypeError("requestApproval needs a callId (the framework's id for this call).");
  const timeoutSeconds = options.timeoutSeconds ?? 3600;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const submitted = await client.submit(submission, { idempotencyKey: idempotencyKeyFor(options.callId), signal: options.signal });
  let review = submitted;
  if (review.status === "pending") {
    review = await client.waitForDecision(submitted.id, { timeoutSeconds: Math.max(0, (deadline - Date.now()) / 1000), signal: options.signal });
  }
  if (review.status === "pending" && options.cancelOnTimeout !== false) {
    // Withdrawn so nobody decides a call that no longer waits. Decided in the meantime: that decision stands.
    review = await client.cancel(review.id).catch(() => client.get(review.id));
  }
  return approvalResultOf(review);
}
