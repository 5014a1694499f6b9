import { parseWith } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/handler";
import { getReviewWaiting } from "@/lib/api/review-wait";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/data/uuid";
import { WaitQuery } from "@/lib/validation/reviews";
import { methodNotAllowed } from "@/lib/api/problem";

// GET /api/v1/reviews/{id}?wait=N — the review and its decision; with `wait`, held open until decided (≤ 30 s)
export const GET = apiRoute<{ id: string }>("reviews:read", async ({ request, db, scope, params }) => {
  const { wait = 0 } = parseWith(WaitQuery, Object.fromEntries(new URL(request.url).searchParams), "The query has invalid parameters.");
  const review = isUuid(params.id) ? await getReviewWaiting(db, scope, params.id, wait, request.signal) : null;
  if (!review) throw new AppError("not_found", "No such review.");
  return json(review);
});

// Any other method: a problem+json 405
const refuse = methodNotAllowed("GET");
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE };
