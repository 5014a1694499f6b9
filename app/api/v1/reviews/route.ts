import { listReviews } from "@/db/queries/reviews";
import { parseWith, readJsonBody } from "@/lib/api/body";
import { apiRoute, apiRouteAuthorizingItself, authorize, json } from "@/lib/api/handler";
import { idempotencyKeyOf } from "@/lib/api/idempotency";
import { submitOne } from "@/lib/submissions/submit";
import { ListReviewsQuery } from "@/lib/validation/reviews";
import { methodNotAllowed } from "@/lib/api/problem";

// POST /api/v1/reviews — an agent submits a proposed action or draft
// The hot path: key check, rate limit, idempotency claim and lookups are one statement, the writes another.
export const POST = apiRouteAuthorizingItself("reviews:write", async ({ request, db, authority }) => {
  let key: string | undefined;
  let body: unknown;
  try {
    key = idempotencyKeyOf(request);
    body = await readJsonBody(request);
  } catch (e) {
    // A bad key or a limit still answers first, as when authorization runs before reading.
    await authorize(db, authority);
    throw e;
  }
  const result = await submitOne(db, { authority }, body, key);
  return new Response(result.body, {
    status: result.status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...(result.replayed ? { "idempotent-replayed": "true" } : {}) },
  });
});

// GET /api/v1/reviews — an agent lists its organization's reviews, newest first
export const GET = apiRoute("reviews:read", async ({ request, db, scope }) => {
  const query = parseWith(ListReviewsQuery, Object.fromEntries(new URL(request.url).searchParams), "The query has invalid parameters.");
  return json(await listReviews(db, scope, query));
});

// Any other method: a problem+json 405
const refuse = methodNotAllowed("GET", "POST");
export { refuse as PUT, refuse as PATCH, refuse as DELETE };
