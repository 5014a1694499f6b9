import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import { testPasswordHash } from "@/test/fixtures";
import type { Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { auditLog, dailyRollups, decisions, reviews, taskTypes, users, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { loadScope } from "@/db/scope";
import { onOrganizationReviewEvents, type ReviewEvent } from "@/lib/notifications/review-events";
import * as reviewsRoute from "@/app/api/v1/reviews/route";
import * as reviewRoute from "@/app/api/v1/reviews/[id]/route";
import * as batchRoute from "@/app/api/v1/reviews/batch/route";

// The bulk submission path (one claim-and-lookup statement, one write statement per batch) keeps the
// per-item guarantees of one submission at a time.

process.env.WEBHOOK_ALLOWLIST = "localhost:443";

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Result = { index: number; status: number; review?: { id: string; status: string; [k: string]: unknown }; problem?: { status: number; errors?: Record<string, string[]> } };

let db: Db;
let dispose: () => Promise<void>;
let key: string;
let orgId: string;
const base = "http://countersign.test";

function call(handler: unknown, path: string, init: { body?: unknown; headers?: Record<string, string>; params?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...init.headers };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const request = new Request(base + path, { method: init.body === undefined ? "GET" : "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  return (handler as Handler)(request, { params: Promise.resolve((init.params ?? {}) as never) });
}

async function batch(items: unknown[]): Promise<{ text: string; results: Result[] }> {
  const res = await call(batchRoute.POST, "/api/v1/reviews/batch", { body: { items } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, results: JSON.parse(text).results };
}

const tag = () => Math.random().toString(36).slice(2, 10);
const refund = (value: number, extra: Record<string, unknown> = {}) => ({
  taskType: "refund.issue",
  title: `Refund ${tag()}`,
  action: { orderId: `A-${tag()}`, amount: value },
  amount: { value, currency: "USD" },
  confidence: 0.9,
  ...extra,
});
const confidentRoute = (extra: Record<string, unknown> = {}) => ({ taskType: "route.adjust", action: { routeId: `R-${tag()}`, stopsAdded: 1 }, confidence: 0.97, ...extra });

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  orgId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
  const [admin] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@acme.test"));
  const lookup = await loadScope(db, admin.id, 0);
  if (!lookup.ok) throw new Error("no admin scope");
  key = (await createApiKey(db, lookup.scope, { name: "batch tests", scopes: ["reviews:write", "reviews:read"] })).key;
});
afterAll(async () => dispose?.());

describe("POST /api/v1/reviews/batch in bulk", () => {
  it("answers every item in order: good ones written, bad ones with their own problem, none sinking the others", async () => {
    const { results } = await batch([
      refund(10),
      { taskType: "Not A Key", action: {} },
      refund(11, { idempotencyKey: `good-${tag()}` }),
      "not an object",
      refund(12, { callbackUrl: "http://127.0.0.1:9/hook" }),
      refund(13, { idempotencyKey: 42 }),
      refund(14, { revisionOf: "00000000-0000-4000-8000-000000000000" }),
      refund(15, { title: "NUL \u0000 inside" }),
      confidentRoute(),
    ]);
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(results.map((r) => r.status)).toEqual([201, 422, 201, 422, 422, 422, 422, 422, 201]);
    expect(results[1].problem?.errors?.taskType).toBeDefined();
    expect(results[4].problem?.errors?.callbackUrl).toBeDefined();
    expect(results[6].problem?.errors?.revisionOf).toBeDefined();
    const written = [results[0], results[2], results[8]].map((r) => r.review!.id);
    const rows = await db.select({ id: reviews.id }).from(reviews).where(inArray(reviews.id, written));
    expect(rows).toHaveLength(3);
    expect(results[8].review).toMatchObject({ status: "approved", decision: { outcome: "auto_approved" } });
  });

  it("keeps idempotency per item: repeats inside a batch and across requests replay, other bodies are refused", async () => {
    const k1 = `k1-${tag()}`;
    const k2 = `k2-${tag()}`;
    const k3 = `k3-${tag()}`;
    const first = refund(21);
    const earlier = refund(20);
    const single = await call(reviewsRoute.POST, "/api/v1/reviews", { body: earlier, headers: { "idempotency-key": k3 } });
    const singleText = await single.text();

    const sent = [
      { ...first, idempotencyKey: k1 },
      { ...refund(22), idempotencyKey: k2 },
      // The same key and body again, with the fields in another order: a replay of item 0.
      { idempotencyKey: k1, ...Object.fromEntries(Object.entries(first).reverse()) },
      // The same key, another body: refused, and item 1 stands.
      { ...refund(23), idempotencyKey: k2 },
      // A key first used by POST /reviews: its stored response, byte for byte.
      { ...earlier, idempotencyKey: k3 },
    ];
    const { text, results } = await batch(sent);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 422, 201]);
    expect(results[2].review).toEqual(results[0].review);
    expect(results[3].problem?.errors?.["Idempotency-Key"]).toBeDefined();
    expect(text).toContain(`"review":${singleText}`);

    // The whole batch again: every item replayed, nothing new written.
    const before = await db.select({ n: sql<number>`count(*)::int` }).from(reviews).where(eq(reviews.organizationId, orgId));
    const again = await batch(sent);
    expect(again.results.map((r) => r.status)).toEqual([201, 201, 201, 422, 201]);
    expect(again.results.map((r) => r.review?.id)).toEqual(results.map((r) => r.review?.id));
    const after = await db.select({ n: sql<number>`count(*)::int` }).from(reviews).where(eq(reviews.organizationId, orgId));
    expect(after[0].n).toBe(before[0].n);
    // A replayed item answers the stored bytes (GET may differ later, once the review is decided).
    const single2 = await call(reviewsRoute.POST, "/api/v1/reviews", { body: { ...first }, headers: { "idempotency-key": k1 } });
    expect(single2.headers.get("idempotent-replayed")).toBe("true");
    expect(JSON.parse(await single2.text())).toEqual(results[0].review);
  });

  it("writes one audit entry per item, queues its webhooks, adds auto-approvals to the rollup as a recount would", async () => {
    const [endpoint] = await db
      .insert(webhookEndpoints)
      .values({ organizationId: orgId, url: "https://localhost/endpoint", events: ["review.created", "review.decided"], secretEncrypted: "sealed" })
      .returning({ id: webhookEndpoints.id });
    const events: ReviewEvent[] = [];
    const stop = await onOrganizationReviewEvents(orgId, (e) => events.push(e));
    try {
      const items = [confidentRoute({ callbackUrl: "https://localhost/cb" }), confidentRoute(), refund(31), confidentRoute({ confidence: 0.2 }), confidentRoute()];
      const { results } = await batch(items);
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
      const ids = results.map((r) => r.review!.id);
      expect(results.map((r) => r.review!.status)).toEqual(["approved", "approved", "pending", "pending", "approved"]);

      const audit = await db.select({ targetId: auditLog.targetId, action: auditLog.action, actorApiKeyId: auditLog.actorApiKeyId }).from(auditLog).where(and(eq(auditLog.organizationId, orgId), inArray(auditLog.targetId, ids)));
      expect(audit.map((a) => a.targetId).sort()).toEqual([...ids].sort());
      expect(audit.every((a) => a.action === "review.submitted" && a.actorApiKeyId)).toBe(true);

      const deliveries = await db
        .select({ event: webhookDeliveries.event, url: webhookDeliveries.url, endpointId: webhookDeliveries.endpointId, messageId: webhookDeliveries.messageId, payload: webhookDeliveries.payload })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.organizationId, orgId), inArray(sql`${webhookDeliveries.payload} ->> 'reviewId'`, ids)));
      const byReview = (id: string) => deliveries.filter((d) => (d.payload as { reviewId: string }).reviewId === id).map((d) => `${d.event} ${d.url}`).sort();
      expect(byReview(ids[0])).toEqual(["review.created https://localhost/endpoint", "review.decided https://localhost/cb", "review.decided https://localhost/endpoint"]);
      expect(byReview(ids[1])).toEqual(["review.created https://localhost/endpoint", "review.decided https://localhost/endpoint"]);
      expect(byReview(ids[2])).toEqual(["review.created https://localhost/endpoint"]);
      expect(deliveries.filter((d) => d.endpointId).every((d) => d.endpointId === endpoint.id)).toBe(true);
      expect(deliveries.every((d) => /^msg_[A-Za-z0-9_-]{24}$/.test(d.messageId))).toBe(true);
      expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(deliveries.length);
      // The body sent is the review as the API answered it.
      const created = deliveries.find((d) => d.event === "review.created" && (d.payload as { reviewId: string }).reviewId === ids[0])!;
      expect(JSON.parse((created.payload as { body: string }).body)).toMatchObject({ type: "review.created", data: { review: results[0].review } });

      // Rollups: the stored counts equal a recount of the auto-approvals.
      const [routeType] = await db.select({ id: taskTypes.id }).from(taskTypes).where(and(eq(taskTypes.organizationId, orgId), eq(taskTypes.key, "route.adjust")));
      const day = new Date().toISOString().slice(0, 10);
      const [rollup] = await db
        .select({ autoApproved: dailyRollups.autoApproved })
        .from(dailyRollups)
        .where(and(eq(dailyRollups.organizationId, orgId), eq(dailyRollups.taskTypeId, routeType.id), eq(dailyRollups.mode, "flag_on_exception"), eq(dailyRollups.day, day)));
      const [recount] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(decisions)
        .innerJoin(reviews, eq(reviews.id, decisions.reviewId))
        .where(and(eq(decisions.organizationId, orgId), eq(decisions.outcome, "auto_approved"), eq(reviews.taskTypeId, routeType.id), eq(reviews.mode, "flag_on_exception"), sql`${decisions.createdAt}::date = ${day}::date`));
      expect(rollup.autoApproved).toBe(recount.n);
      expect(recount.n).toBeGreaterThanOrEqual(3);

      // Open queues hear of the batch once, after it committed: one coalesced event, not one per item.
      await expect.poll(() => events.filter((e) => e.type === "created").length).toBe(1);
      expect(events.filter((e) => e.type === "created")).toEqual([{ organizationId: orgId, reviewId: "", status: "", type: "created" }]);
    } finally {
      stop();
      await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    }
  });

  it("answers with the review exactly as a later read of it shows it", async () => {
    const body = {
      taskType: "refund.issue",
      title: "Tricky \ud800 values",
      action: { zeta: 1, b: { yy: [3, { dd: 1, c: 2 }], x: null }, aa: "é", "é": 1, a: 1.0, big: 1e21, __proto__key: true },
      context: { "longer key": 1, k: 2 },
      amount: { value: 1.005, currency: "USD" },
      attributes: { phi: false, irreversible: false },
      revisionOf: undefined,
    };
    const { results } = await batch([body]);
    const posted = results[0].review!;
    expect(posted.amount).toEqual({ value: 1.01, currency: "USD" });
    expect(posted.title).toBe("Tricky \ufffd values");
    const read = await (await call(reviewRoute.GET, `/api/v1/reviews/${posted.id}`, { params: { id: posted.id } })).text();
    expect(read).toBe(JSON.stringify(posted));
  });
});
