import { problemFor, problemResponse } from "@/lib/api/problem";

// Any other /api/v1 path: a problem+json 404 rather than the HTML not-found page.
function notFound(request: Request) {
  return problemResponse(problemFor("not_found", "There is no such endpoint. See /api/v1/openapi.json.", { instance: new URL(request.url).pathname }));
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
