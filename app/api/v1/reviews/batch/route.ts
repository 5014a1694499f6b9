import { parseWith, readJsonBody } from "@/lib/api/body";
import { apiRoute, errorResponse, json } from "@/lib/api/handler";
import { submitOne } from "@/lib/api/reviews";
import { IdempotencyKey, BatchSubmission } from "@/lib/validation/reviews";

type ItemResult = { index: number; status: number; review?: unknown; problem?: unknown };

// POST /api/v1/reviews/batch — up to 100 submissions; one result per item, in order; a bad item doesn't sink the rest
export const POST = apiRoute("reviews:write", async ({ request, db, scope, requestId }) => {
  const { items } = parseWith(BatchSubmission, await readJsonBody(request), "The batch is invalid.");
  const results: ItemResult[] = [];
  // One transaction (one commit) for the whole batch, each item in its own savepoint: a failing item
  // rolls back alone, and the items that succeeded commit together.
  await db.transaction(async (tx) => {
    for (const [index, item] of items.entries()) {
      try {
        const isObject = item !== null && typeof item === "object" && !Array.isArray(item);
        // Non-objects go on to validation as they are, to get its "expected an object" error.
        const { idempotencyKey, ...rest } = isObject ? (item as Record<string, unknown>) : { idempotencyKey: undefined };
        const submission = isObject ? rest : item;
        const key = idempotencyKey === undefined ? undefined : parseWith(IdempotencyKey, idempotencyKey, "The item's idempotencyKey is invalid.");
        const stored = await tx.transaction((savepoint) => submitOne(savepoint, scope, submission, key));
        results.push({ index, status: stored.status, review: JSON.parse(stored.body) });
      } catch (e) {
        const response = errorResponse(e, requestId, `${new URL(request.url).pathname}#${index}`);
        results.push({ index, status: response.status, problem: await response.json() });
      }
    }
  });
  return json({ results });
});
