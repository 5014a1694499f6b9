import "server-only";
import { EventEmitter } from "node:events";
import { dbHandle } from "@/db/client";
import { channelForReviews, type ReviewEvent } from "@/db/notify";

export type { ReviewEvent };

/** The listening side of review changes (db/notify.ts sends them): one LISTEN per instance, fanned out to waiters in memory. */
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
