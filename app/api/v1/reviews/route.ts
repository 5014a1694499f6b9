import { listReviews } from "@/db/queries/reviews";
import { parseWith, readJsonBody } from "@/lib/api/body";
import { apiRoute, json } from "@/lib/api/handler";
import { idempotencyKeyOf } from "@/lib/api/idempotency";
import { submitOne } from "@/lib/api/reviews";
import { ListReviewsQuery } from "@/lib/validation/reviews";

// POST /api/v1/reviews — an agent submits a proposed action or draft
export const POST = apiRoute("reviews:write", async ({ request, db, scope }) => {
  const key = idempotencyKeyOf(request);
  const body = await readJsonBody(request);
  const result = await submitOne(db, scope, body, key);
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
