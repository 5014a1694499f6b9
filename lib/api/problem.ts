import { statusByCode, titleByCode, type ErrorCode, type FieldErrors } from "@/lib/errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldErrors;
  requestId?: string;
};

/** RFC 9457 problem details for one of the shared error codes ("malformed" is a 400: the body isn't JSON at all). */
export function problemFor(code: ErrorCode | "malformed", detail: string, extra: { errors?: FieldErrors; instance?: string; requestId?: string } = {}): Problem {
  const status = code === "malformed" ? 400 : statusByCode[code];
  const title = code === "malformed" ? "Malformed request" : titleByCode[code];
  return { type: `https://countersign.dev/problems/${code.replace(/_/g, "-")}`, title, status, detail, ...extra };
}

/**
 * A route's answer to the methods it doesn't serve (export it under each): a problem+json 405 with
 * `Allow`, where the framework would send an empty 405.
 */
export function methodNotAllowed(...allowed: string[]) {
  return (request: Request): Response =>
    problemResponse(
      {
        type: "https://countersign.dev/problems/method-not-allowed",
        title: "Method not allowed",
        status: 405,
        detail: `This endpoint answers ${allowed.join(" and ")} only.`,
        instance: new URL(request.url).pathname,
      },
      { allow: allowed.join(", ") },
    );
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}
