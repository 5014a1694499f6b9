import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import { createTenant, testPasswordHash, type TestOrganization } from "@/test/fixtures";
import type { Db } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { claimIdempotencyKey } from "@/db/queries/idempotency";
import { requestFingerprint } from "@/lib/api/idempotency";
import { knownSubmitter } from "@/lib/submissions/known-submitters";
import { expireDueReviews } from "@/db/queries/reviews";
import { auditLog, idempotencyKeys, organizations, rateLimitCounters, reviews, taskTypes, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import * as reviewsRoute from "@/app/api/v1/reviews/route";
import * as reviewRoute from "@/app/api/v1/reviews/[id]/route";
import * as cancelRoute from "@/app/api/v1/reviews/[id]/cancel/route";
import * as batchRoute from "@/app/api/v1/reviews/batch/route";
import * as taskTypesRoute from "@/app/api/v1/task-types/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";

// Callback targets the tests use (nothing is sent: no worker runs here); loopback is refused unless allow-listed.
process.env.WEBHOOK_ALLOWLIST = "localhost:443";

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

let db: Db;
let dispose: () => Promise<void>;
let acmeKey: string;
let acmeReadOnlyKey: string;
let acmeOrgId: string;
let other: TestOrganization;
let otherKey: string;

const base = "http://countersign.test";

function call(handler: unknown, init: { method?: string; path: string; key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string>; params?: Record<string, string> }) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? acmeKey}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new Request(base + init.path, { method: init.method ?? (body === undefined ? "GET" : "POST"), headers, body });
  return (handler as Handler)(request, { params: Promise.resolve((init.params ?? {}) as never) });
}

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const problem = await response.json();
  expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
  return problem as { errors?: Record<string, string[]>; detail: string };
}

const refund = (value = 120, extra: Record<string, unknown> = {}) => ({
  taskType: "refund.issue",
  title: `Refund order ${Math.random().toString(36).slice(2, 8)}`,
  action: { orderId: "A-1001", amount: value, reason: "damaged" },
  amount: { value, currency: "USD" },
  confidence: 0.9,
  ...extra,
});

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  const seeded = await seedDemo(db, { passwordHash: await testPasswordHash() });
  acmeOrgId = seeded.organizationId;
  const { loadScope } = await import("@/db/scope");
  const { users } = await import("@/db/schema");
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@acme.test"));
  const lookup = await loadScope(db, admin.id, 0);
  if (!lookup.ok) throw new Error("no admin scope");
  acmeKey = (await createApiKey(db, lookup.scope, { name: "tests", scopes: ["reviews:write", "reviews:read"] })).key;
  acmeReadOnlyKey = (await createApiKey(db, lookup.scope, { name: "read only", scopes: ["reviews:read"] })).key;
  other = await createTenant(db, "Other");
  otherKey = (await createApiKey(db, other.admin, { name: "other", scopes: ["reviews:write", "reviews:read"] })).key;
});
afterAll(async () => dispose?.());

describe("authentication and authorization", () => {
  it("refuses a missing, malformed or unknown key with 401", async () => {
    await expectProblem(await call(reviewsRoute.GET, { path: "/api/v1/reviews", key: null }), 401);
    await expectProblem(await call(reviewsRoute.GET, { path: "/api/v1/reviews", headers: { authorization: "Basic abc" }, key: null }), 401);
    await expectProblem(await call(reviewsRoute.GET, { path: "/api/v1/reviews", key: "cs_live_notarealkeynotarealkeynotarealkey000" }), 401);
  });

  it("refuses a revoked key immediately", async () => {
    const { users } = await import("@/db/schema");
    const { loadScope } = await import("@/db/scope");
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@acme.test"));
    const lookup = await loadScope(db, admin.id, 0);
    if (!lookup.ok) throw new Error("no scope");
    const created = await createApiKey(db, lookup.scope, { name: "short-lived", scopes: ["reviews:read"] });
    expect((await call(taskTypesRoute.GET, { path: "/api/v1/task-types", key: created.key })).status).toBe(200);
    await revokeApiKey(db, lookup.scope, { id: created.id });
    await expectProblem(await call(taskTypesRoute.GET, { path: "/api/v1/task-types", key: created.key }), 401);
  });

  it("answers 429 with Retry-After when a key is over its rate", async () => {
    const { users } = await import("@/db/schema");
    const { loadScope } = await import("@/db/scope");
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@acme.test"));
    const lookup = await loadScope(db, admin.id, 0);
    if (!lookup.ok) throw new Error("no scope");
    const busy = await createApiKey(db, lookup.scope, { name: "busy", scopes: ["reviews:read"] });
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await db.insert(rateLimitCounters).values({ key: `api:${busy.id}`, windowStart, count: 1_000_000 });
    const res = await call(taskTypesRoute.GET, { path: "/api/v1/task-types", key: busy.key });
    await expectProblem(res, 429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a key without the needed scope with 403", async () => {
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: acmeReadOnlyKey, body: refund() }), 403);
    expect((await call(reviewsRoute.GET, { path: "/api/v1/reviews", key: acmeReadOnlyKey })).status).toBe(200);
  });
});

describe("POST /api/v1/reviews from a key this instance knows (planned without a lookup, written guarded)", () => {
  async function knownKey(taskType: string) {
    const { users } = await import("@/db/schema");
    const { loadScope } = await import("@/db/scope");
    const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@acme.test"));
    const lookup = await loadScope(db, admin.id, 0);
    if (!lookup.ok) throw new Error("no scope");
    const created = await createApiKey(db, lookup.scope, { name: `known ${Math.random()}`, scopes: ["reviews:write", "reviews:read"] });
    // The first submission looks up, and the instance remembers what it read.
    expect((await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: created.key, body: { taskType, action: { warm: true }, confidence: 0.99 } })).status).toBe(201);
    expect(knownSubmitter(created.key)?.taskTypes.has(taskType)).toBe(true);
    return { ...created, adminScope: lookup.scope };
  }
  const counted = async (apiKeyId: string) => {
    const rows = await db.select({ count: rateLimitCounters.count }).from(rateLimitCounters).where(like(rateLimitCounters.key, `api:${apiKeyId}%`));
    return rows.reduce((n, r) => n + r.count, 0);
  };
  const titled = (title: string) => db.select({ id: reviews.id, status: reviews.status }).from(reviews).where(and(eq(reviews.organizationId, acmeOrgId), eq(reviews.title, title)));

  it("routes with a policy changed since, and counts the request once", async () => {
    const key = await knownKey("route.adjust");
    const confident = (title: string) => ({ taskType: "route.adjust", title, action: { routeId: "R-1" }, confidence: 0.99 });
    const before = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: confident("known before") })).json();
    expect(before.status).toBe("approved");
    const [routeAdjust] = await db.select().from(taskTypes).where(and(eq(taskTypes.organizationId, acmeOrgId), eq(taskTypes.key, "route.adjust")));
    await db.update(taskTypes).set({ mode: "approve_before_action" }).where(eq(taskTypes.id, routeAdjust.id));
    try {
      const requests = await counted(key.id);
      const after = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: confident("known after") })).json();
      expect(after.status).toBe("pending");
      expect(await titled("known after")).toEqual([{ id: after.id, status: "pending" }]);
      expect(await counted(key.id)).toBe(requests + 1);
    } finally {
      await db.update(taskTypes).set({ mode: routeAdjust.mode }).where(eq(taskTypes.id, routeAdjust.id));
    }
  });

  it("refuses a key revoked since, and writes nothing", async () => {
    const key = await knownKey("refund.issue");
    await revokeApiKey(db, key.adminScope, { id: key.id });
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: refund(12, { title: "known revoked" }) }), 401);
    expect(await titled("known revoked")).toEqual([]);
  });

  it("answers 429 over the rate, and writes nothing", async () => {
    const key = await knownKey("refund.issue");
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await db.insert(rateLimitCounters).values({ key: `api:${key.id}`, windowStart, count: 1_000_000 });
    const res = await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: refund(13, { title: "known limited" }) });
    await expectProblem(res, 429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await titled("known limited")).toEqual([]);
  });

  it("queues review.created for an endpoint subscribed since", async () => {
    const key = await knownKey("refund.issue");
    const [endpoint] = await db
      .insert(webhookEndpoints)
      .values({ organizationId: acmeOrgId, url: "https://localhost/known", events: ["review.created"], secretEncrypted: "sealed" })
      .returning({ id: webhookEndpoints.id });
    try {
      const created = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: refund(14, { title: "known subscribed" }) })).json();
      const deliveries = await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(deliveries).toEqual([{ event: "review.created" }]);
      expect(created.status).toBe("pending");
    } finally {
      await db.delete(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    }
  });

  it("replays a repeated Idempotency-Key as a request with a lookup would", async () => {
    const key = await knownKey("refund.issue");
    const body = refund(15, { title: "known replay" });
    const first = await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body, headers: { "idempotency-key": "known-replay" } });
    const again = await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body, headers: { "idempotency-key": "known-replay" } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(await first.text());
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: key.key, body: refund(16), headers: { "idempotency-key": "known-replay" } }), 422);
    expect(await titled("known replay")).toHaveLength(1);
  });
});

describe("POST /api/v1/reviews", () => {
  it("routes a refund under the limit to a person, and one over it with the amount floor", async () => {
    const res = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(120) });
    expect(res.status).toBe(201);
    const review = await res.json();
    expect(review).toMatchObject({ status: "pending", mode: "approve_before_action", taskType: "refund.issue", routing: { needsHuman: true, blocking: true } });
    expect(review.routing.reasons).toContain("mode:approve_before_action");
    const over = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(900) })).json();
    expect(over.routing.reasons).toContain("floor:amount");
  });

  it("auto-approves a confident flag_on_exception item with its decision, and escalates a doubtful one", async () => {
    const confident = await (
      await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "route.adjust", action: { routeId: "R-9", stopsAdded: 1 }, confidence: 0.97 } })
    ).json();
    expect(confident.status).toBe("approved");
    expect(confident.decision).toMatchObject({ outcome: "auto_approved", action: { routeId: "R-9", stopsAdded: 1 }, actionHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const doubtful = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "route.adjust", action: { routeId: "R-9" }, confidence: 0.42 } })).json();
    expect(doubtful).toMatchObject({ status: "pending", routing: { needsHuman: true, blocking: true, reasons: ["low_confidence"] } });
    const flaggedPhi = await (
      await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "route.adjust", action: { routeId: "R-9" }, confidence: 0.99, attributes: { phi: true } } })
    ).json();
    expect(flaggedPhi.status).toBe("pending");
    expect(flaggedPhi.routing.reasons).toContain("floor:phi");
  });

  it("registers an unknown task type strict and unclassified, and refuses it when the setting is off", async () => {
    const res = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "invoice.pay", action: { invoice: "I-1" }, confidence: 1 } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: "pending", mode: "approve_before_action" });
    const [registered] = await db.select().from(taskTypes).where(and(eq(taskTypes.organizationId, acmeOrgId), eq(taskTypes.key, "invoice.pay")));
    expect(registered).toMatchObject({ mode: "approve_before_action", classified: false });

    await db.update(organizations).set({ settings: { autoRegisterTaskTypes: false } }).where(eq(organizations.id, other.organizationId));
    const problem = await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: otherKey, body: { taskType: "invoice.pay", action: {} } }), 422);
    expect(problem.errors?.taskType?.[0]).toContain("invoice.pay");
  });

  it("answers every kind of bad input with a clear 4xx problem", async () => {
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", rawBody: "{not json", headers: { "content-type": "application/json" } }), 400);
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", rawBody: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415);
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "x", action: { blob: "x".repeat(300 * 1024) } } }), 413);
    const invalid = await expectProblem(
      await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "Bad Key!", action: "nope", confidence: 3, priority: "asap", surprise: true } }),
      422,
    );
    expect(Object.keys(invalid.errors ?? {})).toEqual(expect.arrayContaining(["taskType", "action", "confidence", "priority"]));
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: [] }), 422);
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(10, { revisionOf: "00000000-0000-4000-8000-000000000000" }) }), 422);
    // Refused for its revisionOf, a submission registers nothing, not even its unknown task type.
    await expectProblem(
      await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: { taskType: "never.registered", action: { a: 1 }, revisionOf: "00000000-0000-4000-8000-000000000000" } }),
      422,
    );
    expect(await db.select().from(taskTypes).where(and(eq(taskTypes.organizationId, acmeOrgId), eq(taskTypes.key, "never.registered")))).toEqual([]);
    const ssrf = await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(10, { callbackUrl: "http://127.0.0.1:9/hook" }) }), 422);
    expect(ssrf.errors?.callbackUrl).toBeDefined();
  });

  it("is idempotent: same key and body → the same bytes and one review; another body → 422; in flight → 409", async () => {
    const key = `idem-${Math.random()}`;
    const body = refund(77);
    const first = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body, headers: { "idempotency-key": key } });
    const firstText = await first.text();
    // Same JSON with another key order is the same request.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: reordered, headers: { "idempotency-key": key } });
    expect(second.status).toBe(201);
    expect(await second.text()).toBe(firstText);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const id = JSON.parse(firstText).id;
    const count = await db.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.organizationId, acmeOrgId), eq(reviews.title, body.title)));
    expect(count.map((r) => r.id)).toEqual([id]);

    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(78), headers: { "idempotency-key": key } }), 422);

    const inflight = `idem-inflight-${Math.random()}`;
    await claimIdempotencyKey(db, acmeOrgId, inflight, requestFingerprint("POST /api/v1/reviews", refund(5, { title: "in flight" })));
    await expectProblem(await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(5, { title: "in flight" }), headers: { "idempotency-key": inflight } }), 409);
    // Keys are per organization: another tenant may use the same one.
    await db.update(organizations).set({ settings: {} }).where(eq(organizations.id, other.organizationId));
    expect((await call(reviewsRoute.POST, { path: "/api/v1/reviews", key: otherKey, body: { taskType: "t", action: {} }, headers: { "idempotency-key": key } })).status).toBe(201);
  });

  it("answers concurrent requests with one key once: one review, and every answer is its bytes", async () => {
    const key = `idem-race-${Math.random()}`;
    const body = refund(79, { title: `race ${key}` });
    const responses = await Promise.all(Array.from({ length: 8 }, () => call(reviewsRoute.POST, { path: "/api/v1/reviews", body, headers: { "idempotency-key": key } })));
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(texts).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(1);
    const rows = await db.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.organizationId, acmeOrgId), eq(reviews.title, body.title)));
    expect(rows.map((r) => r.id)).toEqual([JSON.parse(texts[0]).id]);
  });

  it("takes over a key whose request died, and records its answer", async () => {
    const key = `idem-stale-${Math.random()}`;
    const body = refund(81, { title: `stale ${key}` });
    await db.insert(idempotencyKeys).values({ organizationId: acmeOrgId, key, requestHash: requestFingerprint("POST /api/v1/reviews", body), createdAt: new Date(Date.now() - 120_000) });
    const first = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    const [record] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.organizationId, acmeOrgId), eq(idempotencyKeys.key, key)));
    expect(record.completedAt).not.toBeNull();
    expect(record.responseBody).toBe(await first.text());
    const again = await call(reviewsRoute.POST, { path: "/api/v1/reviews", body, headers: { "idempotency-key": key } });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await db.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.organizationId, acmeOrgId), eq(reviews.title, body.title)))).toHaveLength(1);
  });

  it("audits every submission", async () => {
    const review = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(33) })).json();
    const entries = await db.select().from(auditLog).where(and(eq(auditLog.organizationId, acmeOrgId), eq(auditLog.targetId, review.id)));
    expect(entries.map((e) => e.action)).toEqual(["review.submitted"]);
    expect(entries[0].actorApiKeyId).not.toBeNull();
  });
});

describe("GET /api/v1/reviews/{id}", () => {
  it("answers 404 alike for an unknown id, a malformed one and another organization's", async () => {
    const mine = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund() })).json();
    await expectProblem(await call(reviewRoute.GET, { path: `/api/v1/reviews/${mine.id}`, key: otherKey, params: { id: mine.id } }), 404);
    await expectProblem(await call(reviewRoute.GET, { path: "/api/v1/reviews/00000000-0000-4000-8000-000000000000", params: { id: "00000000-0000-4000-8000-000000000000" } }), 404);
    await expectProblem(await call(reviewRoute.GET, { path: "/api/v1/reviews/1;drop", params: { id: "1;drop" } }), 404);
    await expectProblem(await call(cancelRoute.POST, { path: `/api/v1/reviews/${mine.id}/cancel`, key: otherKey, params: { id: mine.id } }), 404);
    expect((await call(reviewRoute.GET, { path: `/api/v1/reviews/${mine.id}`, params: { id: mine.id } })).status).toBe(200);
  });

  it("holds ?wait open until the review changes, and gives up after the wait", async () => {
    const review = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund() })).json();
    const started = Date.now();
    const timedOut = await (await call(reviewRoute.GET, { path: `/api/v1/reviews/${review.id}?wait=1`, params: { id: review.id } })).json();
    expect(timedOut.status).toBe("pending");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const waiting = call(reviewRoute.GET, { path: `/api/v1/reviews/${review.id}?wait=20`, params: { id: review.id } });
    await new Promise((r) => setTimeout(r, 300));
    const cancelledAt = Date.now();
    expect((await call(cancelRoute.POST, { path: `/api/v1/reviews/${review.id}/cancel`, params: { id: review.id } })).status).toBe(200);
    const woken = await (await waiting).json();
    expect(woken.status).toBe("cancelled");
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
  });

  it("refuses a wait over 30 s", async () => {
    const review = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund() })).json();
    await expectProblem(await call(reviewRoute.GET, { path: `/api/v1/reviews/${review.id}?wait=31`, params: { id: review.id } }), 422);
  });
});

describe("POST /api/v1/reviews/{id}/cancel", () => {
  it("cancels a pending review once, audits it, queues its webhook, and refuses to cancel it again", async () => {
    const review = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(12, { callbackUrl: "https://localhost/hooks" }) })).json();
    const res = await call(cancelRoute.POST, { path: `/api/v1/reviews/${review.id}/cancel`, params: { id: review.id } });
    expect(await res.json()).toMatchObject({ id: review.id, status: "cancelled" });
    await expectProblem(await call(cancelRoute.POST, { path: `/api/v1/reviews/${review.id}/cancel`, params: { id: review.id } }), 409);
    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, review.id));
    expect(audit.map((a) => a.action)).toContain("review.cancelled");
    const deliveries = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.url, "https://localhost/hooks"));
    expect(deliveries.map((d) => d.event)).toContain("review.cancelled");
  });
});

describe("GET /api/v1/reviews", () => {
  it("pages with a cursor, filters, and never shows another organization's reviews", async () => {
    const externalId = `ext-${Math.random()}`;
    for (let i = 0; i < 5; i++) await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(10 + i, { externalId }) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { id: string; externalId: string }[]; nextCursor: string | null } = await (
        await call(reviewsRoute.GET, { path: `/api/v1/reviews?externalId=${externalId}&limit=2${cursor ? `&cursor=${cursor}` : ""}` })
      ).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(5);
    const theirs = await (await call(reviewsRoute.GET, { path: `/api/v1/reviews?externalId=${externalId}`, key: otherKey })).json();
    expect(theirs.data).toEqual([]);
    await expectProblem(await call(reviewsRoute.GET, { path: "/api/v1/reviews?cursor=garbage" }), 422);
    await expectProblem(await call(reviewsRoute.GET, { path: "/api/v1/reviews?status=maybe" }), 422);
  });
});

describe("POST /api/v1/reviews/batch", () => {
  it("answers one result per item, in order; a bad item doesn't sink the others", async () => {
    const res = await call(batchRoute.POST, {
      path: "/api/v1/reviews/batch",
      body: { items: [refund(1), { taskType: "BAD" }, 42, refund(2, { idempotencyKey: "batch-item-1" })] },
    });
    expect(res.status).toBe(200);
    const { results } = await res.json();
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 422, 422, 201]);
    expect(results[1].problem.errors).toBeDefined();
    await expectProblem(await call(batchRoute.POST, { path: "/api/v1/reviews/batch", body: { items: Array.from({ length: 101 }, () => refund()) } }), 422);
  });
});

describe("GET /api/v1/task-types and the OpenAPI document", () => {
  it("lists task types with their modes and floors", async () => {
    const { data } = await (await call(taskTypesRoute.GET, { path: "/api/v1/task-types" })).json();
    const byKey = Object.fromEntries(data.map((t: { key: string }) => [t.key, t]));
    expect(byKey["ehr.note.write"]).toMatchObject({ mode: "approve_before_action", needsHumanByDefault: true, floors: expect.arrayContaining(["irreversible", "phi"]) });
    expect(byKey["route.adjust"]).toMatchObject({ mode: "flag_on_exception", needsHumanByDefault: false });
    const theirs = await (await call(taskTypesRoute.GET, { path: "/api/v1/task-types", key: otherKey })).json();
    expect(theirs.data.map((t: { key: string }) => t.key)).not.toContain("ehr.note.write");
  });

  it("serves an OpenAPI 3.1 document built from the request schemas", async () => {
    const doc = await openapiRoute.GET().json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/reviews", "/reviews/{id}", "/reviews/{id}/cancel", "/reviews/batch", "/task-types"]));
    expect(doc.components.schemas.ReviewSubmission.required).toEqual(expect.arrayContaining(["taskType", "action"]));
    expect(doc.components.schemas.ReviewSubmission.properties.taskType.pattern).toBe("^[a-z0-9._-]+$");
  });
});

describe("expiry", () => {
  it("expires a pending item after expiresAt (fail closed), queues review.expired and tells waiters", async () => {
    const review = await (await call(reviewsRoute.POST, { path: "/api/v1/reviews", body: refund(3, { expiresInSeconds: 10, callbackUrl: "https://localhost/expiry" }) })).json();
    expect(review.expiresAt).not.toBeNull();
    await expireDueReviews(db, { now: new Date(Date.now() + 11_000) });
    const after = await (await call(reviewRoute.GET, { path: `/api/v1/reviews/${review.id}`, params: { id: review.id } })).json();
    expect(after.status).toBe("expired");
    expect(after.decision).toBeNull();
    const deliveries = await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(eq(webhookDeliveries.url, "https://localhost/expiry"));
    expect(deliveries.map((d) => d.event)).toEqual(["review.expired"]);
  });
});
