import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, claimNext, getQueueItem, listMyDecisions, listQueue, queueFacets, queuePosition, releaseLease } from "@/db/queries/queue";
import { cancelReview, expireDueReviews } from "@/db/queries/reviews";
import { reviews } from "@/db/schema";
import type { Scope } from "@/db/scope";
import { parseQueueParams } from "@/lib/validation/queue";
import type { ReviewSubmissionInput } from "@/lib/validation/reviews";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type Member, type World } from "./world";

/**
 * The queue table's server side: every filter, every sort in both directions, and paging, over a
 * small set of items whose expected place in each view is worked out by hand below.
 */

let db: Db;
let dispose: () => Promise<void>;
let world: World;
let lena: Member; // works the queue
let max: Member; // holds a claim of his own
const MIN = 60_000;
const t0 = Date.now();
/** Item ids by their short names. */
const ids: Record<string, string> = {};
const nameOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;

// name → submission, and how long ago it arrived. Refunds have a 60-minute SLA, routes and audits 240.
const items: Record<string, [ReviewSubmissionInput, number]> = {
  // floor:amount (600 > 500), urgent, due 4 h ago
  coupon: [{ taskType: "list.refund", title: "50% off coupon refund", externalId: "ord_50%", priority: "urgent", amount: { value: 600, currency: "USD" }, confidence: 0.9, action: { n: 1 } }, 300],
  fivehundred: [{ taskType: "list.refund", title: "500 off refund", externalId: "ord-500", priority: "high", amount: { value: 100, currency: "USD" }, confidence: 0.3, action: { n: 2 } }, 120],
  underscore: [{ taskType: "list.refund", title: "a_b test", externalId: "X_1", priority: "normal", amount: { value: 50, currency: "USD" }, confidence: 0.7, action: { n: 3 } }, 40],
  lookalike: [{ taskType: "list.refund", title: "axb test", externalId: "XY1", priority: "low", action: { n: 4 } }, 10],
  // rule:big_detour, due 21 h ago
  detour: [{ taskType: "list.route", title: "Detour on I-90", externalId: "route-1", priority: "high", confidence: 0.95, action: { detourKm: 25 } }, 25 * 60],
  lowconf: [{ taskType: "list.route", title: "Low confidence route", priority: "normal", confidence: 0.5, action: { detourKm: 1 } }, 180],
  // missing_confidence and agent_flagged
  flagged: [{ taskType: "list.route", title: "Flagged route", priority: "urgent", attributes: { flagged: true }, action: { detourKm: 2 } }, 1],
  // sampled_for_audit: already approved, waiting for its after-the-fact review
  sampled: [{ taskType: "list.audit", title: "Sampled route", priority: "normal", confidence: 0.99, action: { detourKm: 3 } }, 50],
  // Not in the queue: auto-approved, cancelled, decided, expired.
  auto: [{ taskType: "list.route", title: "Auto route", confidence: 0.95, action: { detourKm: 1 } }, 30],
  cancelled: [{ taskType: "list.refund", title: "Cancelled refund", action: { n: 10 } }, 30],
  decided: [{ taskType: "list.refund", title: "Decided refund", action: { n: 11 } }, 30],
  expired: [{ taskType: "list.refund", title: "Expired refund", action: { n: 12 }, expiresInSeconds: 60 }, 30],
};
const queued = ["coupon", "fivehundred", "underscore", "lookalike", "detour", "lowconf", "flagged", "sampled"];

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Listing", ["Front", "Back"]);
  await createTaskType(db, world, { key: "list.refund", space: "Front", mode: "approve_before_action", amountLimit: "500.00", amountCurrency: "USD", slaMinutes: 60 });
  await createTaskType(db, world, {
    key: "list.route",
    space: "Back",
    mode: "flag_on_exception",
    confidenceThreshold: 0.8,
    auditSampleRate: 0,
    exceptionRules: [{ name: "big_detour", path: "action.detourKm", op: "gt", value: 10 }],
  });
  await createTaskType(db, world, { key: "list.audit", space: "Back", mode: "flag_on_exception", confidenceThreshold: 0.5, auditSampleRate: 1 });
  lena = await member(db, world, "reviewer", ["Front", "Back"], "Lena List");
  max = await member(db, world, "reviewer", ["Front", "Back"], "Max Holder");
  for (const [name, [input, minutesAgo]] of Object.entries(items)) {
    ids[name] = (await submit(db, world, input, { now: new Date(t0 - minutesAgo * MIN) })).id;
  }
  await cancelReview(db, world.agent, ids.cancelled);
  await decideReview(db, lena.scope, { outcome: "approved", reviewId: ids.decided, version: 1, timeOnItemMs: 1 });
  expect(await expireDueReviews(db, { now: new Date(t0) })).toBe(1);
  // Lena holds one, Max holds one, and Max's claim on a third has run out.
  await claimItem(db, lena.scope, ids.fivehundred, { leaseMinutes: 10 });
  await claimItem(db, max.scope, ids.lowconf, { leaseMinutes: 10 });
  await claimItem(db, max.scope, ids.underscore, { leaseMinutes: 10 });
  await db.update(reviews).set({ leaseExpiresAt: sql`now() - interval '1 minute'` }).where(eq(reviews.id, ids.underscore));
});
afterAll(async () => dispose?.());

async function names(scope: Scope, query: Record<string, string>) {
  const page = await listQueue(db, scope, parseQueueParams({ size: "100", ...query }));
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((r) => nameOf(r.id));
}
const set = async (query: Record<string, string>) => new Set(await names(lena.scope, query));

describe("filters", () => {
  it("lists what a person still has to look at, and nothing else", async () => {
    expect(await set({})).toEqual(new Set(queued));
    const page = await listQueue(db, lena.scope, parseQueueParams({}));
    const sampled = page.rows.find((r) => r.id === ids.sampled)!;
    expect(sampled).toMatchObject({ status: "approved", blocking: false, reasons: ["sampled_for_audit"] });
    const coupon = page.rows.find((r) => r.id === ids.coupon)!;
    expect(coupon).toMatchObject({
      title: "50% off coupon refund",
      externalId: "ord_50%",
      priority: "urgent",
      reasons: ["floor:amount", "mode:approve_before_action"],
      amount: { value: 600, currency: "USD" },
      confidence: 0.9,
      taskType: { key: "list.refund", mode: "approve_before_action", amountLimit: 500, amountCurrency: "USD" },
      workspace: { id: world.spaces.Front, name: "Front" },
      claim: null,
    });
  });

  it("filters by workspace, task type and priority", async () => {
    expect(await set({ workspace: world.spaces.Front })).toEqual(new Set(["coupon", "fivehundred", "underscore", "lookalike"]));
    expect(await set({ workspace: world.spaces.Back })).toEqual(new Set(["detour", "lowconf", "flagged", "sampled"]));
    expect(await set({ taskType: "list.route" })).toEqual(new Set(["detour", "lowconf", "flagged"]));
    expect(await set({ taskType: "no.such.type" })).toEqual(new Set());
    expect(await set({ priority: "urgent" })).toEqual(new Set(["coupon", "flagged"]));
    expect(await set({ priority: "urgent", workspace: world.spaces.Back })).toEqual(new Set(["flagged"]));
  });

  it("filters by why an item is here, with every exception rule under 'rule'", async () => {
    expect(await set({ reason: "floor:amount" })).toEqual(new Set(["coupon"]));
    expect(await set({ reason: "mode:approve_before_action" })).toEqual(new Set(["coupon", "fivehundred", "underscore", "lookalike"]));
    expect(await set({ reason: "rule" })).toEqual(new Set(["detour"]));
    expect(await set({ reason: "low_confidence" })).toEqual(new Set(["lowconf"]));
    expect(await set({ reason: "missing_confidence" })).toEqual(new Set(["flagged"]));
    expect(await set({ reason: "agent_flagged" })).toEqual(new Set(["flagged"]));
    expect(await set({ reason: "sampled_for_audit" })).toEqual(new Set(["sampled"]));
    // A reason the page doesn't offer is ignored, not an error.
    expect(await set({ reason: "rule:big_detour" })).toEqual(new Set(queued));
  });

  it("filters by SLA state and age", async () => {
    expect(await set({ sla: "overdue" })).toEqual(new Set(["coupon", "fivehundred", "detour"]));
    expect(await set({ sla: "due_soon" })).toEqual(new Set(["underscore"]));
    expect(await set({ sla: "on_track" })).toEqual(new Set(["lookalike", "lowconf", "flagged", "sampled"]));
    expect(await set({ age: "1h" })).toEqual(new Set(["coupon", "fivehundred", "detour", "lowconf"]));
    expect(await set({ age: "4h" })).toEqual(new Set(["coupon", "detour"]));
    expect(await set({ age: "24h" })).toEqual(new Set(["detour"]));
  });

  it("filters by claim: mine, held by anyone, or free (a lapsed lease counts as free)", async () => {
    expect(await set({ claim: "mine" })).toEqual(new Set(["fivehundred"]));
    expect(await names(max.scope, { claim: "mine" })).toEqual(["lowconf"]);
    expect(await set({ claim: "claimed" })).toEqual(new Set(["fivehundred", "lowconf"]));
    expect(await set({ claim: "unclaimed" })).toEqual(new Set(["coupon", "underscore", "lookalike", "detour", "flagged", "sampled"]));
    const rows = (await listQueue(db, lena.scope, parseQueueParams({ claim: "claimed" }))).rows;
    expect(rows.find((r) => r.id === ids.lowconf)?.claim).toMatchObject({ userId: max.userId, name: max.name });
    const all = (await listQueue(db, lena.scope, parseQueueParams({}))).rows;
    expect(all.find((r) => r.id === ids.underscore)?.claim).toBeNull();
  });

  it("searches title and external id case-insensitively, with % and _ taken literally", async () => {
    expect(await set({ q: "50%" })).toEqual(new Set(["coupon"]));
    expect(await set({ q: "a_b" })).toEqual(new Set(["underscore"]));
    expect(await set({ q: "X_1" })).toEqual(new Set(["underscore"]));
    expect(await set({ q: "d_50" })).toEqual(new Set(["coupon"]));
    expect(await set({ q: "%" })).toEqual(new Set(["coupon"]));
    expect(await set({ q: "_" })).toEqual(new Set(["coupon", "underscore"]));
    expect(await set({ q: "\\" })).toEqual(new Set());
    expect(await set({ q: "DETOUR" })).toEqual(new Set(["detour"]));
    expect(await set({ q: "route-1" })).toEqual(new Set(["detour"]));
    expect(await set({ q: "  refund  " })).toEqual(new Set(["coupon", "fivehundred"]));
    // Filters combine.
    expect(await set({ q: "test", priority: "low" })).toEqual(new Set(["lookalike"]));
  });

  it("counts what waits and what is overdue per workspace", async () => {
    const facets = await queueFacets(db, lena.scope);
    expect(facets.workspaces).toEqual([
      { id: world.spaces.Back, name: "Back", waiting: 4, overdue: 1 },
      { id: world.spaces.Front, name: "Front", waiting: 4, overdue: 2 },
    ]);
    expect(facets.taskTypes.map((t) => t.key).sort()).toEqual(["list.audit", "list.refund", "list.route"]);
  });
});

describe("sorting and paging", () => {
  const sorted = (query: Record<string, string>) => names(lena.scope, query);
  const reverse = (a: string[]) => [...a].reverse();

  it("sorts by priority: most urgent then oldest first, and the exact reverse ascending", async () => {
    const expected = ["coupon", "flagged", "detour", "fivehundred", "lowconf", "sampled", "underscore", "lookalike"];
    expect(await sorted({})).toEqual(expected);
    expect(await sorted({ sort: "priority", dir: "desc" })).toEqual(expected);
    expect(await sorted({ sort: "priority", dir: "asc" })).toEqual(reverse(expected));
  });

  it("sorts by age, SLA, confidence and amount, with missing values last both ways", async () => {
    const oldestFirst = ["detour", "coupon", "lowconf", "fivehundred", "sampled", "underscore", "lookalike", "flagged"];
    expect(await sorted({ sort: "age" })).toEqual(oldestFirst);
    expect(await sorted({ sort: "age", dir: "asc" })).toEqual(reverse(oldestFirst));
    const dueFirst = ["detour", "coupon", "fivehundred", "underscore", "lookalike", "lowconf", "sampled", "flagged"];
    expect(await sorted({ sort: "sla" })).toEqual(dueFirst);
    expect(await sorted({ sort: "sla", dir: "desc" })).toEqual(reverse(dueFirst));
    // No confidence: the flagged and the low-priority refund, oldest first, after the rest.
    expect(await sorted({ sort: "confidence" })).toEqual(["fivehundred", "lowconf", "underscore", "coupon", "detour", "sampled", "lookalike", "flagged"]);
    expect(await sorted({ sort: "confidence", dir: "desc" })).toEqual(["sampled", "detour", "coupon", "underscore", "lowconf", "fivehundred", "lookalike", "flagged"]);
    const noAmount = ["detour", "lowconf", "sampled", "lookalike", "flagged"];
    expect(await sorted({ sort: "amount" })).toEqual(["coupon", "fivehundred", "underscore", ...noAmount]);
    expect(await sorted({ sort: "amount", dir: "asc" })).toEqual(["underscore", "fivehundred", "coupon", ...noAmount]);
  });

  it("places an item in a view as the listing does: its number, the total, and its neighbours", async () => {
    const views: Record<string, string>[] = [{}, { sort: "age" }, { sort: "confidence", dir: "desc" }, { taskType: "list.refund" }, { q: "test", sort: "sla" }];
    for (const query of views) {
      const order = (await sorted(query)).map((name) => ids[name]);
      for (const [i, id] of order.entries()) {
        expect(await queuePosition(db, lena.scope, id, parseQueueParams(query))).toEqual({ index: i + 1, total: order.length, prevId: order[i - 1] ?? null, nextId: order[i + 1] ?? null });
      }
    }
    // Outside the view (filtered out, or no longer in the queue): no place.
    expect(await queuePosition(db, lena.scope, ids.detour, parseQueueParams({ taskType: "list.refund" }))).toBeNull();
    expect(await queuePosition(db, lena.scope, ids.decided, parseQueueParams({}))).toBeNull();
    // Another workspace's reviewer and another organization's see no place for it either.
    const back = await member(db, world, "reviewer", ["Back"]);
    expect(await queuePosition(db, back.scope, ids.coupon, parseQueueParams({}))).toBeNull();
    const other = await createWorld(db, "Elsewhere", ["Only"]);
    const stranger = await member(db, other, "admin", ["Only"]);
    expect(await queuePosition(db, stranger.scope, ids.coupon, parseQueueParams({}))).toBeNull();
  });

  it("pages with a total that counts every match, and pages that don't overlap", async () => {
    const paging = await createWorld(db, "Paging", ["Bulk"]);
    await createTaskType(db, paging, { key: "page.item", space: "Bulk" });
    const reader = await member(db, paging, "reviewer", ["Bulk"]);
    const created: string[] = [];
    for (let i = 0; i < 60; i++) {
      created.push((await submit(db, paging, { taskType: "page.item", title: `Page item ${i % 3 === 0 ? "fizz" : "plain"} ${i}`, action: { i } }, { now: new Date(t0 - (60 - i) * MIN) })).id);
    }
    const seen: string[] = [];
    for (const [page, length] of [
      [1, 25],
      [2, 25],
      [3, 10],
      [4, 0],
    ]) {
      const result = await listQueue(db, reader.scope, parseQueueParams({ page: String(page) }));
      expect(result.total).toBe(60);
      expect(result.rows).toHaveLength(length);
      seen.push(...result.rows.map((r) => r.id));
    }
    // All normal priority: oldest first, each exactly once.
    expect(seen).toEqual(created);
    const fizz = await listQueue(db, reader.scope, parseQueueParams({ q: "fizz", size: "50", page: "1" }));
    expect(fizz.total).toBe(20);
    expect(fizz.rows).toHaveLength(20);
    const big = await listQueue(db, reader.scope, parseQueueParams({ size: "50", page: "2" }));
    expect(big.rows.map((r) => r.id)).toEqual(created.slice(50));
  });
});

describe("the queue as reviewers work it", () => {
  it("hands out items in the table's priority order, skipping held ones", async () => {
    const nico = await member(db, world, "reviewer", ["Front", "Back"], "Nico Next");
    const order: string[] = [];
    for (let c = await claimNext(db, nico.scope, { leaseMinutes: 10 }); c; c = await claimNext(db, nico.scope, { leaseMinutes: 10 })) order.push(nameOf(c.id));
    expect(order).toEqual(["coupon", "flagged", "detour", "sampled", "underscore", "lookalike"]);
    for (const name of order) expect(await releaseLease(db, nico.scope, ids[name])).toBe(true);
  });

  it("keeps an audit sample in the queue until it is audited, then drops it", async () => {
    expect((await getQueueItem(db, lena.scope, ids.sampled))).toMatchObject({ inQueue: true, auditSample: true });
    const claim = (await claimItem(db, lena.scope, ids.sampled, { leaseMinutes: 10 }))!;
    await decideReview(db, lena.scope, { outcome: "approved", reviewId: ids.sampled, version: claim.version, timeOnItemMs: 1 });
    expect(await set({})).toEqual(new Set(queued.filter((n) => n !== "sampled")));
    expect(await set({ reason: "sampled_for_audit" })).toEqual(new Set());
    const item = (await getQueueItem(db, lena.scope, ids.sampled))!;
    expect(item).toMatchObject({ inQueue: false, auditSample: true, review: { status: "approved" } });
    expect(item.decision).toMatchObject({ outcome: "approved", final: false, reviewerId: lena.userId, reviewerName: lena.name });
    expect(item.timeline.map((e) => e.action)).toEqual(["review.submitted", "review.audited"]);
    expect((await queueFacets(db, lena.scope)).workspaces.find((w) => w.name === "Back")?.waiting).toBe(3);
  });

  it("lists a reviewer's own decisions with filters", async () => {
    const claim = (await claimItem(db, lena.scope, ids.lookalike, { leaseMinutes: 10 }))!;
    await decideReview(db, lena.scope, { outcome: "rejected", reviewId: ids.lookalike, version: claim.version, timeOnItemMs: 5, reason: "duplicate" });
    const mine = await listMyDecisions(db, lena.scope, { days: 30, page: 1 });
    expect(mine.rows.map((r) => nameOf(r.reviewId))).toEqual(["lookalike", "sampled", "decided"]);
    expect(mine.rows[0]).toMatchObject({ outcome: "rejected", reason: "duplicate", title: "axb test", taskTypeKey: "list.refund" });
    expect((await listMyDecisions(db, lena.scope, { days: 30, page: 1, outcome: "rejected" })).rows.map((r) => nameOf(r.reviewId))).toEqual(["lookalike"]);
    expect((await listMyDecisions(db, lena.scope, { days: 30, page: 1, taskType: "list.audit" })).rows.map((r) => nameOf(r.reviewId))).toEqual(["sampled"]);
    expect((await listMyDecisions(db, lena.scope, { days: 30, page: 1, size: 2 })).rows).toHaveLength(2);
    expect((await listMyDecisions(db, lena.scope, { days: 30, page: 2, size: 2 })).rows.map((r) => nameOf(r.reviewId))).toEqual(["decided"]);
    expect((await listMyDecisions(db, max.scope, { days: 30, page: 1 })).total).toBe(0);
  });
});
