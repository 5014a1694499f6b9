import { listTaskTypesForApi } from "@/db/queries/reviews";
import { apiRoute, json } from "@/lib/api/handler";
import { methodNotAllowed } from "@/lib/api/problem";

// GET /api/v1/task-types — the organization's task types, their modes and floors, so an agent can plan
export const GET = apiRoute("reviews:read", async ({ db, scope }) => json({ data: await listTaskTypesForApi(db, scope) }));

// Any other method: a problem+json 405
const refuse = methodNotAllowed("GET");
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE };
