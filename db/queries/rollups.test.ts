import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { dailyRollups, reviewerDailyRollups } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { agentScope } from "@/test/queue/world";
import { submitReviews } from "@/lib/submissions/submit";
import { decideReview } from "./decisions";
import { claimNext } from "./queue";
import { rebuildRollups, rollupDifferences } from "./rollups";

let db: Db;
let dispose: () => Promise<void>;
let organizationId: string;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  organizationId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
}, 120_000);
afterAll(async () => dispose?.());

describe("rollupDifferences and rebuildRollups", () => {
  it("agree with the seed, and still agree after people decide (latency, SLA breaches and deciles included)", async () => {
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
    const riley = await scopeByEmail(db, "reviewer@acme.test");
    const outcomes = ["approved", "rejected", "approved", "approved", "rejected"] as const;
    for (const outcome of outcomes) {
      const claim = (await claimNext(db, riley, { leaseMinutes: 10 }))!;
      await decideReview(db, riley, outcome === "rejected" ? { outcome, reason: "incorrect", reviewId: claim.id, version: claim.version, timeOnItemMs: 4000 } : { outcome, reviewId: claim.id, version: claim.version, timeOnItemMs: 2500 });
    }
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
    // Agents' submissions (one alone, then a batch) count too: submitted, and auto-approved when routed past a person.
    const admin = await scopeByEmail(db, "admin@acme.test");
    const agent = await agentScope(db, { organizationId, adminId: admin.userId, adminEmail: admin.email, admin });
    const items = [
      { taskType: "route.adjust", action: { routeId: "R-1" }, confidence: 0.97 },
      { taskType: "refund.issue", action: { orderId: "A-1" }, amount: { value: 20, currency: "USD" } },
      { taskType: "brand.new.type", action: { x: 1 } },
    ];
    expect((await submitReviews(db, { scope: agent }, [{ body: items[0] }])).every((o) => o.ok)).toBe(true);
    expect((await submitReviews(db, { scope: agent }, items.map((body) => ({ body })))).every((o) => o.ok)).toBe(true);
    expect(await rollupDifferences(db, null)).toEqual([]);
  });

  it("reports a tampered row by column, and a rebuild repairs it", async () => {
    const [row] = await db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, organizationId)).limit(1);
    await db.execute(sql`update daily_rollups set approved = approved + 3, latency_buckets[2] = latency_buckets[2] + 1
      where organization_id = ${organizationId} and task_type_id = ${row.taskTypeId} and mode = ${row.mode} and day = ${row.day}`);
    const differences = await rollupDifferences(db, organizationId);
    expect(differences).toEqual([{ table: "daily_rollups", key: { task_type_id: row.taskTypeId, mode: row.mode, day: row.day }, columns: ["approved", "latency_buckets"] }]);
    // Rows missing altogether are differences too.
    await db.delete(dailyRollups).where(eq(dailyRollups.organizationId, organizationId));
    expect((await rollupDifferences(db, organizationId)).length).toBeGreaterThan(100);
    expect(await rebuildRollups(db, organizationId)).toBeGreaterThan(100);
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
  });

  it("keeps per-reviewer rollups too: a tampered or missing row is reported, and a rebuild repairs it", async () => {
    const [row] = await db.select().from(reviewerDailyRollups).where(eq(reviewerDailyRollups.organizationId, organizationId)).limit(1);
    await db.execute(sql`update reviewer_daily_rollups set approval_time_buckets[1] = approval_time_buckets[1] + 2
      where organization_id = ${organizationId} and reviewer_id = ${row.reviewerId} and task_type_id = ${row.taskTypeId} and day = ${row.day}`);
    expect(await rollupDifferences(db, organizationId)).toEqual([
      { table: "reviewer_daily_rollups", key: { reviewer_id: row.reviewerId, task_type_id: row.taskTypeId, day: row.day }, columns: ["approval_time_buckets"] },
    ]);
    await db.delete(reviewerDailyRollups).where(eq(reviewerDailyRollups.organizationId, organizationId));
    expect((await rollupDifferences(db, organizationId)).every((d) => d.table === "reviewer_daily_rollups" && d.columns.length === 5)).toBe(true);
    await rebuildRollups(db, organizationId);
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
  });
});
