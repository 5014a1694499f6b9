import { auditChainHead } from "@/db/queries/audit";
import { apiRoute, json } from "@/lib/api/handler";
import { methodNotAllowed } from "@/lib/api/problem";

// GET /api/v1/audit/head — the organization's audit chain head (position and HMAC), to save outside Countersign as an anchor
export const GET = apiRoute("audit:read", async ({ db, scope }) => json(await auditChainHead(db, scope)));

// Any other method: a problem+json 405
const refuse = methodNotAllowed("GET");
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE };
