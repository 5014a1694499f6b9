import { and, eq } from "drizzle-orm";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { decideReview } from "@/db/queries/decisions";
import { claimItem } from "@/db/queries/queue";
import { auditLog, rateLimitCounters, reviews } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { canonicalJson } from "@/lib/data/canonical-json";
import { sha256Hex } from "@/lib/security/crypto";
import type { Scope } from "@/db/scope";
import type { ReviewResource } from "@/lib/validation/reviews";
import { createTenant, scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import * as mcpRoute from "@/app/api/mcp/route";

/**
 * The MCP endpoint driven by the SDK's own client. Its transport's fetch calls the route handler with
 * the Web Request it would have sent over the network, so everything from the Bearer check to the
 * JSON-RPC answer runs as in the app; the e2e spec does the same over real HTTP.
 */

let db: Db;
let dispose: () => Promise<void>;
let acmeAdmin: Scope;
let reviewer: Scope;
let writeKey: string;
let readKey: string;
let otherKey: string;
const clients: Client[] = [];

const ENDPOINT = "http://countersign.test/api/mcp";

function callRoute(url: string | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(url, init);
  const handler = { POST: mcpRoute.POST, GET: mcpRoute.GET, DELETE: mcpRoute.DELETE }[request.method];
  return handler ? handler(request) : Promise.resolve(new Response(null, { status: 405 }));
}

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "countersign-tests", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(ENDPOINT), { fetch: callRoute, requestInit: { headers: { authorization: `Bearer ${key}` } } });
  await client.connect(transport);
  clients.push(client);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const reviewOf = (result: CallToolResult) => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as unknown as ReviewResource;
};

const unique = () => Math.random().toString(36).slice(2, 10);
const refund = (extra: Record<string, unknown> = {}) => ({
  taskType: "refund.issue",
  title: `Refund ${unique()}`,
  action: { orderId: `A-${unique()}`, amount: 40 },
  amount: { value: 40, currency: "USD" },
  confidence: 0.9,
  priority: "low",
  ...extra,
});

async function reviewCount(): Promise<number> {
  return (await db.select({ id: reviews.id }).from(reviews)).length;
}

/** A reviewer claims and decides, as the queue page's server action does. */
async function decide(id: string, decision: { outcome: "approved" } | { outcome: "edited"; action: Record<string, unknown> } | { outcome: "rejected"; reason: string; note?: string }) {
  const claim = await claimItem(db, reviewer, id, { leaseMinutes: 10 });
  if (!claim) throw new Error(`could not claim ${id}`);
  const base = { reviewId: id, version: claim.version, timeOnItemMs: 1000 };
  if (decision.outcome === "edited") return decideReview(db, reviewer, { ...base, outcome: "edited", action: decision.action });
  return decideReview(db, reviewer, { ...base, ...decision });
}

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  installAsAppDb(t.handle);
  await seedDemo(db, { passwordHash: await testPasswordHash() });
  acmeAdmin = await scopeByEmail(db, "admin@acme.test");
  reviewer = await scopeByEmail(db, "reviewer@acme.test");
  writeKey = (await createApiKey(db, acmeAdmin, { name: "mcp agent", scopes: ["reviews:write", "reviews:read"] })).key;
  readKey = (await createApiKey(db, acmeAdmin, { name: "mcp reader", scopes: ["reviews:read"] })).key;
  const other = await createTenant(db, "Other");
  otherKey = (await createApiKey(db, other.admin, { name: "other agent", scopes: ["reviews:write", "reviews:read"] })).key;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await dispose?.();
});

describe("the HTTP endpoint", () => {
  const initialize = (key?: string) =>
    callRoute(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
    });

  it("refuses a missing, malformed, unknown or revoked key with a 401 problem before any MCP processing", async () => {
    const revoked = await createApiKey(db, acmeAdmin, { name: "soon revoked", scopes: ["reviews:read"] });
    expect((await initialize(revoked.key)).status).toBe(200);
    await revokeApiKey(db, acmeAdmin, { id: revoked.id });
    for (const key of [undefined, "not-a-key", `cs_live_${"x".repeat(43)}`, revoked.key]) {
      const res = await initialize(key);
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await res.json()).detail).toContain("API key");
    }
    await expect(connect(revoked.key)).rejects.toThrow(/401|Unauthorized/i);
  });

  it("answers GET and DELETE with 405 (stateless: no server stream, no session), after the key check", async () => {
    for (const method of ["GET", "DELETE"]) {
      expect((await callRoute(ENDPOINT, { method, headers: { authorization: `Bearer ${writeKey}`, accept: "text/event-stream" } })).status).toBe(405);
      expect((await callRoute(ENDPOINT, { method })).status).toBe(401);
    }
  });

  it("answers a body that isn't JSON-RPC with a JSON-RPC error, not a 500", async () => {
    const res = await callRoute(ENDPOINT, {
      method: "POST",
      headers: { authorization: `Bearer ${writeKey}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: "{oops",
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe(-32700);
  });
});

describe("tools", () => {
  it("lists the four tools with schemas from the REST API's zod schemas and descriptions written for a model", async () => {
    const client = await connect(writeKey);
    expect(client.getInstructions()).toContain("Act only when the review's status is approved");
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(["cancel_review", "get_review", "list_task_types", "request_review"]);
    const submit = byName.request_review;
    expect(submit.inputSchema.required).toEqual(["taskType", "action"]);
    expect(submit.inputSchema.properties).toMatchObject({
      taskType: { pattern: "^[a-z0-9._-]+$", maxLength: 100 },
      priority: { enum: ["low", "normal", "high", "urgent"] },
      waitSeconds: { maximum: 50 },
      idempotencyKey: { maxLength: 255 },
    });
    expect(submit.description).toContain("rejected: do not perform the action");
    expect(submit.description).toContain("auto_approved");
    expect(submit.description).toContain("pending");
    expect(submit.outputSchema?.properties).toHaveProperty("decision");
    expect(byName.get_review.annotations?.readOnlyHint).toBe(true);
    expect(byName.list_task_types.annotations?.readOnlyHint).toBe(true);
  });

  it("list_task_types tells which task types a person looks at first", async () => {
    const result = await call(await connect(readKey), "list_task_types", {});
    expect(result.isError).toBeFalsy();
    const { taskTypes } = result.structuredContent as { taskTypes: { key: string; mode: string; needsHumanByDefault: boolean; floors: string[] }[] };
    expect(taskTypes.find((t) => t.key === "route.adjust")).toMatchObject({ mode: "flag_on_exception", needsHumanByDefault: false });
    expect(taskTypes.find((t) => t.key === "refund.issue")).toMatchObject({ mode: "approve_before_action", needsHumanByDefault: true, floors: ["amount"] });
    expect(textOf(result)).toMatch(/refund\.issue \(approve_before_action\): a person decides each item first; always a person first for amounts over 500 USD/);
  });

  it("request_review on an auto-approved task type answers approved at once, with the action's hash, audited as the REST API does", async () => {
    const client = await connect(writeKey);
    const action = { routeId: `R-${unique()}`, stopsAdded: 1 };
    const started = Date.now();
    const result = await call(client, "request_review", { taskType: "route.adjust", action, confidence: 0.99, priority: "low" });
    const review = reviewOf(result);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(review).toMatchObject({ status: "approved", decision: { outcome: "auto_approved", action } });
    expect(review.decision!.actionHash).toBe(sha256Hex(canonicalJson(action)));
    expect(textOf(result)).toMatch(/^APPROVED automatically .* you may proceed/);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "review.submitted"), eq(auditLog.targetId, review.id)));
    expect(audit.actorApiKeyId).not.toBeNull();
  });

  it("request_review on a gated task type answers pending; get_review waits and is woken by the decision (edited: the final action)", async () => {
    const client = await connect(writeKey);
    const pending = reviewOf(await call(client, "request_review", { ...refund(), waitSeconds: 0 }));
    expect(pending).toMatchObject({ status: "pending", decision: null, routing: { needsHuman: true, reasons: ["mode:approve_before_action"] } });

    const notYet = await call(client, "get_review", { id: pending.id });
    expect(textOf(notYet)).toContain(`PENDING: a person must decide before you act`);
    expect(textOf(notYet)).toContain(`Call get_review with id "${pending.id}"`);

    const started = Date.now();
    const waiting = call(client, "get_review", { id: pending.id, waitSeconds: 25 });
    const edited = { ...pending.action, amount: 35 };
    await new Promise((resolve) => setTimeout(resolve, 300));
    await decide(pending.id, { outcome: "edited", action: edited });
    const result = await waiting;
    expect(Date.now() - started).toBeLessThan(10_000);
    const decided = reviewOf(result);
    expect(decided).toMatchObject({ status: "approved", decision: { outcome: "edited", action: edited, reviewer: { email: "reviewer@acme.test" } } });
    expect(decided.decision!.actionHash).toBe(sha256Hex(canonicalJson(edited)));
    expect(textOf(result)).toContain("APPROVED WITH EDITS");
    expect(textOf(result)).toContain("not what you proposed");
  });

  it("request_review itself waits for a decision made while it waits", async () => {
    const client = await connect(writeKey);
    const externalId = `mcp-${unique()}`;
    const waiting = call(client, "request_review", { ...refund({ externalId }), waitSeconds: 25 });
    let id: string | undefined;
    for (let i = 0; i < 100 && !id; i++) {
      [{ id } = { id: undefined }] = await db.select({ id: reviews.id }).from(reviews).where(eq(reviews.externalId, externalId));
      if (!id) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await decide(id!, { outcome: "approved" });
    const review = reviewOf(await waiting);
    expect(review).toMatchObject({ id, status: "approved", decision: { outcome: "approved" } });
  });

  it("a rejection tells the agent not to act, with the reason", async () => {
    const client = await connect(writeKey);
    const pending = reviewOf(await call(client, "request_review", { ...refund(), waitSeconds: 0 }));
    await decide(pending.id, { outcome: "rejected", reason: "incorrect", note: "Wrong order" });
    const result = await call(client, "get_review", { id: pending.id });
    expect(reviewOf(result)).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "incorrect" } });
    expect(textOf(result)).toMatch(/^REJECTED by .*: do not perform the action\. Reason: "incorrect"\. Reviewer's note: "Wrong order"/);
  });

  it("an idempotencyKey replays the first review (and its current state) instead of creating a second; other arguments are refused", async () => {
    const client = await connect(writeKey);
    const args = { ...refund(), idempotencyKey: `mcp-${unique()}`, waitSeconds: 0 };
    const first = reviewOf(await call(client, "request_review", args));
    const before = await reviewCount();
    const again = await call(client, "request_review", args);
    expect(reviewOf(again).id).toBe(first.id);
    expect(textOf(again)).toContain("already used with these arguments");
    expect(await reviewCount()).toBe(before);

    await decide(first.id, { outcome: "approved" });
    expect(reviewOf(await call(client, "request_review", args)).status).toBe("approved");

    const other = await call(client, "request_review", { ...args, title: "Something else" });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain("already used with a different request body");
    expect(await reviewCount()).toBe(before);
  });

  it("a key without reviews:read that replays another request's idempotencyKey gets the stored answer, never the decision", async () => {
    const writeOnly = (await createApiKey(db, acmeAdmin, { name: "mcp write-only", scopes: ["reviews:write"] })).key;
    const args = { ...refund(), idempotencyKey: `mcp-${unique()}`, waitSeconds: 0 };
    const first = reviewOf(await call(await connect(writeKey), "request_review", args));
    await decide(first.id, { outcome: "rejected", reason: "incorrect", note: "Customer flagged for fraud" });

    const replay = await call(await connect(writeOnly), "request_review", { ...args, waitSeconds: 5 });
    expect(reviewOf(replay)).toEqual(first);
    expect(reviewOf(replay)).toMatchObject({ status: "pending", decision: null });
    expect(textOf(replay)).toContain("as it was first answered");
    expect(textOf(replay)).not.toMatch(/fraud|incorrect|reviewer@acme\.test/);

    // Its own new submission too: waiting would read the decision, which needs reviews:read.
    const own = reviewOf(await call(await connect(writeOnly), "request_review", { ...refund(), waitSeconds: 5 }));
    expect(own).toMatchObject({ status: "pending", decision: null });
  });

  it("cancel_review withdraws a pending review once; a decided one is a conflict", async () => {
    const client = await connect(writeKey);
    const pending = reviewOf(await call(client, "request_review", { ...refund(), waitSeconds: 0 }));
    const cancelled = await call(client, "cancel_review", { id: pending.id });
    expect(reviewOf(cancelled).status).toBe("cancelled");
    expect(textOf(cancelled)).toContain("Do not perform the action");
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "review.cancelled"), eq(auditLog.targetId, pending.id)));
    expect(audit).toBeDefined();

    const twice = await call(client, "cancel_review", { id: pending.id });
    expect(twice.isError).toBe(true);
    expect(textOf(twice)).toBe("Conflict (409): This review is already cancelled and can't be cancelled.");
  });

  it("another organization's review id is not found, exactly like an unknown one, and is left alone", async () => {
    const theirs = reviewOf(await call(await connect(otherKey), "request_review", { ...refund(), waitSeconds: 0 }));
    const client = await connect(writeKey);
    for (const id of [theirs.id, "00000000-0000-4000-8000-000000000000", "not-an-id"]) {
      for (const tool of ["get_review", "cancel_review"]) {
        const result = await call(client, tool, { id });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toBe(`Not found (404): No review with id ${JSON.stringify(id)} in your organization. Use the id that request_review answered.`);
      }
    }
    const [row] = await db.select({ status: reviews.status }).from(reviews).where(eq(reviews.id, theirs.id));
    expect(row.status).toBe("pending");
  });

  it("malformed arguments are a tool error naming each field, and nothing is written", async () => {
    const client = await connect(writeKey);
    const before = await reviewCount();
    const result = await call(client, "request_review", { taskType: "Refund Issue", action: "refund it", confidence: 2, waitSeconds: 300, sneaky: true });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain("Use lowercase letters, digits, '.', '_' and '-' only at taskType");
    expect(text).toMatch(/expected record.* at action/);
    expect(text).toContain("Between 0 and 1 at confidence");
    expect(text).toContain("Wait at most 50 seconds");
    expect(text).toContain('Unrecognized key: "sneaky"');
    expect(await reviewCount()).toBe(before);

    const missing = await call(client, "get_review", {});
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/at id/);

    // The session survives: the next call works.
    expect((await call(client, "list_task_types", {})).isError).toBeFalsy();
  });

  it("request_review refuses an amount that disagrees with the one in the action (issue 14), and floors one only in the action", async () => {
    const client = await connect(writeKey);
    const before = await reviewCount();
    const refused = await call(client, "request_review", refund({ action: { orderId: `A-${unique()}`, amount: 5000 }, amount: { value: 40, currency: "USD" }, waitSeconds: 0 }));
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/Invalid request \(422\).*\n- amount: `amount.value` is 40 but action.amount is 5000/);
    expect(await reviewCount()).toBe(before);
    const { amount: _omitted, ...withoutAmount } = refund({ action: { orderId: `A-${unique()}`, amount: 5000 }, waitSeconds: 0 });
    void _omitted;
    const floored = reviewOf(await call(client, "request_review", withoutAmount));
    expect(floored.routing.reasons).toEqual(["floor:amount", "mode:approve_before_action"]);
  });

  it("a key without reviews:write may read but not submit or cancel", async () => {
    const client = await connect(readKey);
    const before = await reviewCount();
    const submitted = await call(client, "request_review", refund());
    expect(submitted.isError).toBe(true);
    expect(textOf(submitted)).toBe("Forbidden (403): This API key lacks the `reviews:write` scope.");
    expect(await reviewCount()).toBe(before);
    const cancel = await call(client, "cancel_review", { id: "00000000-0000-4000-8000-000000000000" });
    expect(textOf(cancel)).toContain("lacks the `reviews:write` scope");
  });

  it("tool calls count against the key's rate limit, as REST requests do", async () => {
    const busy = await createApiKey(db, acmeAdmin, { name: "busy", scopes: ["reviews:read"] });
    const client = await connect(busy.key);
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    await db.insert(rateLimitCounters).values({ key: `api:${busy.id}`, windowStart, count: 1_000_000 });
    const result = await call(client, "list_task_types", {});
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Too many requests \(429\): .* Retry after \d+ seconds\.$/);
  });
});
