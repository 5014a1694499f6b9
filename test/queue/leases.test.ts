import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, claimNext, getQueueItem, leaseMinutesOf, listQueue, releaseLease, renewLease } from "@/db/queries/queue";
import { auditLog, dailyRollups, decisions, organizations, reviews } from "@/db/schema";
import { parseQueueParams } from "@/lib/validation/queue";
import { expectAppError } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type Member, type World } from "./world";

/** Claims are leases: they run out, can be taken over, and a reviewer whose lease was taken can't decide. */

let db: Db;
let dispose: () => Promise<void>;
let world: World;
let ana: Member;
let ben: Member;
let item: string;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Leases", ["Desk"]);
  await createTaskType(db, world, { key: "lease.item", space: "Desk" });
  ana = await member(db, world, "reviewer", ["Desk"], "Ana Lease");
  ben = await member(db, world, "reviewer", ["Desk"], "Ben Takeover");
});
afterAll(async () => dispose?.());

beforeEach(async () => {
  // One fresh item per test; anything left over from the last test is decided out of the way.
  await db.update(reviews).set({ status: "cancelled" }).where(and(eq(reviews.organizationId, world.organizationId), eq(reviews.status, "pending")));
  item = (await submit(db, world, { taskType: "lease.item", title: "Lease item", action: { n: 1 } })).id;
});

/** Ends a lease now, as if its time had run out. */
const expireLease = (id: string) => db.update(reviews).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(reviews.id, id));

async function writtenFor(id: string) {
  const [d] = await db.select({ n: sql<number>`count(*)::int` }).from(decisions).where(eq(decisions.reviewId, id));
  const [a] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.targetId, id), sql`${auditLog.action} in ('review.decided', 'review.audited')`));
  const [r] = await db
    .select({ n: sql<number>`coalesce(sum(${dailyRollups.approved} + ${dailyRollups.edited} + ${dailyRollups.rejected}), 0)::int` })
    .from(dailyRollups)
    .where(eq(dailyRollups.organizationId, world.organizationId));
  return { decisions: d.n, audit: a.n, rollup: r.n };
}

describe("a stale lease cannot decide", () => {
  it("refuses the reviewer whose expired lease was taken over, names who took it, and writes nothing", async () => {
    const anaClaim = (await claimItem(db, ana.scope, item, { leaseMinutes: 10 }))!;
    expect(anaClaim).not.toBeNull();
    // While Ana's lease runs, Ben can neither take the item nor get it as "next".
    expect(await claimItem(db, ben.scope, item, { leaseMinutes: 10 })).toBeNull();
    expect(await claimNext(db, ben.scope, { leaseMinutes: 10 })).toBeNull();

    await expireLease(item);
    const benClaim = (await claimNext(db, ben.scope, { leaseMinutes: 10 }))!;
    expect(benClaim.id).toBe(item);
    expect(benClaim.version).toBeGreaterThan(anaClaim.version);
    const before = await writtenFor(item);

    for (const input of [
      { outcome: "approved" as const, reviewId: item, version: anaClaim.version, timeOnItemMs: 5_000 },
      { outcome: "rejected" as const, reviewId: item, version: anaClaim.version, timeOnItemMs: 5_000, reason: "incorrect" },
      { outcome: "edited" as const, reviewId: item, version: anaClaim.version, timeOnItemMs: 5_000, action: { n: 2 } },
    ]) {
      const error = await expectAppError(decideReview(db, ana.scope, input), "conflict");
      expect(error.message).toContain(`taken over by ${ben.name}`);
      expect(error.message).toContain("their claim runs until");
    }
    // Using Ben's version doesn't help Ana either: the item is his while his lease runs.
    expect((await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: benClaim.version, timeOnItemMs: 1 }), "conflict")).message).toContain(ben.name);

    expect(await writtenFor(item)).toEqual(before);
    const [row] = await db.select().from(reviews).where(eq(reviews.id, item));
    expect(row).toMatchObject({ status: "pending", claimedBy: ben.userId, version: benClaim.version, reviewedAt: null, decidedAt: null });
    // Ana's open page can't keep the lease alive any more, nor give Ben's claim away.
    expect(await renewLease(db, ana.scope, { id: item, version: anaClaim.version, leaseMinutes: 10 })).toBeNull();
    expect(await releaseLease(db, ana.scope, item)).toBe(false);
    expect((await getQueueItem(db, ana.scope, item))?.claim).toMatchObject({ userId: ben.userId, name: ben.name });

    // Ben decides normally.
    const done = await decideReview(db, ben.scope, { outcome: "approved", reviewId: item, version: benClaim.version, timeOnItemMs: 1_000 });
    expect(done).toMatchObject({ status: "approved", outcome: "approved", auditSample: false });
    const [decision] = await db.select().from(decisions).where(eq(decisions.reviewId, item));
    expect(decision.reviewerId).toBe(ben.userId);
  });

  it("still names the taker once their lease has run out too, without a time", async () => {
    const anaClaim = (await claimItem(db, ana.scope, item, { leaseMinutes: 10 }))!;
    await expireLease(item);
    expect(await claimItem(db, ben.scope, item, { leaseMinutes: 10 })).not.toBeNull();
    await expireLease(item);
    const error = await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: anaClaim.version, timeOnItemMs: 1 }), "conflict");
    expect(error.message).toContain(`taken over by ${ben.name}`);
    expect(error.message).not.toContain("their claim runs until");
    expect((await writtenFor(item)).decisions).toBe(0);
  });

  it("lets the holder of an expired lease decide when nobody took the item", async () => {
    const claim = (await claimItem(db, ana.scope, item, { leaseMinutes: 10 }))!;
    await expireLease(item);
    // The lapsed item is back in the queue as unclaimed …
    const page = await listQueue(db, ben.scope, parseQueueParams({ claim: "unclaimed" }));
    expect(page.rows.map((r) => r.id)).toContain(item);
    // … but as long as nobody took it, the version Ana opened is still current.
    await expect(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: claim.version, timeOnItemMs: 1 })).resolves.toMatchObject({ status: "approved" });
  });

  it("refuses a plain version mismatch and writes nothing", async () => {
    // Ana opened the item at version 1; Ben claimed and released it since, so it has moved on.
    const benClaim = (await claimItem(db, ben.scope, item, { leaseMinutes: 10 }))!;
    expect(await releaseLease(db, ben.scope, item)).toBe(true);
    const before = await writtenFor(item);
    const stale = await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: 1, timeOnItemMs: 1 }), "conflict");
    expect(stale.message).toMatch(/changed since you opened it/);
    // A version from the future is no better.
    await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: benClaim.version + 1, timeOnItemMs: 1 }), "conflict");
    expect(await writtenFor(item)).toEqual(before);
    const [row] = await db.select({ status: reviews.status, version: reviews.version }).from(reviews).where(eq(reviews.id, item));
    expect(row).toEqual({ status: "pending", version: benClaim.version });
    // With the current version the same decision goes through.
    await expect(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: benClaim.version, timeOnItemMs: 1 })).resolves.toMatchObject({ status: "approved" });
  });

  it("refuses a decision on an item someone else holds, with who and until when", async () => {
    const benClaim = (await claimItem(db, ben.scope, item, { leaseMinutes: 10 }))!;
    const error = await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: benClaim.version, timeOnItemMs: 1 }), "conflict");
    expect(error.message).toContain(ben.name);
    expect(error.message).toContain(benClaim.leaseExpiresAt.toISOString().slice(11, 16));
  });

  it("refuses a second decision on a decided item, naming who decided", async () => {
    const claim = (await claimItem(db, ana.scope, item, { leaseMinutes: 10 }))!;
    await decideReview(db, ana.scope, { outcome: "rejected", reviewId: item, version: claim.version, timeOnItemMs: 1, reason: "duplicate" });
    const [after] = await db.select({ version: reviews.version }).from(reviews).where(eq(reviews.id, item));
    const error = await expectAppError(decideReview(db, ben.scope, { outcome: "approved", reviewId: item, version: after.version, timeOnItemMs: 1 }), "conflict");
    expect(error.message).toContain(`already decided by ${ana.name}`);
    expect(await claimItem(db, ben.scope, item, { leaseMinutes: 10 })).toBeNull();
    expect((await writtenFor(item)).decisions).toBe(1);
  });

  it("refuses decisions on cancelled and expired items", async () => {
    await db.update(reviews).set({ status: "cancelled" }).where(eq(reviews.id, item));
    expect((await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: 1, timeOnItemMs: 1 }), "conflict")).message).toMatch(/cancelled/);
    await db.update(reviews).set({ status: "expired" }).where(eq(reviews.id, item));
    expect((await expectAppError(decideReview(db, ana.scope, { outcome: "approved", reviewId: item, version: 1, timeOnItemMs: 1 }), "conflict")).message).toMatch(/expired/);
    expect(await claimItem(db, ana.scope, item, { leaseMinutes: 10 })).toBeNull();
    expect((await writtenFor(item)).decisions).toBe(0);
  });
});

describe("renewing and releasing", () => {
  it("renews the holder's lease without moving the version, and opening it again keeps the claim", async () => {
    const claim = (await claimItem(db, ana.scope, item, { leaseMinutes: 1 }))!;
    const renewed = await renewLease(db, ana.scope, { id: item, version: claim.version, leaseMinutes: 10 });
    expect(renewed!.getTime()).toBeGreaterThan(claim.leaseExpiresAt.getTime() + 8 * 60_000);
    const again = (await claimItem(db, ana.scope, item, { leaseMinutes: 10 }))!;
    expect(again.version).toBe(claim.version);
    // Someone else can't renew Ana's lease.
    expect(await renewLease(db, ben.scope, { id: item, version: claim.version, leaseMinutes: 10 })).toBeNull();
  });

  it("gives a released item back to the queue for the next claimer", async () => {
    const claim = (await claimNext(db, ana.scope, { leaseMinutes: 10 }))!;
    expect(claim.id).toBe(item);
    expect(await releaseLease(db, ben.scope, item)).toBe(false);
    expect(await releaseLease(db, ana.scope, item)).toBe(true);
    const [row] = await db.select({ claimedBy: reviews.claimedBy, leaseExpiresAt: reviews.leaseExpiresAt }).from(reviews).where(eq(reviews.id, item));
    expect(row).toEqual({ claimedBy: null, leaseExpiresAt: null });
    expect((await claimNext(db, ben.scope, { leaseMinutes: 10 }))?.id).toBe(item);
  });

  it("reads the lease length from the organization, within bounds", async () => {
    expect(await leaseMinutesOf(db, world.organizationId)).toBe(10);
    await db.update(organizations).set({ settings: { leaseMinutes: 3 } }).where(eq(organizations.id, world.organizationId));
    expect(await leaseMinutesOf(db, world.organizationId)).toBe(3);
    await db.update(organizations).set({ settings: { leaseMinutes: 0 } }).where(eq(organizations.id, world.organizationId));
    expect(await leaseMinutesOf(db, world.organizationId)).toBe(10);
    await db.update(organizations).set({ settings: {} }).where(eq(organizations.id, world.organizationId));
  });
});
