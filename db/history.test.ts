import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { queryRows, scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { generateHistory } from "./history";
import { analyticsOverview } from "./queries/analytics";
import { rollupDifferences } from "./queries/rollups";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
});
afterAll(async () => dispose?.());

describe("generateHistory", () => {
  it("writes the decisions asked for, in batches, spread over the days, with rollups that agree with a recount", async () => {
    const now = new Date("2026-06-30T12:00:00Z");
    const progress: number[] = [];
    const result = await generateHistory(db, { decisions: 2_500, taskTypes: 4, reviewers: 3, days: 10, batchSize: 1_000, passwordHash: await testPasswordHash(), now, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([1_000, 2_000, 2_500]);
    expect(result.taskTypeKeys).toEqual(["history.type-01", "history.type-02", "history.type-03", "history.type-04"]);
    const [counts] = await queryRows<{ reviews: number; decisions: number; human: number; auto: number; first: string; last: string; reviewers: number }>(
      db,
      sql`select (select count(*)::int from reviews where organization_id = ${result.organizationId}) as reviews,
        count(*)::int as decisions, count(*) filter (where reviewer_id is not null)::int as human,
        count(*) filter (where outcome = 'auto_approved')::int as auto,
        min(created_at)::text as first, max(created_at)::text as last, count(distinct reviewer_id)::int as reviewers
      from decisions where organization_id = ${result.organizationId}`,
    );
    expect(counts).toMatchObject({ reviews: 2_500, decisions: 2_500, reviewers: 3 });
    expect(counts.human + counts.auto).toBe(2_500);
    // Only the flag-on-exception type (the first) runs items without a person.
    expect(counts.auto).toBeGreaterThan(0);
    expect(counts.first >= "2026-06-20").toBe(true);
    expect(counts.last <= "2026-06-30 12:00:00+00").toBe(true);
    expect(await rollupDifferences(db, result.organizationId)).toEqual([]);

    const manager = await scopeByEmail(db, result.managerEmail);
    const overview = await analyticsOverview(db, manager, { from: "2026-06-01", to: "2026-06-30" });
    expect(overview.map((s) => s.taskType.key).sort()).toEqual(result.taskTypeKeys);
    expect(overview.reduce((n, s) => n + s.range.decided, 0)).toBe(counts.human);
  });
});
