import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { createTenant, queryRows, scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { decideReview } from "./decisions";
import { claimNext } from "./queue";
import { reviewerDays, reviewerTotals } from "./reviewer-analytics";

let db: Db;
let dispose: () => Promise<void>;
let organizationId: string;
const today = new Date().toISOString().slice(0, 10);
const range = { from: "2000-01-01", to: today };

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  organizationId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
}, 120_000);
afterAll(async () => dispose?.());

/** What the decisions themselves say each reviewer decided, per task type: the slow way the rollups save. */
async function countedFromDecisions(workspaceName?: string) {
  return queryRows<{ email: string; key: string; decided: number; fast: number }>(
    db,
    sql`select u.email, t.key, count(*)::int as decided,
        count(*) filter (where d.outcome = 'approved' and coalesce(d.time_on_item_ms, 0) < 5000)::int as fast
      from decisions d join reviews r on r.id = d.review_id join task_types t on t.id = r.task_type_id
      join workspaces w on w.id = t.workspace_id join users u on u.id = d.reviewer_id
      where d.organization_id = ${organizationId} ${workspaceName ? sql`and w.name = ${workspaceName}` : sql``}
      group by 1, 2 order by 1, 2`,
  );
}

describe("reviewerTotals and reviewerDays", () => {
  it("agree with the decisions per reviewer and task type, for all workspaces or one, and follow a new decision", async () => {
    const manager = await scopeByEmail(db, "manager@acme.test");
    const shape = (rows: Awaited<ReturnType<typeof reviewerTotals>>) =>
      rows.map((r) => ({ email: r.reviewerEmail, key: r.taskTypeKey, decided: r.approved + r.edited + r.rejected, fast: r.approvalTimeBuckets[0] + r.approvalTimeBuckets[1] })).sort((a, b) => (a.email + a.key).localeCompare(b.email + b.key));
    expect(shape(await reviewerTotals(db, manager, range))).toEqual(await countedFromDecisions());
    const [clinical] = await queryRows<{ id: string }>(db, sql`select id from workspaces where organization_id = ${organizationId} and name = 'Clinical'`);
    const inClinical = await reviewerTotals(db, manager, { ...range, workspaceId: clinical.id });
    expect(shape(inClinical)).toEqual(await countedFromDecisions("Clinical"));
    expect(inClinical.length).toBeGreaterThan(0);

    const days = await reviewerDays(db, manager, range);
    const sum = (xs: { decided: number }[]) => xs.reduce((n, x) => n + x.decided, 0);
    expect(sum(days)).toBe(sum(await countedFromDecisions()));

    // A quick approval now lands in today's row, in the fastest bucket.
    const riley = await scopeByEmail(db, "reviewer@acme.test");
    const claim = (await claimNext(db, riley, { leaseMinutes: 10 }))!;
    const before = sum((await reviewerDays(db, manager, { from: today, to: today })).filter((d) => d.reviewerId === riley.userId));
    await decideReview(db, riley, { outcome: "approved", reviewId: claim.id, version: claim.version, timeOnItemMs: 1200 });
    const after = await reviewerDays(db, manager, { from: today, to: today });
    expect(sum(after.filter((d) => d.reviewerId === riley.userId))).toBe(before + 1);
    expect(shape(await reviewerTotals(db, manager, range))).toEqual(await countedFromDecisions());
  });

  it("shows another organization nothing, and a range before any decision nothing", async () => {
    const other = await createTenant(db, "Other reviewers");
    expect(await reviewerTotals(db, other.admin, range)).toEqual([]);
    expect(await reviewerDays(db, other.admin, range)).toEqual([]);
    const manager = await scopeByEmail(db, "manager@acme.test");
    expect(await reviewerTotals(db, manager, { from: "2001-01-01", to: "2001-12-31" })).toEqual([]);
  });
});
