import { cancelReview } from "@/db/queries/reviews";
import { apiRoute, json } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { methodNotAllowed } from "@/lib/api/problem";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// POST /api/v1/reviews/{id}/cancel — the agent withdraws a pending review
export const POST = apiRoute<{ id: string }>("reviews:write", async ({ db, scope, params }) => {
  if (!UUID.test(params.id)) throw new AppError("not_found", "No such review.");
  return json(await cancelReview(db, scope, params.id));
});

// Any other method: a problem+json 405
const refuse = methodNotAllowed("POST");
export { refuse as GET, refuse as PUT, refuse as PATCH, refuse as DELETE };
