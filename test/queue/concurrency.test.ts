import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimNext, listQueue } from "@/db/queries/queue";
import { auditLog, dailyRollups, decisions, reviews } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { parseQueueParams, type DecisionInput } from "@/lib/validation/queue";
import type { Priority } from "@/db/schema";
import { queryRows } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { seededRandom } from "@/lib/data/seeded-random";
import { createTaskType, createWorld, member, openPool, submit, type Member, type World } from "./world";

/**
 * Many reviewers working one queue at once. On PostgreSQL the claimers and deciders run on a real
 * connection pool, so SKIP LOCKED, the row lock in `decideReview` and the one-final-decision index
 * all meet genuine concurrency; PGlite has one connection and runs the same code serialized.
 */

let handle: DbHandle;
let dispose: () => Promise<void>;
let pool: Awaited<ReturnType<typeof openPool>>;

beforeAll(async () => {
  const t = await createTestDb();
  handle = t.handle;
  dispose = t.dispose;
  pool = await openPool(handle, 20);
});
afterAll(async () => {
  await pool?.close();
  await dispose?.();
});

const rank: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

/** Runs `fn` over `items`, `width` at a time. */
async function inBatches<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)));
}

describe("50 concurrent claimers over 500 items", () => {
  const ITEMS = 500;
  const CLAIMERS = 50;
  let world: World;
  let claimers: Member[];
  let ids: string[];

  beforeAll(async () => {
    const db = handle.db;
    world = await createWorld(db, "Bulk", ["Bulk"]);
    await createTaskType(db, world, { key: "bulk.refund", space: "Bulk", mode: "approve_before_action" });
    claimers = [];
    for (let i = 0; i < CLAIMERS; i++) claimers.push(await member(db, world, "reviewer", ["Bulk"], `Claimer ${i}`));
    const priorities: Priority[] = ["low", "normal", "high", "urgent"];
    const created: string[] = new Array(ITEMS);
    await inBatches(Array.from({ length: ITEMS }, (_, i) => i), pool.driver === "postgres" ? 20 : 1, async (i) => {
      const r = await submit(pool.db, world, {
        taskType: "bulk.refund",
        title: `Bulk item ${i}`,
        action: { orderId: `B-${i}`, amount: i },
        priority: priorities[i % 4],
        confidence: (i % 10) / 10,
      });
      created[i] = r.id;
    });
    ids = created;
  }, 120_000);

  it("claims and decides every item exactly once, most urgent first", async () => {
    const db = pool.db;
    type Done = { reviewId: string; userId: string; outcome: DecisionInput["outcome"]; priorityRank: number };
    const errors: unknown[] = [];
    const priorityOf = new Map((await handle.db.select({ id: reviews.id, priority: reviews.priority }).from(reviews).where(eq(reviews.organizationId, world.organizationId))).map((r) => [r.id, rank[r.priority]]));

    const work = async (claimer: Member, index: number): Promise<Done[]> => {
      const random = seededRandom(index + 1);
      const done: Done[] = [];
      for (;;) {
        let claim;
        try {
          claim = await claimNext(db, claimer.scope, { leaseMinutes: 10 });
        } catch (e) {
          errors.push(e);
          break;
        }
        if (!claim) break;
        const roll = random();
        const input: DecisionInput =
          roll < 0.6
            ? { outcome: "approved", reviewId: claim.id, version: claim.version, timeOnItemMs: Math.floor(random() * 60_000) }
            : roll < 0.8
              ? { outcome: "edited", reviewId: claim.id, version: claim.version, timeOnItemMs: Math.floor(random() * 60_000), action: { edited: true, by: claimer.userId } }
              : { outcome: "rejected", reviewId: claim.id, version: claim.version, timeOnItemMs: Math.floor(random() * 60_000), reason: "incorrect" };
        try {
          await decideReview(db, claimer.scope, input);
          done.push({ reviewId: claim.id, userId: claimer.userId, outcome: input.outcome, priorityRank: priorityOf.get(claim.id)! });
        } catch (e) {
          errors.push(e);
        }
      }
      return done;
    };

    const started = performance.now();
    const results = await Promise.all(claimers.map(work));
    const seconds = (performance.now() - started) / 1000;
    console.info(`[${pool.driver}] ${CLAIMERS} claimers worked ${ITEMS} items in ${seconds.toFixed(1)} s`);

    expect(errors.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual([]);
    const all = results.flat();
    // Every item claimed exactly once (no lease ran out, so no item was ever claimed twice) …
    expect(all).toHaveLength(ITEMS);
    expect(new Set(all.map((d) => d.reviewId))).toEqual(new Set(ids));
    // … and work was actually shared, not done by one claimer while the rest found nothing.
    expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(pool.driver === "postgres" ? 10 : 1);
    // Nothing returns to the queue and nothing new arrives, so each claimer's claims never go up in priority.
    for (const mine of results) {
      for (let i = 1; i < mine.length; i++) expect(mine[i].priorityRank).toBeLessThanOrEqual(mine[i - 1].priorityRank);
    }

    const rows = await handle.db
      .select({ reviewId: decisions.reviewId, reviewerId: decisions.reviewerId, outcome: decisions.outcome, final: decisions.final })
      .from(decisions)
      .where(eq(decisions.organizationId, world.organizationId));
    expect(rows).toHaveLength(ITEMS);
    expect(new Set(rows.map((r) => r.reviewId)).size).toBe(ITEMS);
    expect(rows.every((r) => r.final)).toBe(true);
    const byReview = new Map(all.map((d) => [d.reviewId, d]));
    for (const row of rows) {
      expect(row.reviewerId).toBe(byReview.get(row.reviewId)!.userId);
      expect(row.outcome).toBe(byReview.get(row.reviewId)!.outcome);
    }

    // Each item moved exactly twice after submission (one claim, one decision) and left the queue.
    const states = await handle.db
      .select({ status: reviews.status, version: reviews.version, claimedBy: reviews.claimedBy, reviewedAt: reviews.reviewedAt })
      .from(reviews)
      .where(eq(reviews.organizationId, world.organizationId));
    expect(states).toHaveLength(ITEMS);
    for (const s of states) {
      expect(s.version).toBe(3);
      expect(s.claimedBy).toBeNull();
      expect(s.reviewedAt).not.toBeNull();
      expect(["approved", "rejected"]).toContain(s.status);
    }
    expect((await listQueue(db, claimers[0].scope, parseQueueParams({}))).total).toBe(0);
    expect(await claimNext(db, claimers[0].scope, { leaseMinutes: 10 })).toBeNull();

    const [rollup] = await handle.db
      .select({
        approved: sql<number>`sum(${dailyRollups.approved})::int`,
        edited: sql<number>`sum(${dailyRollups.edited})::int`,
        rejected: sql<number>`sum(${dailyRollups.rejected})::int`,
        timed: sql<number>`sum(${dailyRollups.timeOnItemCount})::int`,
      })
      .from(dailyRollups)
      .where(eq(dailyRollups.organizationId, world.organizationId));
    const count = (o: string) => all.filter((d) => d.outcome === o).length;
    expect(rollup).toEqual({ approved: count("approved"), edited: count("edited"), rejected: count("rejected"), timed: ITEMS });

    const [audited] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, world.organizationId), eq(auditLog.action, "review.decided")));
    expect(audited.n).toBe(ITEMS);
  }, 90_000);
});

describe("two decisions on the same item at once", () => {
  let world: World;
  let ana: Member;
  let ben: Member;

  beforeAll(async () => {
    world = await createWorld(handle.db, "Race", ["Race"]);
    await createTaskType(handle.db, world, { key: "race.item", space: "Race" });
    ana = await member(handle.db, world, "reviewer", ["Race"], "Ana Race");
    ben = await member(handle.db, world, "reviewer", ["Race"], "Ben Race");
  });

  const newItem = async (i: number) => (await submit(handle.db, world, { taskType: "race.item", title: `Race ${i}`, action: { n: i } })).id;

  async function decisionsOf(db: Db, reviewId: string) {
    return db.select({ reviewerId: decisions.reviewerId, outcome: decisions.outcome }).from(decisions).where(eq(decisions.reviewId, reviewId));
  }

  /** Exactly one of the two settled, the other refused with a conflict naming the winner, and one decision row. */
  async function expectOneWinner(reviewId: string, settled: PromiseSettledResult<unknown>[], contenders: [Member, DecisionInput["outcome"]][]) {
    const won = settled.map((s) => s.status === "fulfilled");
    expect(won.filter(Boolean)).toHaveLength(1);
    const loser = settled.find((s): s is PromiseRejectedResult => s.status === "rejected")!;
    expect(loser.reason).toBeInstanceOf(AppError);
    expect((loser.reason as AppError).code).toBe("conflict");
    const [winner, outcome] = contenders[won.indexOf(true)];
    expect((loser.reason as AppError).message).toContain(`already decided by ${winner.name}`);
    expect(await decisionsOf(handle.db, reviewId)).toEqual([{ reviewerId: winner.userId, outcome }]);
    const [r] = await handle.db.select({ version: reviews.version, status: reviews.status }).from(reviews).where(eq(reviews.id, reviewId));
    expect(r.status).toBe(outcome === "rejected" ? "rejected" : "approved");
  }

  it("lets exactly one of two reviewers decide a free item; the other is told who did", async () => {
    for (let i = 0; i < 20; i++) {
      const id = await newItem(i);
      const contenders: [Member, DecisionInput["outcome"]][] = [
        [ana, "approved"],
        [ben, "rejected"],
      ];
      const settled = await Promise.allSettled([
        decideReview(pool.db, ana.scope, { outcome: "approved", reviewId: id, version: 1, timeOnItemMs: 10 }),
        decideReview(pool.db, ben.scope, { outcome: "rejected", reviewId: id, version: 1, timeOnItemMs: 20, reason: "duplicate" }),
      ]);
      await expectOneWinner(id, settled, contenders);
    }
  });

  it("keeps a double-submitted decision from the lease holder to one", async () => {
    for (let i = 0; i < 10; i++) {
      const id = await newItem(100 + i);
      const claim = (await claimNext(pool.db, ana.scope, { leaseMinutes: 10 }))!;
      expect(claim.id).toBe(id);
      const settled = await Promise.allSettled([
        decideReview(pool.db, ana.scope, { outcome: "approved", reviewId: id, version: claim.version, timeOnItemMs: 10 }),
        decideReview(pool.db, ana.scope, { outcome: "edited", reviewId: id, version: claim.version, timeOnItemMs: 10, action: { n: -1 } }),
      ]);
      await expectOneWinner(id, settled, [
        [ana, "approved"],
        [ana, "edited"],
      ]);
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)("on PostgreSQL, two deciders queued on the same row lock: one decides, the other finds it decided", async () => {
    // Hold the item's row lock on a third connection until both deciders are provably waiting on it,
    // so the race is forced rather than left to scheduling.
    for (let i = 0; i < 5; i++) {
      const id = await newItem(200 + i);
      let deciders!: Promise<PromiseSettledResult<unknown>[]>;
      await pool.db.transaction(async (tx) => {
        await tx.execute(sql`select id from reviews where id = ${id} for update`);
        deciders = Promise.allSettled([
          decideReview(pool.db, ana.scope, { outcome: "approved", reviewId: id, version: 1, timeOnItemMs: 10 }),
          decideReview(pool.db, ben.scope, { outcome: "rejected", reviewId: id, version: 1, timeOnItemMs: 20, reason: "incorrect" }),
        ]);
        const deadline = Date.now() + 10_000;
        for (;;) {
          const [{ n }] = await queryRows<{ n: number }>(
            handle.db,
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
          );
          if (n >= 2) break;
          if (Date.now() > deadline) throw new Error(`Only ${n} decider(s) reached the row lock`);
          await new Promise((r) => setTimeout(r, 10));
        }
      });
      await expectOneWinner(id, await deciders, [
        [ana, "approved"],
        [ben, "rejected"],
      ]);
    }
  });

  it("counts a raced item once in the rollup", async () => {
    const [row] = await handle.db
      .select({ n: sql<number>`sum(${dailyRollups.approved} + ${dailyRollups.edited} + ${dailyRollups.rejected})::int` })
      .from(dailyRollups)
      .where(eq(dailyRollups.organizationId, world.organizationId));
    const [decided] = await handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reviews)
      .where(and(eq(reviews.organizationId, world.organizationId), isNotNull(reviews.reviewedAt)));
    expect(decided.n).toBe(process.env.TEST_DATABASE_URL ? 35 : 30);
    expect(row.n).toBe(decided.n);
  });
});
