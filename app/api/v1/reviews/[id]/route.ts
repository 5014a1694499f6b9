import { getReview } from "@/db/queries/reviews";
import { parseWith } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { subscribeToReview } from "@/lib/events";
import { WaitQuery } from "@/lib/validation/reviews";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// GET /api/v1/reviews/{id}?wait=N — the review and its decision; with `wait`, held open until decided (≤ 30 s)
export const GET = apiRoute<{ id: string }>("reviews:read", async ({ request, db, scope, params }) => {
  const { wait = 0 } = parseWith(WaitQuery, Object.fromEntries(new URL(request.url).searchParams), "The query has invalid parameters.");
  const notFound = new AppError("not_found", "No such review.");
  if (!UUID.test(params.id)) throw notFound;
  let review = await getReview(db, scope, params.id);
  if (!review) throw notFound;
  if (wait > 0 && review.status === "pending") {
    // Subscribe, then re-read: a decision that committed in between is seen either way.
    const subscription = await subscribeToReview(params.id);
    try {
      review = (await getReview(db, scope, params.id)) ?? review;
      const deadline = Date.now() + wait * 1000;
      while (review.status === "pending" && Date.now() < deadline) {
        const event = await subscription.next(deadline - Date.now(), request.signal);
        if (!event) break;
        review = (await getReview(db, scope, params.id)) ?? review;
      }
    } finally {
      subscription.close();
    }
  }
  return json(review);
});
