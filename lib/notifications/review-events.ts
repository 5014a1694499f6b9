import "server-only";
import { EventEmitter } from "node:events";
import { sql } from "drizzle-orm";
import { dbHandle, type Executor } from "@/db/client";

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

type Hub = { emitter: EventEmitter; ready: Promise<void> };
const globalForHub = globalThis as unknown as { __countersignReviewHub?: Hub };

function hub(): Hub {
  if (!globalForHub.__countersignReviewHub) {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    const ready = dbHandle()
      .listen(channelForReviews, (payload) => {
        try {
          const event = JSON.parse(payload) as ReviewEvent;
          emitter.emit(`review:${event.reviewId}`, event);
          emitter.emit(`org:${event.organizationId}`, event);
        } catch {
          // A malformed payload can only come from outside the app; ignore it.
        }
      })
      .then(() => undefined);
    globalForHub.__countersignReviewHub = { emitter, ready };
    // A failed LISTEN (database down at start) must be retried by the next waiter, not cached.
    ready.catch(() => {
      globalForHub.__countersignReviewHub = undefined;
    });
  }
  return globalForHub.__countersignReviewHub;
}

/**
 * Subscribes to one review's changes. Call it, then re-read the review (to close the race with a
 * change that committed in between), then await `next`.
 */
export async function subscribeToReview(reviewId: string): Promise<{ next: (timeoutMs: number, signal?: AbortSignal) => Promise<ReviewEvent | null>; close: () => void }> {
  const { emitter, ready } = hub();
  await ready;
  const key = `review:${reviewId}`;
  let resolveNext: ((e: ReviewEvent | null) => void) | undefined;
  let pending: ReviewEvent | null = null;
  const onEvent = (e: ReviewEvent) => {
    if (resolveNext) resolveNext(e);
    else pending = e;
  };
  emitter.on(key, onEvent);
  return {
    next: (timeoutMs, signal) =>
      new Promise((resolve) => {
        // Each event is handed out once; one that arrives between two calls waits for the next call.
        if (pending) {
          const e = pending;
          pending = null;
          return resolve(e);
        }
        const settle = (e: ReviewEvent | null) => {
          resolveNext = undefined;
          resolve(e);
        };
        const timer = setTimeout(() => settle(null), timeoutMs);
        const abort = () => settle(null);
        signal?.addEventListener("abort", abort, { once: true });
        resolveNext = (e) => {
          resolveNext = undefined;
          clearTimeout(timer);
          signal?.removeEventListener("abort", abort);
          resolve(e);
        };
      }),
    close: () => {
      emitter.off(key, onEvent);
    },
  };
}

/** Every review change of one organization (the live queue uses this). */
export async function onOrganizationReviewEvents(organizationId: string, listener: (e: ReviewEvent) => void): Promise<() => void> {
  const { emitter, ready } = hub();
  await ready;
  const key = `org:${organizationId}`;
  emitter.on(key, listener);
  return () => emitter.off(key, listener);
}
