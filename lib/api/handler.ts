import "server-only";
import { getDb, type Db } from "@/db/client";
import { isDatabaseUnavailable, isInvalidValue } from "@/db/errors";
import { authenticateApiKey, authenticateApiKeyAndCount, type CountedApiKey, type KeyMeter } from "@/db/queries/api-keys";
import { isWellFormedApiKey } from "@/lib/security/api-key-format";
import { apiKeyRateLimitKey, hitRateLimit, rateLimitVerdict, rateLimitWindowStart } from "@/db/queries/rate-limit";
import { env } from "@/lib/config/env";
import { AppError } from "@/lib/errors";
import type { ApiKeyScope } from "@/db/schema";
import { apiScopeOf, type ApiScope } from "@/db/scope";
import { MalformedBody } from "./body";
import { databaseAnswered, databaseFoundDown, withinOutageWait } from "./outage";
import { problemFor, problemResponse, type Problem } from "./problem";

export type { ApiScope };

export type ApiContext<P> = { request: Request; db: Db; scope: ApiScope; params: P; requestId: string };

const bearerKey = (request: Request) => /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];

const unauthorized = () => new AppError("unauthorized", "Send a valid API key as `Authorization: Bearer <key>`.");

function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError("rate_limited", `This key is over its limit of ${env().API_RATE_LIMIT_PER_MINUTE} requests a minute.`, { retryAfterSeconds });
}

/** Bearer key → scope, or a 401 that says nothing about which part was wrong. */
export async function authenticate(db: Db, request: Request): Promise<ApiScope> {
  const presented = bearerKey(request);
  const key = presented ? await authenticateApiKey(db, presented) : null;
  if (!key) throw unauthorized();
  return apiScopeOf(key);
}

export function requireApiScope(scope: ApiScope, needed: ApiKeyScope): void {
  if (!scope.scopes.includes(needed)) throw new AppError("forbidden", `This API key lacks the \`${needed}\` scope.`);
}

export async function enforceRateLimit(db: Db, scope: ApiScope): Promise<void> {
  const verdict = await hitRateLimit(db, apiKeyRateLimitKey(scope.apiKeyId), apiRateLimits());
  if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
}

const apiRateLimits = () => ({ limit: env().API_RATE_LIMIT_PER_MINUTE, windowSeconds: 60 });

/**
 * A request's presented key and the scope it needs, before anything was checked: for handlers that
 * authorize inside their own first statement (`apiRouteAuthorizingItself`). Turn it into a scope only
 * with `authorize` or `scopeFromCountedKey`.
 */
export type ApiAuthority = Readonly<{ presentedKey: string; needed: ApiKeyScope; meter: KeyMeter & { limit: number }; now: Date }>;

function authorityOf(request: Request, needed: ApiKeyScope): ApiAuthority {
  const presentedKey = bearerKey(request);
  // A missing or malformed key needs no database to be refused.
  if (!presentedKey || !isWellFormedApiKey(presentedKey)) throw unauthorized();
  const now = new Date();
  const limits = apiRateLimits();
  return { presentedKey, needed, now, meter: { scope: needed, windowStart: rateLimitWindowStart(limits, now), limit: limits.limit } };
}

/**
 * The scope of a request whose key a statement looked up and counted (`apiKeyCtes` with the
 * authority's meter): 401 for no key, then 403 for a missing scope, then 429 over the rate.
 */
export function scopeFromCountedKey(authority: ApiAuthority, key: CountedApiKey | null): ApiScope {
  if (!key) throw unauthorized();
  const scope = apiScopeOf(key);
  requireApiScope(scope, authority.needed);
  const verdict = rateLimitVerdict(key.requests ?? 0, apiRateLimits(), authority.now);
  if (!verdict.allowed) throw rateLimited(verdict.retryAfterSeconds);
  return scope;
}

/** authenticate → require the scope → count the request against the key's rate limit, in one round trip. */
export async function authorize(db: Db, authority: ApiAuthority): Promise<ApiScope> {
  return scopeFromCountedKey(authority, await authenticateApiKeyAndCount(db, authority.presentedKey, authority.meter));
}

/** The three steps above with the same answers (401, then 403, then 429), in one round trip to the database. */
export async function authorizeRequest(db: Db, request: Request, needed: ApiKeyScope): Promise<ApiScope> {
  return authorize(db, authorityOf(request, needed));
}

/** Any failure as a problem and its headers: AppErrors as themselves, a value the database refuses as 422, a database outage as 503, anything else as a logged, generic 500. */
export function problemOf(e: unknown, requestId: string, instance?: string): { problem: Problem; headers: Record<string, string> } {
  if (e instanceof AppError) {
    const headers: Record<string, string> = e.retryAfterSeconds ? { "retry-after": String(e.retryAfterSeconds) } : {};
    return { problem: problemFor(e.code, e.message, { errors: e.fieldErrors, instance, requestId }), headers };
  }
  if (e instanceof MalformedBody) return { problem: problemFor("malformed", e.message, { instance, requestId }), headers: {} };
  if (isInvalidValue(e)) return { problem: problemFor("invalid", "The request holds a value that can't be stored or compared, such as a NUL character.", { instance, requestId }), headers: {} };
  if (isDatabaseUnavailable(e)) {
    return { problem: problemFor("unavailable", "The database is briefly unavailable. Retry with the same Idempotency-Key.", { instance, requestId }), headers: { "retry-after": "2" } };
  }
  console.error(`[api ${requestId}]`, e);
  return { problem: problemFor("internal", "Something went wrong on our side. Retry with the same Idempotency-Key.", { instance, requestId }), headers: {} };
}

/** Any failure as a problem+json response (see `problemOf`). */
export function errorResponse(e: unknown, requestId: string, instance?: string): Response {
  const { problem, headers } = problemOf(e, requestId, instance);
  return problemResponse(problem, headers);
}

/**
 * A route handler for agents: authenticate → authorize (key scope) → rate limit → the handler, which
 * parses its own input with the shared zod schemas. Idempotency is a separate helper the handler calls.
 */
export function apiRoute<P = Record<string, never>>(needed: ApiKeyScope, fn: (ctx: ApiContext<P>) => Promise<Response>) {
  return (request: Request, context: { params: Promise<P> }): Promise<Response> =>
    answer(request, async (requestId) => {
      const db = getDb();
      const scope = await authorizeRequest(db, request, needed);
      return fn({ request, db, scope, params: await context.params, requestId });
    });
}

/**
 * `apiRoute` for a handler that folds authorization into its own first statement, to spare a round
 * trip on a hot path (POST /reviews). The handler gets an `ApiAuthority` and must turn it into a scope
 * (`authorize`, or a statement built on `apiKeyCtes` and then `scopeFromCountedKey`) before it acts,
 * and answer 401/403/429 before any error about the request itself.
 */
export function apiRouteAuthorizingItself(
  needed: ApiKeyScope,
  fn: (ctx: { request: Request; db: Db; authority: ApiAuthority; requestId: string }) => Promise<Response>,
) {
  return (request: Request): Promise<Response> => answer(request, (requestId) => fn({ request, db: getDb(), authority: authorityOf(request, needed), requestId }));
}

/**
 * Runs a handler and answers with its response or its problem, with a request id either way. Once the
 * database is known to be down (a request failed to reach it, or a probe did: see ./outage.ts), every
 * request in flight or arriving gets OUTAGE_WAIT_MS more and is then answered 503: during a restart the
 * driver can hold a query until the server is back (it reconnects when a connection closes while
 * starting up), and an agent is better told to retry. The handler still runs to its end; an agent
 * retrying with the same Idempotency-Key gets its outcome (a replay, or 409 while it is in flight),
 * never a second review.
 */
async function answer(request: Request, handle: (requestId: string) => Promise<Response>): Promise<Response> {
  const requestId = crypto.randomUUID();
  let response: Response;
  try {
    response = await withinOutageWait(handle(requestId));
    databaseAnswered();
  } catch (e) {
    if (isDatabaseUnavailable(e)) databaseFoundDown();
    response = errorResponse(e, requestId, new URL(request.url).pathname);
  }
  response.headers.set("x-request-id", requestId);
  return response;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });
}
