import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, claimNext, getQueueItem, listMyDecisions, listQueue } from "@/db/queries/queue";
import { reviewResource } from "@/db/queries/reviews";
import { rollupDifferences } from "@/db/queries/rollups";
import { auditLog, dailyRollups, decisions, reviewerDailyRollups, reviews, webhookDeliveries, type Decision } from "@/db/schema";
import { parseQueueParams, type DecisionInput } from "@/lib/validation/queue";
import type { ReviewSubmissionInput } from "@/lib/validation/reviews";
import { expectAppError } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { agentScope, createTaskType, createWorld, member, openPool, submit, type Member, type World } from "./world";

/**
 * The two-person rule end to end below the UI: which items need two approvals (read when submitted),
 * what a first approval writes (and doesn't), who may give the second, how a rejection ends it, and
 * that racing second approvers still produce exactly one final decision.
 */

// Callback targets (nothing is sent: no worker runs here); loopback is refused unless allow-listed.
process.env.WEBHOOK_ALLOWLIST = "localhost:443";
const HOOK = "https://localhost/hook";

let handle: DbHandle;
let db: Db;
let dispose: () => Promise<void>;
let world: World;
let other: World;
let ann: Member;
let bob: Member;
let cat: Member;
let intruder: Member;

beforeAll(async () => {
  const t = await createTestDb();
  handle = t.handle;
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Two person", ["Ops"]);
  other = await createWorld(db, "Elsewhere", ["Ops"]);
  await createTaskType(db, world, { key: "refund.issue", space: "Ops", amountLimit: "5000.00", amountCurrency: "USD", twoPersonRule: { aboveAmount: 250 } });
  await createTaskType(db, world, { key: "wire.send", space: "Ops", twoPersonRule: { always: true } });
  await createTaskType(db, world, { key: "note.tag", space: "Ops" });
  await createTaskType(db, world, { key: "audit.me", space: "Ops", mode: "flag_on_exception", auditSampleRate: 1, confidenceThreshold: 0.5, twoPersonRule: { always: true } });
  ann = await member(db, world, "reviewer", ["Ops"], "Ann Approver");
  bob = await member(db, world, "reviewer", ["Ops"], "Bob Second");
  cat = await member(db, world, "manager", ["Ops"], "Cat Manager");
  intruder = await member(db, other, "admin", ["Ops"], "Ian Intruder");
});
afterAll(async () => dispose?.());

const refund = (value: number, currency = "USD", extra: Partial<ReviewSubmissionInput> = {}): ReviewSubmissionInput => ({
  taskType: "refund.issue",
  title: `Refund ${value} ${currency}`,
  action: { orderId: "A-1", amount: value },
  amount: { value, currency },
  ...extra,
});

async function row(id: string) {
  const [r] = await db.select().from(reviews).where(eq(reviews.id, id));
  return r;
}

async function decisionsOf(id: string): Promise<Decision[]> {
  return db.select().from(decisions).where(eq(decisions.reviewId, id)).orderBy(asc(decisions.createdAt));
}

async function auditOf(id: string) {
  return db.select({ action: auditLog.action, data: auditLog.data }).from(auditLog).where(eq(auditLog.targetId, id)).orderBy(asc(auditLog.id));
}

/** Claims the item for `who` and decides it at the version the claim gave. */
async function claimAndDecide(who: Member, id: string, decision: Partial<DecisionInput> & Pick<DecisionInput, "outcome">, now?: Date) {
  const claim = await claimItem(db, who.scope, id, { leaseMinutes: 10 });
  if (!claim) throw new Error(`${who.email} could not claim ${id}`);
  return decideReview(db, who.scope, { reviewId: id, version: claim.version, timeOnItemMs: 1000, ...decision } as DecisionInput, now);
}

describe("which items need two approvals", () => {
  it("reads the task type's rule at submission: always, above an amount, another currency, no amount", async () => {
    const cases: [ReviewSubmissionInput, number][] = [
      [{ taskType: "wire.send", action: { to: "X" } }, 2],
      [refund(100), 1],
      [refund(250), 1],
      [refund(250.01), 2],
      [refund(100, "EUR"), 2],
      // No amount to compare: it may be above the threshold (issue 14), so two people look.
      [{ taskType: "refund.issue", action: { orderId: "A-2" } }, 2],
      [{ taskType: "note.tag", action: { tag: "x" }, amount: { value: 1e6, currency: "USD" } }, 1],
      // Audit samples already ran: a second approval would change nothing.
      [{ taskType: "audit.me", action: { x: 1 }, confidence: 0.9 }, 1],
    ];
    for (const [input, needed] of cases) {
      const r = await submit(db, world, input);
      expect((await row(r.id)).approvalsNeeded, JSON.stringify(input)).toBe(needed);
    }
  });

  it("applies the rule in a batch the same way", async () => {
    const { submitReviews } = await import("@/lib/submissions/submit");
    const outcomes = await submitReviews(db, { scope: world.agent }, [{ body: refund(900) }, { body: refund(90) }]);
    const ids = outcomes.map((o) => (o.ok ? (JSON.parse(o.response.body) as { id: string }).id : null));
    expect(await Promise.all(ids.map(async (id) => (await row(id!)).approvalsNeeded))).toEqual([2, 1]);
  });
});

describe("the first approval", () => {
  it("keeps the item pending, releases the claim, writes a non-final decision and tells nobody yet", async () => {
    const r = await submit(db, world, refund(800, "USD", { callbackUrl: HOOK }));
    const before = await row(r.id);
    const result = await claimAndDecide(ann, r.id, { outcome: "approved" });
    expect(result).toMatchObject({ status: "pending", awaiting: { approvalsGiven: 1, approvalsNeeded: 2 } });

    const after = await row(r.id);
    expect(after).toMatchObject({ status: "pending", claimedBy: null, leaseExpiresAt: null, decidedAt: null, reviewedAt: null });
    expect(after.version).toBeGreaterThan(before.version);
    const ds = await decisionsOf(r.id);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ outcome: "approved", final: false, reviewerId: ann.userId });
    expect((await auditOf(r.id)).map((a) => a.action)).toEqual(["review.submitted", "review.first_approval"]);
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, world.organizationId))).toHaveLength(0);
    // The agent still sees it waiting, with no decision.
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ status: "pending", decision: null, decidedAt: null });
    // Not a decision for the rollups yet.
    const [rollup] = await db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, world.organizationId));
    expect(rollup.approved + rollup.edited + rollup.rejected).toBe(0);
    expect(await rollupDifferences(db, world.organizationId)).toEqual([]);
  });

  it("refuses the same reviewer's second approval (or rejection) and writes nothing", async () => {
    const r = await submit(db, world, refund(800));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    const before = await row(r.id);
    const auditBefore = await auditOf(r.id);
    for (const decision of [{ outcome: "approved" }, { outcome: "edited", action: { orderId: "A-1", amount: 1 } }, { outcome: "rejected", reason: "incorrect" }] as const) {
      const error = await expectAppError(decideReview(db, ann.scope, { reviewId: r.id, version: before.version, timeOnItemMs: 5, ...decision } as DecisionInput), "conflict");
      expect(error.message).toContain("You gave the first approval; a second reviewer must approve");
    }
    expect(await row(r.id)).toEqual(before);
    expect(await decisionsOf(r.id)).toHaveLength(1);
    expect(await auditOf(r.id)).toEqual(auditBefore);
  });

  it("is not offered to its approver: neither claimed on opening nor as the next item", async () => {
    const r = await submit(db, world, refund(800, "USD", { priority: "urgent", title: "Mine to skip" }));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    expect(await claimItem(db, ann.scope, r.id, { leaseMinutes: 10 })).toBeNull();
    const next = await claimNext(db, ann.scope, { leaseMinutes: 10 });
    expect(next?.id).not.toBe(r.id);
    if (next) await db.update(reviews).set({ claimedBy: null, leaseExpiresAt: null }).where(eq(reviews.id, next.id));
    // Anyone else gets it first: it is the most urgent item.
    expect((await claimNext(db, bob.scope, { leaseMinutes: 10 }))?.id).toBe(r.id);
    await db.update(reviews).set({ claimedBy: null, leaseExpiresAt: null }).where(eq(reviews.id, r.id));
  });

  it("shows as 1 of 2 approvals, with who gave it, in the queue and on the item", async () => {
    const r = await submit(db, world, refund(800, "USD", { title: "Shown with its approval" }));
    const fresh = await submit(db, world, refund(801, "USD", { title: "Shown needing two" }));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    const { rows } = await listQueue(db, bob.scope, parseQueueParams({ q: "Shown " }));
    const byTitle = Object.fromEntries(rows.map((q) => [q.title, q.approvals]));
    expect(byTitle["Shown with its approval"]).toMatchObject({ needed: 2, given: [{ userId: ann.userId, name: "Ann Approver", outcome: "approved" }] });
    expect(byTitle["Shown needing two"]).toEqual({ needed: 2, given: [] });
    expect(new Date(byTitle["Shown with its approval"].given[0].at).getTime()).not.toBeNaN();
    const item = await getQueueItem(db, bob.scope, r.id);
    expect(item!.approvals).toMatchObject([{ reviewerId: ann.userId, reviewerName: "Ann Approver", final: false }]);
    expect(item!.decision).toBeNull();
    expect(item!.inQueue).toBe(true);
    expect(fresh.id).toBeTruthy();
  });
});

describe("the second approval", () => {
  it("by another reviewer approves the item: one final decision, the agent told, the rollup counted once", async () => {
    const { organizationId } = await createWorld(db, "Counted", ["Ops"]).then(async (w) => {
      await createTaskType(db, w, { key: "wire.send", space: "Ops", twoPersonRule: { always: true } });
      const a = await member(db, w, "reviewer", ["Ops"], "A");
      const b = await member(db, w, "reviewer", ["Ops"], "B");
      const r = await submit(db, w, { taskType: "wire.send", action: { to: "X", amount: 5 }, callbackUrl: HOOK, confidence: 0.85 });
      await claimAndDecide(a, r.id, { outcome: "approved" });
      const result = await claimAndDecide(b, r.id, { outcome: "approved" });
      expect(result).toEqual({ reviewId: r.id, status: "approved", outcome: "approved", auditSample: false });
      const ds = await decisionsOf(r.id);
      expect(ds.map((d) => [d.reviewerId, d.final, d.outcome])).toEqual([
        [a.userId, false, "approved"],
        [b.userId, true, "approved"],
      ]);
      const resource = await reviewResource(db, w.organizationId, r.id);
      expect(resource).toMatchObject({ status: "approved", decision: { outcome: "approved", reviewer: { name: "B" } } });
      expect((await auditOf(r.id)).map((e) => e.action)).toEqual(["review.submitted", "review.first_approval", "review.decided"]);
      const hooks = await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, w.organizationId));
      expect(hooks.map((h) => h.event)).toEqual(["review.decided"]);
      expect((await row(r.id)).reviewedAt).not.toBeNull();
      return w;
    });
    const [rollup] = await db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, organizationId));
    expect(rollup).toMatchObject({ submitted: 1, approved: 1, edited: 0, rejected: 0, timeOnItemCount: 1, timeOnItemMsSum: 1000 });
    expect(rollup.confidenceDecided.reduce((n, x) => n + x, 0)).toBe(1);
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
  });

  it("approves the first approver's edit as it stands: the outcome is edited, with the edited action", async () => {
    const r = await submit(db, world, refund(800, "USD", { draft: "Refund on its way." }));
    await claimAndDecide(ann, r.id, { outcome: "edited", action: { orderId: "A-1", amount: 400 } });
    // The second reviewer sees the edited version as what is proposed.
    const item = await getQueueItem(db, bob.scope, r.id);
    expect(item!.approvals[0]).toMatchObject({ outcome: "edited", action: { orderId: "A-1", amount: 400 } });
    // Re-submitting the first approver's edit as an "edit" changes nothing.
    const version = (await claimItem(db, bob.scope, r.id, { leaseMinutes: 10 }))!.version;
    await expectAppError(decideReview(db, bob.scope, { reviewId: r.id, version, timeOnItemMs: 1, outcome: "edited", action: { orderId: "A-1", amount: 400 } }), "invalid");
    const result = await decideReview(db, bob.scope, { reviewId: r.id, version, timeOnItemMs: 1, outcome: "approved" });
    expect(result).toEqual({ reviewId: r.id, status: "approved", outcome: "edited", auditSample: false });
    const final = (await decisionsOf(r.id)).find((d) => d.final)!;
    expect(final).toMatchObject({ outcome: "edited", reviewerId: bob.userId, action: { orderId: "A-1", amount: 400 }, draft: "Refund on its way." });
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ status: "approved", decision: { outcome: "edited", action: { orderId: "A-1", amount: 400 } } });
  });

  it("records what each approver did: the one who only approves an edit is `approved` in My decisions, the API and their rollup", async () => {
    const w = await createWorld(db, "Per approver", ["Ops"]);
    await createTaskType(db, w, { key: "wire.send", space: "Ops", twoPersonRule: { always: true } });
    const editor = await member(db, w, "reviewer", ["Ops"], "Eve Editor");
    const second = await member(db, w, "reviewer", ["Ops"], "Sam Second");
    const r = await submit(db, w, { taskType: "wire.send", action: { to: "X", amount: 500 } });
    await claimAndDecide(editor, r.id, { outcome: "edited", action: { to: "X", amount: 50 } });
    const result = await claimAndDecide(second, r.id, { outcome: "approved" });
    // The item is `edited` (someone changed the action); the second approver approved.
    expect(result.outcome).toBe("edited");
    expect((await decisionsOf(r.id)).map((d) => [d.reviewerId, d.final, d.outcome, d.reviewerOutcome])).toEqual([
      [editor.userId, false, "edited", "edited"],
      [second.userId, true, "edited", "approved"],
    ]);
    expect((await listMyDecisions(db, second.scope, { days: 30, page: 1 })).rows.map((d) => d.outcome)).toEqual(["approved"]);
    expect((await listMyDecisions(db, editor.scope, { days: 30, page: 1 })).rows.map((d) => d.outcome)).toEqual(["edited"]);
    expect((await listMyDecisions(db, second.scope, { outcome: "edited", days: 30, page: 1 })).total).toBe(0);
    expect(await reviewResource(db, w.organizationId, r.id)).toMatchObject({
      decision: { outcome: "edited", reviewer: { name: "Sam Second" }, approvals: [{ reviewer: { name: "Eve Editor" }, outcome: "edited" }] },
    });
    const perReviewer = await db
      .select({ reviewerId: reviewerDailyRollups.reviewerId, approved: reviewerDailyRollups.approved, edited: reviewerDailyRollups.edited })
      .from(reviewerDailyRollups)
      .where(eq(reviewerDailyRollups.organizationId, w.organizationId));
    expect(perReviewer.find((x) => x.reviewerId === second.userId)).toMatchObject({ approved: 1, edited: 0 });
    expect(perReviewer.find((x) => x.reviewerId === editor.userId)).toMatchObject({ approved: 0, edited: 1 });
    // The task type counts the item once, as edited; both tables agree with a recount.
    const [rollup] = await db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, w.organizationId));
    expect(rollup).toMatchObject({ approved: 0, edited: 1, rejected: 0 });
    expect(await rollupDifferences(db, w.organizationId)).toEqual([]);
  });

  it("two plain approvals are `approved`, never `edited`", async () => {
    const r = await submit(db, world, refund(810));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    expect((await claimAndDecide(bob, r.id, { outcome: "approved" })).outcome).toBe("approved");
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ decision: { outcome: "approved", approvals: [{ outcome: "approved" }] } });
  });

  it("may edit on top of the first approval", async () => {
    const r = await submit(db, world, refund(800));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    const result = await claimAndDecide(bob, r.id, { outcome: "edited", action: { orderId: "A-1", amount: 300 } });
    expect(result).toMatchObject({ status: "approved", outcome: "edited" });
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ decision: { outcome: "edited", action: { orderId: "A-1", amount: 300 } } });
  });

  it("can come from a manager", async () => {
    const r = await submit(db, world, refund(800));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    expect(await claimAndDecide(cat, r.id, { outcome: "approved" })).toEqual({ reviewId: r.id, status: "approved", outcome: "approved", auditSample: false });
  });
});

describe("a rejection ends it", () => {
  it("as the first decision", async () => {
    const r = await submit(db, world, refund(800));
    const result = await claimAndDecide(ann, r.id, { outcome: "rejected", reason: "incorrect" });
    expect(result).toEqual({ reviewId: r.id, status: "rejected", outcome: "rejected", auditSample: false });
    expect((await decisionsOf(r.id)).map((d) => [d.outcome, d.final])).toEqual([["rejected", true]]);
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ status: "rejected", decision: { outcome: "rejected" } });
  });

  it("after a first approval", async () => {
    const r = await submit(db, world, refund(800));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    const result = await claimAndDecide(bob, r.id, { outcome: "rejected", reason: "policy_violation", note: "Over the customer's order total" });
    expect(result).toEqual({ reviewId: r.id, status: "rejected", outcome: "rejected", auditSample: false });
    expect((await decisionsOf(r.id)).map((d) => [d.reviewerId, d.outcome, d.final])).toEqual([
      [ann.userId, "approved", false],
      [bob.userId, "rejected", true],
    ]);
    expect(await reviewResource(db, world.organizationId, r.id)).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "policy_violation" } });
    // Nobody can add a third opinion.
    await expectAppError(decideReview(db, cat.scope, { reviewId: r.id, version: (await row(r.id)).version, timeOnItemMs: 1, outcome: "approved" }), "conflict");
  });
});

describe("racing second approvers", () => {
  it("produce exactly one final decision, and never two approvals by one person", async () => {
    const pool = await openPool(handle, 10);
    try {
      const racers = [bob, cat, await member(db, world, "reviewer", ["Ops"], "Dee Third")];
      for (let round = 0; round < 5; round++) {
        const r = await submit(db, world, refund(900));
        await claimAndDecide(ann, r.id, { outcome: "approved" });
        const version = (await row(r.id)).version;
        // Everyone (the first approver too) tries at once, from the same version of the unclaimed item.
        const attempts = [ann, ...racers].map((who) => decideReview(pool.db, who.scope, { reviewId: r.id, version, timeOnItemMs: 10, outcome: "approved" }));
        const settled = await Promise.allSettled(attempts);
        expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(1);
        expect(settled[0].status).toBe("rejected");
        const ds = await decisionsOf(r.id);
        expect(ds.filter((d) => d.final)).toHaveLength(1);
        expect(ds).toHaveLength(2);
        expect(new Set(ds.map((d) => d.reviewerId)).size).toBe(2);
        expect((await row(r.id)).status).toBe("approved");
      }
      // Two first approvals racing on a fresh item: one wins, the other must start again.
      const r = await submit(db, world, refund(900));
      const version = (await row(r.id)).version;
      const first = await Promise.allSettled([ann, bob].map((who) => decideReview(pool.db, who.scope, { reviewId: r.id, version, timeOnItemMs: 10, outcome: "approved" })));
      expect(first.filter((s) => s.status === "fulfilled")).toHaveLength(1);
      expect(await row(r.id)).toMatchObject({ status: "pending" });
      expect(await decisionsOf(r.id)).toHaveLength(1);
      expect(await rollupDifferences(db, world.organizationId)).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});

describe("organization isolation", () => {
  it("another organization's admin can neither see, claim nor approve a two-person item", async () => {
    const r = await submit(db, world, refund(800));
    await claimAndDecide(ann, r.id, { outcome: "approved" });
    const before = await row(r.id);
    expect(await getQueueItem(db, intruder.scope, r.id)).toBeNull();
    expect(await claimItem(db, intruder.scope, r.id, { leaseMinutes: 10 })).toBeNull();
    await expectAppError(decideReview(db, intruder.scope, { reviewId: r.id, version: before.version, timeOnItemMs: 1, outcome: "approved" }), "not_found");
    expect(await row(r.id)).toEqual(before);
    expect(await decisionsOf(r.id)).toHaveLength(1);
    const theirs = await listQueue(db, intruder.scope, parseQueueParams({}));
    expect(theirs.rows.map((q) => q.id)).not.toContain(r.id);
    // Their own agent can't read it either.
    const theirAgent = await agentScope(db, other);
    expect(await reviewResource(db, theirAgent.organizationId, r.id)).toBeNull();
    expect(await db.select().from(decisions).where(and(eq(decisions.organizationId, other.organizationId)))).toHaveLength(0);
  });
});
