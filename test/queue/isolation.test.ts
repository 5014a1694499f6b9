import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, claimNext, getQueueItem, listMyDecisions, listQueue, queueFacets, releaseLease, renewLease } from "@/db/queries/queue";
import { auditLog, decisions, reviews, workspaceMembers } from "@/db/schema";
import type { Scope } from "@/db/scope";
import { parseQueueParams, type DecisionInput } from "@/lib/validation/queue";
import { expectAppError } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type Member, type World } from "./world";

/**
 * Who sees and works what: a reviewer only their own workspaces, a manager or admin every workspace
 * of their organization, and nobody anything of another organization — which answers exactly like
 * an id that doesn't exist.
 */

let db: Db;
let dispose: () => Promise<void>;
let acme: World;
let globex: World;
let cara: Member; // reviewer, Clinical only
let otto: Member; // reviewer, Ops only
let manager: Member; // manager, in no workspace
let outsider: Member; // reviewer of the other organization, in its Clinical workspace
const clinical: string[] = [];
const ops: string[] = [];
const foreign: string[] = [];

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  acme = await createWorld(db, "Acme", ["Clinical", "Ops"]);
  globex = await createWorld(db, "Globex", ["Clinical"]);
  await createTaskType(db, acme, { key: "note.write", space: "Clinical" });
  await createTaskType(db, acme, { key: "refund.issue", space: "Ops" });
  // The same task type key in the other organization: keys are per organization.
  await createTaskType(db, globex, { key: "note.write", space: "Clinical" });
  cara = await member(db, acme, "reviewer", ["Clinical"], "Cara Clinical");
  otto = await member(db, acme, "reviewer", ["Ops"], "Otto Ops");
  manager = await member(db, acme, "manager", [], "Mona Manager");
  outsider = await member(db, globex, "reviewer", ["Clinical"], "Olga Outsider");
  for (let i = 0; i < 4; i++) {
    clinical.push((await submit(db, acme, { taskType: "note.write", title: `Acme note ${i}`, action: { i } })).id);
    ops.push((await submit(db, acme, { taskType: "refund.issue", title: `Acme refund ${i}`, action: { i } })).id);
    foreign.push((await submit(db, globex, { taskType: "note.write", title: `Globex note ${i}`, action: { i } })).id);
  }
});
afterAll(async () => dispose?.());

const all = (scope: Scope) => listQueue(db, scope, parseQueueParams({ size: "100" }));
const ids = async (scope: Scope) => new Set((await all(scope)).rows.map((r) => r.id));
const approve = (id: string, version = 1): DecisionInput => ({ outcome: "approved", reviewId: id, version, timeOnItemMs: 1 });

async function untouched(id: string) {
  const [r] = await db.select({ status: reviews.status, claimedBy: reviews.claimedBy, version: reviews.version, reviewedAt: reviews.reviewedAt }).from(reviews).where(eq(reviews.id, id));
  expect(r).toEqual({ status: "pending", claimedBy: null, version: 1, reviewedAt: null });
  const [d] = await db.select({ n: sql<number>`count(*)::int` }).from(decisions).where(eq(decisions.reviewId, id));
  expect(d.n).toBe(0);
  const [a] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "review.decided")));
  expect(a.n).toBe(0);
}

describe("listing", () => {
  it("shows a reviewer only the items and facets of their workspaces", async () => {
    expect(await ids(cara.scope)).toEqual(new Set(clinical));
    expect(await ids(otto.scope)).toEqual(new Set(ops));
    // Filtering by a workspace they aren't in finds nothing rather than widening the view.
    const page = await listQueue(db, cara.scope, parseQueueParams({ workspace: acme.spaces.Ops }));
    expect(page).toEqual({ rows: [], total: 0 });
    const facets = await queueFacets(db, cara.scope);
    expect(facets.workspaces).toEqual([{ id: acme.spaces.Clinical, name: "Clinical", waiting: 4, overdue: 0 }]);
    expect(facets.taskTypes.map((t) => t.key)).toEqual(["note.write"]);
  });

  it("shows a manager every workspace of their organization and none of another's", async () => {
    expect(await ids(manager.scope)).toEqual(new Set([...clinical, ...ops]));
    expect(await ids(acme.admin)).toEqual(new Set([...clinical, ...ops]));
    const opsOnly = await listQueue(db, manager.scope, parseQueueParams({ workspace: acme.spaces.Ops }));
    expect(new Set(opsOnly.rows.map((r) => r.id))).toEqual(new Set(ops));
    const facets = await queueFacets(db, manager.scope);
    // The sign-up's default workspace is empty but still one of the organization's.
    expect(facets.workspaces.map((w) => w.name).sort()).toEqual(["Clinical", "General", "Ops"]);
    expect(facets.workspaces.find((w) => w.name === "Ops")?.waiting).toBe(4);
    // Another organization's workspace id and task type key filter to nothing.
    expect((await listQueue(db, manager.scope, parseQueueParams({ workspace: globex.spaces.Clinical }))).total).toBe(0);
    expect(await ids(globex.admin)).toEqual(new Set(foreign));
    expect(await ids(outsider.scope)).toEqual(new Set(foreign));
  });

  it("opens nothing outside the scope: another workspace's or organization's id reads as unknown", async () => {
    expect(await getQueueItem(db, cara.scope, ops[0])).toBeNull();
    expect(await getQueueItem(db, otto.scope, clinical[0])).toBeNull();
    expect(await getQueueItem(db, outsider.scope, clinical[0])).toBeNull();
    expect(await getQueueItem(db, globex.admin, ops[0])).toBeNull();
    expect(await getQueueItem(db, manager.scope, foreign[0])).toBeNull();
    expect(await getQueueItem(db, cara.scope, "00000000-0000-4000-8000-000000000000")).toBeNull();
    expect((await getQueueItem(db, cara.scope, clinical[0]))?.review.id).toBe(clinical[0]);
    expect((await getQueueItem(db, manager.scope, ops[0]))?.review.id).toBe(ops[0]);
  });
});

describe("claiming and deciding", () => {
  it("refuses to claim, renew, release or decide an item of another workspace, and changes nothing", async () => {
    const target = ops[0];
    expect(await claimItem(db, cara.scope, target, { leaseMinutes: 10 })).toBeNull();
    expect(await renewLease(db, cara.scope, { id: target, version: 1, leaseMinutes: 10 })).toBeNull();
    expect(await releaseLease(db, cara.scope, target)).toBe(false);
    await expectAppError(decideReview(db, cara.scope, approve(target)), "not_found");
    await expectAppError(decideReview(db, cara.scope, { outcome: "rejected", reviewId: target, version: 1, timeOnItemMs: 1, reason: "incorrect" }), "not_found");
    await untouched(target);
  });

  it("refuses another organization's items exactly like unknown ids, whatever the role", async () => {
    for (const scope of [outsider.scope, globex.admin]) {
      for (const target of [clinical[1], ops[1]]) {
        expect(await claimItem(db, scope, target, { leaseMinutes: 10 })).toBeNull();
        expect(await renewLease(db, scope, { id: target, version: 1, leaseMinutes: 10 })).toBeNull();
        expect(await releaseLease(db, scope, target)).toBe(false);
        const error = await expectAppError(decideReview(db, scope, approve(target)), "not_found");
        const unknown = await expectAppError(decideReview(db, scope, approve("00000000-0000-4000-8000-000000000000")), "not_found");
        expect(error.message).toBe(unknown.message);
        await untouched(target);
      }
    }
    // Nor does a manager of this organization reach the other's.
    await expectAppError(decideReview(db, manager.scope, approve(foreign[1])), "not_found");
    await untouched(foreign[1]);
  });

  it("lets claimNext hand out only the caller's workspaces' items", async () => {
    const claimed: string[] = [];
    for (let c = await claimNext(db, cara.scope, { leaseMinutes: 10 }); c; c = await claimNext(db, cara.scope, { leaseMinutes: 10 })) claimed.push(c.id);
    expect(new Set(claimed)).toEqual(new Set(clinical));
    // The outsider's "next" is their own organization's work, never ours.
    const theirs = await claimNext(db, outsider.scope, { leaseMinutes: 10 });
    expect(foreign).toContain(theirs!.id);
    await releaseLease(db, outsider.scope, theirs!.id);
    for (const id of ops) await untouched(id);
    for (const id of claimed) await releaseLease(db, cara.scope, id);
  });

  it("lets a manager claim and decide in any workspace of their organization", async () => {
    const claim = (await claimItem(db, manager.scope, ops[2], { leaseMinutes: 10 }))!;
    expect(claim).not.toBeNull();
    await expect(decideReview(db, manager.scope, approve(ops[2], claim.version))).resolves.toMatchObject({ status: "approved" });
    const [d] = await db.select({ reviewerId: decisions.reviewerId, organizationId: decisions.organizationId }).from(decisions).where(eq(decisions.reviewId, ops[2]));
    expect(d).toEqual({ reviewerId: manager.userId, organizationId: acme.organizationId });
  });

  it("stops a reviewer removed from a workspace mid-claim from deciding there", async () => {
    const claim = (await claimItem(db, otto.scope, ops[3], { leaseMinutes: 10 }))!;
    expect(claim).not.toBeNull();
    await db.delete(workspaceMembers).where(and(eq(workspaceMembers.userId, otto.userId), eq(workspaceMembers.workspaceId, acme.spaces.Ops)));
    try {
      await expectAppError(decideReview(db, otto.scope, approve(ops[3], claim.version)), "not_found");
      expect(await getQueueItem(db, otto.scope, ops[3])).toBeNull();
      expect((await all(otto.scope)).total).toBe(0);
    } finally {
      await db.insert(workspaceMembers).values({ organizationId: acme.organizationId, workspaceId: acme.spaces.Ops, userId: otto.userId });
    }
    const [d] = await db.select({ n: sql<number>`count(*)::int` }).from(decisions).where(eq(decisions.reviewId, ops[3]));
    expect(d.n).toBe(0);
  });

  it("keeps each reviewer's decision history to their own organization and self", async () => {
    const mine = await listMyDecisions(db, manager.scope, { days: 30, page: 1 });
    expect(mine.rows.map((r) => r.reviewId)).toEqual([ops[2]]);
    expect((await listMyDecisions(db, outsider.scope, { days: 30, page: 1 })).total).toBe(0);
    expect((await listMyDecisions(db, globex.admin, { days: 30, page: 1 })).total).toBe(0);
    expect((await listMyDecisions(db, cara.scope, { days: 30, page: 1 })).total).toBe(0);
  });
});
