import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json — the API contract, generated from the zod schemas that validate requests
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
