import "server-only";
import { getDb, type Db } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { authenticateApiKey } from "@/db/queries/api-keys";
import { hitRateLimit } from "@/db/queries/rate-limit";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { ApiKeyScope } from "@/db/schema";
import { MalformedBody } from "./body";
import { problemFor, problemResponse } from "./problem";

declare const apiScopeBrand: unique symbol;

/** The organization and key an API request acts for — minted only here, from the key row, never from the body. */
export type ApiScope = Readonly<{ organizationId: string; apiKeyId: string; scopes: readonly ApiKeyScope[] }> & { readonly [apiScopeBrand]: true };

export type ApiContext<P> = { request: Request; db: Db; scope: ApiScope; params: P; requestId: string };

/** Bearer key → scope, or a 401 that says nothing about which part was wrong. */
export async function authenticate(db: Db, request: Request): Promise<ApiScope> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const key = match ? await authenticateApiKey(db, match[1]) : null;
  if (!key) throw new AppError("unauthorized", "Send a valid API key as `Authorization: Bearer <key>`.");
  return { organizationId: key.organizationId, apiKeyId: key.keyId, scopes: key.scopes } as unknown as ApiScope;
}

export function requireApiScope(scope: ApiScope, needed: ApiKeyScope): void {
  if (!scope.scopes.includes(needed)) throw new AppError("forbidden", `This API key lacks the \`${needed}\` scope.`);
}

export async function enforceRateLimit(db: Db, scope: ApiScope): Promise<void> {
  const verdict = await hitRateLimit(db, `api:${scope.apiKeyId}`, { limit: env().API_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 });
  if (!verdict.allowed) {
    throw new AppError("rate_limited", `This key is over its limit of ${env().API_RATE_LIMIT_PER_MINUTE} requests a minute.`, { retryAfterSeconds: verdict.retryAfterSeconds });
  }
}

/** Any failure as problem+json: AppErrors as themselves, a database outage as 503, anything else as a logged, generic 500. */
export function errorResponse(e: unknown, requestId: string, instance?: string): Response {
  if (e instanceof AppError) {
    const headers: Record<string, string> = e.retryAfterSeconds ? { "retry-after": String(e.retryAfterSeconds) } : {};
    return problemResponse(problemFor(e.code, e.message, { errors: e.fieldErrors, instance, requestId }), headers);
  }
  if (e instanceof MalformedBody) return problemResponse(problemFor("malformed", e.message, { instance, requestId }));
  if (isDatabaseUnavailable(e)) {
    return problemResponse(problemFor("unavailable", "The database is briefly unavailable. Retry with the same Idempotency-Key.", { instance, requestId }), { "retry-after": "2" });
  }
  console.error(`[api ${requestId}]`, e);
  return problemResponse(problemFor("internal", "Something went wrong on our side. Retry with the same Idempotency-Key.", { instance, requestId }));
}

/**
 * A route handler for agents: authenticate → authorize (key scope) → rate limit → the handler, which
 * parses its own input with the shared zod schemas. Idempotency is a separate helper the handler calls.
 */
export function apiRoute<P = Record<string, never>>(needed: ApiKeyScope, fn: (ctx: ApiContext<P>) => Promise<Response>) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = crypto.randomUUID();
    const instance = new URL(request.url).pathname;
    try {
      const db = getDb();
      const scope = await authenticate(db, request);
      requireApiScope(scope, needed);
      await enforceRateLimit(db, scope);
      const response = await fn({ request, db, scope, params: await context.params, requestId });
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (e) {
      const response = errorResponse(e, requestId, instance);
      response.headers.set("x-request-id", requestId);
      return response;
    }
  };
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });
}
