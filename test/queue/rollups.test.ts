import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DbHandle } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem } from "@/db/queries/queue";
import { dailyRollups, taskTypes } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { DecisionInput } from "@/lib/validation/queue";
import { queryRows } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { seededRandom } from "@/lib/data/seeded-random";
import { createTaskType, createWorld, member, openPool, submit, type Member, type World } from "./world";

/**
 * Analytics read the daily rollups, never the decisions, so the rollups must say exactly what the
 * decisions say. After a seeded random mix of approvals, edits, rejections (some of them refused,
 * some of them audit reviews), spread over several days, two modes and every confidence decile —
 * decided concurrently on PostgreSQL — the rollups equal a recount done in SQL from the decisions.
 */

let handle: DbHandle;
let dispose: () => Promise<void>;
let pool: Awaited<ReturnType<typeof openPool>>;
let world: World;
let reviewers: Member[];

const DAY = 24 * 3600_000;
const confidences = [null, 0, 0.05, 0.1, 0.19, 0.2, 0.3, 0.45, 0.5, 0.7, 0.79, 0.8, 0.9, 0.95, 0.999, 1];

beforeAll(async () => {
  const t = await createTestDb();
  handle = t.handle;
  dispose = t.dispose;
  pool = await openPool(handle, 10);
  world = await createWorld(handle.db, "Rollups", ["Desk"]);
  reviewers = [];
  for (let i = 0; i < 4; i++) reviewers.push(await member(handle.db, world, "reviewer", ["Desk"], `Roller ${i}`));
});
afterAll(async () => {
  await pool?.close();
  await dispose?.();
});

type Recount = {
  taskTypeId: string;
  mode: string;
  day: string;
  submitted: number;
  approved: number;
  edited: number;
  rejected: number;
  autoApproved: number;
  timeSum: number;
  timeCount: number;
  decided: number[];
  accepted: number[];
  latency: number[];
  slaBreached: number;
};

// The time-to-decision bucket edges, in minutes, written out again here rather than imported.
const LATENCY_EDGES_MIN = [1, 5, 15, 30, 60, 120, 240, 480, 1440, 4320];

/** The rollups, recounted from scratch: human decisions (and auto-approvals) joined to their items. */
async function recount(organizationId: string): Promise<Recount[]> {
  const rows = await queryRows<Record<string, unknown>>(
    handle.db,
    sql`with decided as (
      select r.task_type_id, r.mode, to_char(d.created_at at time zone 'UTC', 'YYYY-MM-DD') as day, d.outcome, d.reviewer_id, d.time_on_item_ms,
        case when r.confidence is null then null else least(9, floor(r.confidence * 10))::int end as decile,
        (select count(*)::int from unnest(${sql.raw(`array[${LATENCY_EDGES_MIN.join(",")}]`)}) as e(minutes) where d.created_at - r.created_at >= make_interval(mins => e.minutes)) as latency,
        (r.sla_due_at is not null and d.created_at > r.sla_due_at) as breached
      from decisions d join reviews r on r.id = d.review_id
      where d.organization_id = ${organizationId}
      -- Every item counts as submitted on the day it arrived, decided that day or not.
      union all
      select r.task_type_id, r.mode, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD'), 'submitted', null, null, null, 0, false
      from reviews r where r.organization_id = ${organizationId}
    ), groups as (
      select task_type_id, mode, day,
        (count(*) filter (where outcome = 'submitted'))::int as submitted,
        (count(*) filter (where outcome = 'approved' and reviewer_id is not null))::int as approved,
        (count(*) filter (where outcome = 'edited' and reviewer_id is not null))::int as edited,
        (count(*) filter (where outcome = 'rejected' and reviewer_id is not null))::int as rejected,
        (count(*) filter (where outcome = 'auto_approved'))::int as auto_approved,
        (coalesce(sum(time_on_item_ms) filter (where reviewer_id is not null), 0))::bigint as time_sum,
        (count(*) filter (where reviewer_id is not null))::int as time_count,
        (count(*) filter (where reviewer_id is not null and breached))::int as sla_breached
      from decided group by task_type_id, mode, day
    )
    select g.*, deciles.decided, deciles.accepted, latencies.latency from groups g
    cross join lateral (
      select array_agg(coalesce(c.decided, 0) order by s.i) as decided, array_agg(coalesce(c.accepted, 0) order by s.i) as accepted
      from generate_series(0, 9) as s(i)
      left join (
        select decile, count(*)::int as decided, (count(*) filter (where outcome = 'approved'))::int as accepted
        from decided h
        where h.reviewer_id is not null and h.task_type_id = g.task_type_id and h.mode = g.mode and h.day = g.day
        group by decile
      ) c on c.decile = s.i
    ) deciles
    cross join lateral (
      select array_agg(coalesce(c.n, 0) order by s.i) as latency
      from generate_series(0, ${LATENCY_EDGES_MIN.length}) as s(i)
      left join (
        select latency, count(*)::int as n from decided h
        where h.reviewer_id is not null and h.task_type_id = g.task_type_id and h.mode = g.mode and h.day = g.day
        group by latency
      ) c on c.latency = s.i
    ) latencies`,
  );
  return rows.map((r) => ({
    taskTypeId: String(r.task_type_id),
    mode: String(r.mode),
    day: String(r.day),
    submitted: Number(r.submitted),
    approved: Number(r.approved),
    edited: Number(r.edited),
    rejected: Number(r.rejected),
    autoApproved: Number(r.auto_approved),
    timeSum: Number(r.time_sum),
    timeCount: Number(r.time_count),
    decided: (r.decided as (number | string)[]).map(Number),
    accepted: (r.accepted as (number | string)[]).map(Number),
    latency: (r.latency as (number | string)[]).map(Number),
    slaBreached: Number(r.sla_breached),
  }));
}

async function rollups(organizationId: string): Promise<Recount[]> {
  const rows = await handle.db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, organizationId));
  return rows.map((r) => ({
    taskTypeId: r.taskTypeId,
    mode: r.mode,
    day: r.day,
    submitted: r.submitted,
    approved: r.approved,
    edited: r.edited,
    rejected: r.rejected,
    autoApproved: r.autoApproved,
    timeSum: Number(r.timeOnItemMsSum),
    timeCount: r.timeOnItemCount,
    decided: r.confidenceDecided,
    accepted: r.confidenceAccepted,
    latency: r.latencyBuckets,
    slaBreached: r.slaBreached,
  }));
}

const byKey = (rows: Recount[]) => [...rows].sort((a, b) => `${a.taskTypeId}|${a.mode}|${a.day}`.localeCompare(`${b.taskTypeId}|${b.mode}|${b.day}`));

it("equals a recount from the decisions after a random mix of decisions", async () => {
  const db = handle.db;
  const random = seededRandom(20261124);
  const pick = <T>(items: readonly T[], from = random) => items[Math.floor(from() * items.length)];
  const strict = await createTaskType(db, world, { key: "roll.strict", space: "Desk", mode: "approve_before_action" });
  await createTaskType(db, world, { key: "roll.draft", space: "Desk", mode: "review_after_draft" });
  // Escalates below 0.8 and samples half of the rest for audit: human decisions of both kinds.
  await createTaskType(db, world, { key: "roll.flag", space: "Desk", mode: "flag_on_exception", confidenceThreshold: 0.8, auditSampleRate: 0.5 });

  type Item = { id: string; at: Date; needsHuman: boolean };
  const items: Item[] = [];
  const now = Date.now();
  for (let i = 0; i < 150; i++) {
    // The strict task type changes mode partway: its later items roll up under the new mode.
    if (i === 75) await db.update(taskTypes).set({ mode: "review_after_draft" }).where(eq(taskTypes.id, strict.id));
    const daysAgo = Math.floor(random() * 4);
    const at = new Date(now - daysAgo * DAY - Math.floor(random() * 3600_000));
    const confidence = pick(confidences);
    const r = await submit(
      db,
      world,
      {
        taskType: pick(["roll.strict", "roll.draft", "roll.flag"]),
        title: `Roll ${i}`,
        action: { i },
        draft: `Draft ${i}`,
        ...(confidence === null ? {} : { confidence }),
      },
      { now: at, random },
    );
    items.push({ id: r.id, at, needsHuman: r.routing.needsHuman });
  }
  const human = items.filter((i) => i.needsHuman);
  expect(human.length).toBeGreaterThan(100);
  expect(items.length - human.length).toBeGreaterThan(0);

  let refused = 0;
  const expected = { approved: 0, edited: 0, rejected: 0 };
  const decide = async (item: Item, n: number) => {
    // Each item draws from its own sequence, so concurrent deciding doesn't change the mix.
    const random = seededRandom(1000 + n);
    const reviewer = reviewers[n % reviewers.length];
    const claim = (await claimItem(pool.db, reviewer.scope, item.id, { leaseMinutes: 10 }))!;
    // From seconds to days after arrival (never in the future): every latency bucket, some SLAs missed.
    const decidedAt = new Date(item.at.getTime() + Math.floor(random() ** 3 * (now - item.at.getTime())));
    const timeOnItemMs = Math.floor(random() * 600_000);
    const roll = random();
    const base = { reviewId: item.id, version: claim.version, timeOnItemMs };
    const input: DecisionInput =
      roll < 0.55
        ? { ...base, outcome: "approved" }
        : roll < 0.75
          ? { ...base, outcome: "edited", ...(random() < 0.5 ? { action: { i: -n } } : { draft: `Edited ${n}` }) }
          : { ...base, outcome: "rejected", reason: pick(["incorrect", "duplicate", "other"], random) };
    // Some attempts are refused first — an empty edit, a stale version — and must count for nothing.
    if (random() < 0.15) {
      const wrong = random() < 0.5 ? { ...base, outcome: "edited" as const } : { ...base, outcome: "approved" as const, version: claim.version + 7 };
      await decideReview(pool.db, reviewer.scope, wrong, decidedAt).then(
        () => {
          throw new Error("A refused decision went through");
        },
        (e: unknown) => {
          if (!(e instanceof AppError)) throw e;
          refused++;
        },
      );
    }
    await decideReview(pool.db, reviewer.scope, input, decidedAt);
    expected[input.outcome]++;
  };
  const width = pool.driver === "postgres" ? 8 : 1;
  for (let i = 0; i < human.length; i += width) await Promise.all(human.slice(i, i + width).map((item, j) => decide(item, i + j)));
  expect(refused).toBeGreaterThan(0);

  const counted = await recount(world.organizationId);
  const stored = await rollups(world.organizationId);
  // The mix really spread out: several days, both of the strict type's modes, several deciles.
  expect(new Set(counted.map((r) => r.day)).size).toBeGreaterThanOrEqual(3);
  expect(new Set(counted.filter((r) => r.taskTypeId === strict.id).map((r) => r.mode))).toEqual(new Set(["approve_before_action", "review_after_draft"]));
  expect(counted.reduce((s, r) => s + r.decided.filter((n) => n > 0).length, 0)).toBeGreaterThan(10);
  expect(counted.reduce((s, r) => s + r.approved, 0)).toBe(expected.approved);
  expect(counted.reduce((s, r) => s + r.edited, 0)).toBe(expected.edited);
  expect(counted.reduce((s, r) => s + r.rejected, 0)).toBe(expected.rejected);
  expect(counted.reduce((s, r) => s + r.timeCount, 0)).toBe(human.length);
  expect(counted.reduce((s, r) => s + r.slaBreached, 0)).toBeGreaterThan(0);
  expect(counted.reduce((s, r) => s + r.latency.filter((n) => n > 0).length, 0)).toBeGreaterThan(10);

  expect(byKey(stored)).toEqual(byKey(counted));
});

it("keeps another organization's rollups apart", async () => {
  const other = await createWorld(handle.db, "Other rollups", ["Desk"]);
  await createTaskType(handle.db, other, { key: "roll.strict", space: "Desk" });
  const theirs = await member(handle.db, other, "reviewer", ["Desk"]);
  const item = await submit(handle.db, other, { taskType: "roll.strict", action: { x: 1 }, confidence: 0.42 });
  const before = await rollups(world.organizationId);
  await decideReview(handle.db, theirs.scope, { outcome: "approved", reviewId: item.id, version: 1, timeOnItemMs: 1234 });
  expect(byKey(await rollups(world.organizationId))).toEqual(byKey(before));
  const [row] = await handle.db
    .select({ approved: dailyRollups.approved, sum: dailyRollups.timeOnItemMsSum, decided: dailyRollups.confidenceDecided, accepted: dailyRollups.confidenceAccepted })
    .from(dailyRollups)
    .where(and(eq(dailyRollups.organizationId, other.organizationId)));
  expect(row).toEqual({ approved: 1, sum: 1234, decided: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0], accepted: [0, 0, 0, 0, 1, 0, 0, 0, 0, 0] });
  expect(byKey(await rollups(other.organizationId))).toEqual(byKey(await recount(other.organizationId)));
});
