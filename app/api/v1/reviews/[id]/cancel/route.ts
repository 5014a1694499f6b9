import { cancelReview } from "@/db/queries/reviews";
import { apiRoute, json } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/data/uuid";
import { methodNotAllowed } from "@/lib/api/problem";

// POST /api/v1/reviews/{id}/cancel — the agent withdraws a pending review
export const POST = apiRoute<{ id: string }>("reviews:write", async ({ db, scope, params }) => {
  if (!isUuid(params.id)) throw new AppError("not_found", "No such review.");
  return json(await cancelReview(db, scope, params.id));
});

// Any other method: a problem+json 405
const refuse = methodNotAllowed("POST");
export { refuse as GET, refuse as PUT, refuse as PATCH, refuse as DELETE };
