import { parseWith, readJsonBody } from "@/lib/api/body";
import { apiRoute, problemOf } from "@/lib/api/handler";
import { submitReviews, type SubmissionEntry, type SubmissionOutcome } from "@/lib/submissions/submit";
import { IdempotencyKey, BatchSubmission } from "@/lib/validation/reviews";
import { methodNotAllowed } from "@/lib/api/problem";

// POST /api/v1/reviews/batch — up to 100 submissions; one result per item, in order; a bad item doesn't sink the rest
export const POST = apiRoute("reviews:write", async ({ request, db, scope, requestId }) => {
  const { items } = parseWith(BatchSubmission, await readJsonBody(request), "The batch is invalid.");
  const outcomes: SubmissionOutcome[] = new Array(items.length);
  const entries: SubmissionEntry[] = [];
  const entryIndex: number[] = [];
  for (const [index, item] of items.entries()) {
    const isObject = item !== null && typeof item === "object" && !Array.isArray(item);
    // Non-objects go on to validation as they are, to get its "expected an object" error.
    const { idempotencyKey, ...rest } = isObject ? (item as Record<string, unknown>) : { idempotencyKey: undefined };
    try {
      const key = idempotencyKey === undefined ? undefined : parseWith(IdempotencyKey, idempotencyKey, "The item's idempotencyKey is invalid.");
      entries.push({ body: isObject ? rest : item, idempotencyKey: key });
      entryIndex.push(index);
    } catch (e) {
      outcomes[index] = { ok: false, error: e };
    }
  }
  // All valid items are claimed, routed and written together: a handful of statements per batch.
  (await submitReviews(db, { scope }, entries)).forEach((outcome, i) => (outcomes[entryIndex[i]] = outcome));
  const path = new URL(request.url).pathname;
  // Stored responses are JSON already: spliced in as they are rather than parsed and serialized again.
  const results = outcomes.map((outcome, index) => {
    if (outcome.ok) return `{"index":${index},"status":${outcome.response.status},"review":${outcome.response.body}}`;
    const { problem } = problemOf(outcome.error, requestId, `${path}#${index}`);
    return JSON.stringify({ index, status: problem.status, problem });
  });
  return new Response(`{"results":[${results.join(",")}]}`, { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" } });
});

// Any other method: a problem+json 405
const refuse = methodNotAllowed("POST");
export { refuse as GET, refuse as PUT, refuse as PATCH, refuse as DELETE };
