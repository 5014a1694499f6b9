import { listTaskTypesForApi } from "@/db/queries/reviews";
import { apiRoute, json } from "@/lib/api/handler";

// GET /api/v1/task-types — the organization's task types, their modes and floors, so an agent can plan
export const GET = apiRoute("reviews:read", async ({ db, scope }) => json({ data: await listTaskTypesForApi(db, scope) }));
