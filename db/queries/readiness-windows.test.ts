import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decisions, organizations, reviews, taskTypes, workspaces, type Mode } from "@/db/schema";
import { readinessOf } from "@/lib/views/analytics";
import type { Scope } from "@/db/scope";
import { createTenant } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { analyticsOverview } from "./analytics";
import { changeTaskTypeMode } from "./mode-changes";
import { setAutoStepDown } from "./organizations";
import { rebuildRollups } from "./rollups";
import { stepDownRegressedTaskTypes } from "@/lib/jobs/step-down";

/**
 * Issue 17's correctness cases on a real database: days from the first decision's timestamp, step-down
 * on the recent window (the job and the page through the same function), and a change and a rollback
 * on one UTC day. Each builds its own tenant, items and decisions, then recounts the rollups from them.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
}, 120_000);
afterAll(async () => dispose?.());

type Tenant = { organizationId: string; admin: Scope; workspaceId: string };

async function tenant(settings: Record<string, unknown> = {}): Promise<Tenant> {
  const t = await createTenant(db, "Readiness");
  const [ws] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.organizationId, t.organizationId)).limit(1);
  await db.update(organizations).set({ settings }).where(eq(organizations.id, t.organizationId));
  return { organizationId: t.organizationId, admin: t.admin, workspaceId: ws.id };
}

async function taskType(t: Tenant, key: string, mode: Mode, modeSince: Date, previousMode: Mode | null = null) {
  const [row] = await db
    .insert(taskTypes)
    .values({ organizationId: t.organizationId, workspaceId: t.workspaceId, key, name: key, mode, previousMode, modeSince, classified: true })
    .returning({ id: taskTypes.id });
  return row.id;
}

type Outcome = "approved" | "edited" | "rejected";

/** Items decided by the tenant's admin at the given moments (submitted five minutes before), in `mode`. */
async function decide(t: Tenant, taskTypeId: string, mode: Mode, items: { at: Date; outcome: Outcome }[]) {
  for (let i = 0; i < items.length; i += 500) {
    const batch = items.slice(i, i + 500);
    const inserted = await db
      .insert(reviews)
      .values(
        batch.map(({ at, outcome }) => ({
          organizationId: t.organizationId,
          workspaceId: t.workspaceId,
          taskTypeId,
          status: outcome === "rejected" ? ("rejected" as const) : ("approved" as const),
          mode,
          needsHuman: true,
          blocking: true,
          action: {},
          confidence: 0.9,
          createdAt: new Date(at.getTime() - 5 * 60_000),
          updatedAt: at,
        })),
      )
      .returning({ id: reviews.id });
    await db.insert(decisions).values(
      batch.map(({ at, outcome }, j) => ({
        organizationId: t.organizationId,
        reviewId: inserted[j].id,
        outcome,
        action: {},
        reviewerId: t.admin.userId,
        timeOnItemMs: 30_000,
        actionHash: "0".repeat(64),
        createdAt: at,
      })),
    );
  }
  await rebuildRollups(db, t.organizationId);
}

const many = (n: number, outcome: Outcome, from: Date, everyMs: number) => Array.from({ length: n }, (_, i) => ({ at: new Date(from.getTime() + i * everyMs), outcome }));

async function summaryOf(t: Tenant, key: string, now: Date) {
  const all = await analyticsOverview(db, t, { from: "2026-01-01", to: now.toISOString().slice(0, 10), now });
  const s = all.find((x) => x.taskType.key === key);
  if (!s) throw new Error(`no ${key}`);
  return s;
}

describe("days of data", () => {
  it("count from the first person decision's timestamp, so an 18:00 start isn't a day early", async () => {
    const t = await tenant({ readinessDefaults: { minDecisions: 10, targetAcceptance: 0.8 } });
    const first = new Date("2026-02-02T18:00:00Z");
    const id = await taskType(t, "days.check", "review_after_draft", new Date("2026-01-01T00:00:00Z"));
    await decide(t, id, "review_after_draft", many(40, "approved", first, 12 * HOUR));
    const now = new Date("2026-03-02T12:00:00Z"); // 27 days 18 hours after the first decision
    const s = await summaryOf(t, "days.check", now);
    expect(s.firstDecisionAt?.toISOString()).toBe(first.toISOString());
    const r = readinessOf(s, now);
    expect(r.days).toBe(27);
    expect(r.recommendation.kind).toBe("hold");
    const later = new Date("2026-03-02T18:00:00Z");
    expect(readinessOf(await summaryOf(t, "days.check", later), later).recommendation.kind).toBe("step_up");
  });
});

describe("step-down window", () => {
  it("steps down a type healthy for 76 days that accepted 127 of 150 in the last 14, in the job and on the page alike", async () => {
    const t = await tenant({ autoStepDown: false });
    const now = new Date("2026-03-20T12:00:00Z");
    const since = new Date(now.getTime() - 90 * DAY);
    const id = await taskType(t, "window.check", "flag_on_exception", since, "review_after_draft");
    const healthyFrom = new Date(since.getTime() + HOUR);
    const recentFrom = new Date(now.getTime() - 13 * DAY + HOUR);
    await decide(t, id, "flag_on_exception", [
      ...many(2000, "approved", healthyFrom, (76 * DAY) / 2000),
      ...many(127, "approved", recentFrom, HOUR),
      ...many(23, "rejected", new Date(recentFrom.getTime() + 30 * 60_000), 5 * HOUR),
    ]);
    const s = await summaryOf(t, "window.check", now);
    expect(s.sinceMode.decided).toBe(2150);
    expect(s.recent?.decided).toBe(150);
    const r = readinessOf(s, now);
    expect(r.window.label).toBe("in the last 14 days");
    expect(r.recommendation).toMatchObject({ kind: "step_down", toMode: "review_after_draft", reason: "below_target" });
    // The job judges the same way once the organization turns it on.
    await setAutoStepDown(db, t.admin, true);
    const done = await stepDownRegressedTaskTypes(db, now);
    expect(done).toContainEqual({ organizationId: t.organizationId, taskTypeKey: "window.check" });
    const [row] = await db.select({ mode: taskTypes.mode }).from(taskTypes).where(and(eq(taskTypes.organizationId, t.organizationId), eq(taskTypes.key, "window.check")));
    expect(row.mode).toBe("review_after_draft");
  });

  it("follows the organization's window (7 days) and needs 30 decisions in it before judging", async () => {
    const t = await tenant({ readinessDefaults: { stepDownWindowDays: 7 } });
    const now = new Date("2026-03-20T12:00:00Z");
    const id = await taskType(t, "quiet.check", "flag_on_exception", new Date(now.getTime() - 40 * DAY), "review_after_draft");
    // 60 poor decisions 10 days ago: inside a 14-day window, outside a 7-day one.
    await decide(t, id, "flag_on_exception", [...many(40, "approved", new Date(now.getTime() - 10 * DAY), 60_000), ...many(20, "rejected", new Date(now.getTime() - 10 * DAY + HOUR), 60_000)]);
    const r = readinessOf(await summaryOf(t, "quiet.check", now), now);
    expect(r.window).toMatchObject({ kind: "recent", days: 7 });
    expect(r.stats.decided).toBe(0);
    expect(r.recommendation.kind).toBe("none");
    expect(r.status.word).toBe("Not enough recent reviews");
  });
});

describe("a mode change and a rollback on the same UTC day", () => {
  it("count from the rollback's timestamp, not the morning's decisions of that day", async () => {
    const t = await tenant({ readinessDefaults: { minDecisions: 10, targetAcceptance: 0.8 } });
    const day = new Date("2026-03-10T00:00:00Z");
    const id = await taskType(t, "sameday.check", "review_after_draft", new Date("2026-01-01T00:00:00Z"));
    // The morning: 30 rejections in review_after_draft.
    await decide(t, id, "review_after_draft", many(30, "rejected", new Date(day.getTime() + 6 * HOUR), 60_000));
    await changeTaskTypeMode(db, t.admin, { taskTypeKey: "sameday.check", toMode: "flag_on_exception", reason: "admin" }, new Date(day.getTime() + 12 * HOUR));
    const rolledBackAt = new Date(day.getTime() + 15 * HOUR);
    await changeTaskTypeMode(db, t.admin, { taskTypeKey: "sameday.check", toMode: "review_after_draft", reason: "rollback" }, rolledBackAt);
    const firstAfter = new Date(day.getTime() + 16 * HOUR);
    await decide(t, id, "review_after_draft", many(12, "approved", firstAfter, 10 * 60_000));
    const now = new Date(day.getTime() + 20 * HOUR);
    const s = await summaryOf(t, "sameday.check", now);
    expect(s.sinceMode).toMatchObject({ approved: 12, rejected: 0, decided: 12 });
    expect(s.firstDecisionAt?.toISOString()).toBe(firstAfter.toISOString());
    const r = readinessOf(s, now);
    expect(r.stats.acceptance).toBe(1);
    // The day after, the mode's first day still counts only from the rollback on.
    const next = new Date(day.getTime() + 30 * HOUR);
    await decide(t, id, "review_after_draft", many(3, "edited", new Date(day.getTime() + 26 * HOUR), 60_000));
    expect((await summaryOf(t, "sameday.check", next)).sinceMode).toMatchObject({ approved: 12, edited: 3, rejected: 0, decided: 15 });
  });
});
