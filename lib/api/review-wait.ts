import "server-only";
import type { Executor } from "@/db/client";
import { getReview } from "@/db/queries/reviews";
import { subscribeToReview } from "@/lib/notifications/review-events";
import type { ReviewResource } from "@/lib/validation/reviews";
import type { ApiScope } from "./handler";

/**
 * The review, held until it leaves `pending` or `waitSeconds` pass (or `signal` aborts). Woken by
 * LISTEN/NOTIFY, so a decision made on any instance answers at once without polling the database.
 * Null for an unknown id or another organization's. Callers bound `waitSeconds` (30 s, in their schemas).
 */
export async function getReviewWaiting(db: Executor, scope: ApiScope, id: string, waitSeconds: number, signal?: AbortSignal): Promise<ReviewResource | null> {
  let review = await getReview(db, scope, id);
  if (!review || review.status !== "pending" || waitSeconds <= 0) return review;
  // Subscribe, then re-read: a decision that committed in between is seen either way.
  const subscription = await subscribeToReview(id);
  try {
    review = (await getReview(db, scope, id)) ?? review;
    const deadline = Date.now() + waitSeconds * 1000;
    while (review.status === "pending" && Date.now() < deadline && !signal?.aborted) {
      const event = await subscription.next(deadline - Date.now(), signal);
      if (!event) break;
      review = (await getReview(db, scope, id)) ?? review;
    }
  } finally {
    subscription.close();
  }
  return review;
}
