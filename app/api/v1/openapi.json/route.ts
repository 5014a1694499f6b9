import { openApiDocument } from "@/lib/api/openapi";
import { methodNotAllowed } from "@/lib/api/problem";

// GET /api/v1/openapi.json — the API contract, generated from the zod schemas that validate requests
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}

// Any other method: a problem+json 405
const refuse = methodNotAllowed("GET");
export { refuse as POST, refuse as PUT, refuse as PATCH, refuse as DELETE };
