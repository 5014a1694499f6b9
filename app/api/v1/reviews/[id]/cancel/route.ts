import { cancelReview } from "@/db/queries/reviews";
import { apiRoute, json } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";

// POST /api/v1/reviews/{id}/cancel — the agent withdraws a pending review
export const POST = apiRoute<{ id: string }>("reviews:write", async ({ db, scope, params }) => {
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new AppError("not_found", "No such review.");
  return json(await cancelReview(db, scope, params.id));
});
