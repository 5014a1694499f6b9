import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "./client";

/**
 * Review changes fan out through PostgreSQL LISTEN/NOTIFY (PGlite implements both), so a waiter on
 * one instance is woken by a decision made on another. NOTIFY inside a transaction is delivered
 * only on commit, so nobody is woken for a change that rolled back.
 */
export const channelForReviews = "countersign_reviews";

export type ReviewEvent = { organizationId: string; reviewId: string; status: string; type: string };

export async function notifyReviewChanged(tx: Executor, event: ReviewEvent): Promise<void> {
  await tx.execute(sql`select pg_notify(${channelForReviews}, ${JSON.stringify(event)})`);
}

const pendingAnnouncements = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * Tells open queues of an organization that something changed, at most once per `delayMs` per
 * instance. For frequent, queue-wide changes (claims, agents' submissions): every NOTIFY takes a
 * cluster-wide lock at commit, so one per claim inside the claiming statement would serialize all
 * claims, and one per submission costs a statement of its own. Queues only re-read what they show,
 * so one coalesced event carries enough (no review id).
 */
export function announceQueueChange(db: Executor, organizationId: string, type: string, delayMs = 250): void {
  if (pendingAnnouncements.has(organizationId)) return;
  pendingAnnouncements.set(
    organizationId,
    setTimeout(() => {
      pendingAnnouncements.delete(organizationId);
      notifyReviewChanged(db, { organizationId, reviewId: "", status: "", type }).catch(() => {
        // Best effort: a queue that misses this refreshes on the next change.
      });
    }, delayMs),
  );
}
