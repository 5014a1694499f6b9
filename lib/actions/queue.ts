"use server";

import { decideReview } from "@/db/queries/decisions";
import { claimNext, leaseMinutesOf, releaseLease, renewLease } from "@/db/queries/queue";
import { AppError } from "@/lib/errors";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { DecisionInput, LeaseInput, NextInput } from "@/lib/validation/queue";

/**
 * The reviewer's server actions. Each one authenticates and authorizes inside (scopedAction), parses
 * with zod (unknown fields are dropped), and scopes every statement by organization and workspace.
 */

/** "Next item": gives back the item being left (if any) and claims the most urgent free one. */
export const nextItemAction = scopedAction("queue.work", NextInput, async (input, { db, scope }) => {
  if (input.from) await releaseLease(db, scope, input.from);
  const claim = await claimNext(db, scope, { leaseMinutes: await leaseMinutesOf(db, scope.organizationId), skip: input.from });
  return ok({ id: claim?.id ?? null }, claim ? undefined : "Nothing is waiting in your workspaces right now.");
});

/** Keeps the open item's lease; after a takeover it says who has it now. */
export const renewLeaseAction = scopedAction("queue.work", LeaseInput, async (input, { db, scope }) => {
  const until = await renewLease(db, scope, { id: input.reviewId, version: input.version, leaseMinutes: await leaseMinutesOf(db, scope.organizationId) });
  if (!until) throw new AppError("conflict", "You no longer hold this item: it was decided, cancelled, or taken over after your claim ran out.");
  return ok({ until: until.toISOString() });
});

/**
 * Approve, edit then approve, or reject — then claim the next item, so the reviewer moves straight on
 * ("approve & next"). The decision and the next claim are separate transactions: a failed claim
 * never undoes a decision. The first approval of a two-person item goes back to the queue for a
 * second reviewer (the next claim never hands it to the same person).
 */
export const decideAction = scopedAction("reviews.decide", DecisionInput, async (input, { db, scope }) => {
  const result = await decideReview(db, scope, input);
  const next = await claimNext(db, scope, { leaseMinutes: await leaseMinutesOf(db, scope.organizationId) });
  const verb = { approved: "Approved", edited: "Edited and approved", rejected: "Rejected", changes_requested: "Sent back with your instruction" }[input.outcome];
  const message = result.awaiting
    ? `${input.outcome === "edited" ? "Edited and approved" : "Approved"}: ${result.awaiting.approvalsGiven} of ${result.awaiting.approvalsNeeded} approvals. Another reviewer must approve before the agent is told.`
    : result.auditSample
      ? `Audit review recorded (${verb.toLowerCase()}).`
      : `${verb}. The agent has been told.`;
  return ok({ ...result, nextId: next?.id ?? null }, message);
});
