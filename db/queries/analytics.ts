import "server-only";
import { and, asc, eq, gte, inArray, lte, or, sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { utcDay } from "@/lib/data/dates";
import { approvalsUnder, confidenceDecile, LATENCY_BUCKETS, latencyBucket, oneAt } from "@/lib/data/rollup-buckets";
import { rowsOf, type Executor } from "../client";
import { DEFAULT_RUBBER_STAMP, resolveCriteria, rubberStampSignal, type ReadinessCriteria } from "@/lib/readiness";
import type { Totals } from "@/lib/views/analytics";
import { dailyRollups, organizations, reviews, taskTypes, workspaces, type DailyRollup, type TaskType } from "../schema";

/**
 * Analytics read the daily rollups only (a few rows per task type and day), never the decisions: the
 * totals of a date range, the totals since each task type's current mode began (what readiness counts),
 * and per-day series for the charts.
 */

export type { Totals } from "@/lib/views/analytics";

export function emptyTotals(): Totals {
  return {
    submitted: 0,
    approved: 0,
    edited: 0,
    rejected: 0,
    autoApproved: 0,
    expired: 0,
    decided: 0,
    timeOnItemMsSum: 0,
    timeOnItemCount: 0,
    confidenceDecided: new Array(10).fill(0),
    confidenceAccepted: new Array(10).fill(0),
    latencyBuckets: new Array(LATENCY_BUCKETS).fill(0),
    slaBreached: 0,
    firstDay: null,
    lastDay: null,
  };
}

const addInto = (a: number[], b: number[]) => b.forEach((v, i) => (a[i] = (a[i] ?? 0) + v));

export function addRollup(t: Totals, r: DailyRollup): Totals {
  t.submitted += r.submitted;
  t.approved += r.approved;
  t.edited += r.edited;
  t.rejected += r.rejected;
  t.autoApproved += r.autoApproved;
  t.expired += r.expired;
  t.decided += r.approved + r.edited + r.rejected;
  t.timeOnItemMsSum += r.timeOnItemMsSum;
  t.timeOnItemCount += r.timeOnItemCount;
  addInto(t.confidenceDecided, r.confidenceDecided);
  addInto(t.confidenceAccepted, r.confidenceAccepted);
  addInto(t.latencyBuckets, r.latencyBuckets);
  t.slaBreached += r.slaBreached;
  if (r.approved + r.edited + r.rejected + r.autoApproved > 0) {
    if (!t.firstDay || r.day < t.firstDay) t.firstDay = r.day;
    if (!t.lastDay || r.day > t.lastDay) t.lastDay = r.day;
  }
  return t;
}

export type DateRange = { from: string; to: string };

export type TaskTypeSummary = {
  taskType: Pick<
    TaskType,
    "id" | "key" | "name" | "mode" | "previousMode" | "modeSince" | "classified" | "reversible" | "dataClass" | "customerFacing" | "confidenceThreshold" | "amountLimit" | "amountCurrency" | "readinessOverrides"
  > & { workspace: { id: string; name: string } };
  /** Within the chosen date range, every mode. */
  range: Totals;
  /**
   * Since the current mode began, in the current mode: what readiness counts. The day the mode began is
   * counted from its decisions at or after `modeSince` (the rollup of that day may hold an earlier
   * mode's decisions of the same day: a change and a rollback on one UTC day).
   */
  sinceMode: Totals;
  /** The part of `sinceMode` in the step-down window (the last `stepDownWindowDays` UTC days, today included). */
  recent?: Totals;
  /** The first person decision's timestamp in the current mode; null with none yet. */
  firstDecisionAt?: Date | null;
  /** Reviewers flagged as rubber-stamping this task type since its mode began, and their unchanged approvals. */
  rubberStamp?: { reviewers: number; approvals: number } | null;
  /** The organization's setting: leave flagged reviewers' approvals out of acceptance. */
  excludeFlaggedApprovals?: boolean;
  /**
   * Share of the items submitted since the current mode began whose amount is over the task type's
   * limit (readiness blocks on it from half); null without a limit or without items.
   */
  shareOverAmountLimit: number | null;
  /** The organization's readiness defaults (`settings.readinessDefaults`), between the product's and the task type's overrides. */
  orgCriteria?: Partial<ReadinessCriteria> | null;
};


/** One summary per task type of the organization (optionally one workspace's); `now` places the step-down window. */
export async function analyticsOverview(db: Executor, scope: Pick<Scope, "organizationId">, params: DateRange & { workspaceId?: string; now?: Date }): Promise<TaskTypeSummary[]> {
  const now = params.now ?? new Date();
  const types = await db
    .select({ t: taskTypes, workspaceName: workspaces.name })
    .from(taskTypes)
    .innerJoin(workspaces, eq(workspaces.id, taskTypes.workspaceId))
    .where(and(eq(taskTypes.organizationId, scope.organizationId), params.workspaceId ? eq(taskTypes.workspaceId, params.workspaceId) : undefined))
    .orderBy(asc(taskTypes.name));
  if (types.length === 0) return [];
  // Rollups of the range, plus those of each type's current mode since it began.
  const rows = await db
    .select({ r: dailyRollups })
    .from(dailyRollups)
    .innerJoin(taskTypes, eq(taskTypes.id, dailyRollups.taskTypeId))
    .where(
      and(
        eq(dailyRollups.organizationId, scope.organizationId),
        params.workspaceId ? eq(taskTypes.workspaceId, params.workspaceId) : undefined,
        or(
          and(gte(dailyRollups.day, params.from), lte(dailyRollups.day, params.to)),
          and(eq(dailyRollups.mode, taskTypes.mode), gte(dailyRollups.day, sql`(${taskTypes.modeSince} at time zone 'UTC')::date`)),
        ),
      ),
    );
  const overLimit = await shareOverAmountLimit(
    db,
    scope,
    types.filter(({ t }) => t.amountLimit !== null).map(({ t }) => t.id),
  );
  const { criteria: orgCriteria, excludeFlaggedApprovals } = await organizationReadinessSettings(db, scope);
  const windowFrom = utcDay(new Date(now.getTime() - (resolveCriteria(orgCriteria).stepDownWindowDays - 1) * DAY_MS));
  const firstDays = await modeStartDays(db, scope, params.workspaceId);
  const stamps = await rubberStampsSinceMode(db, scope, params.workspaceId);
  const byType = new Map(
    types.map(({ t, workspaceName }) => {
      const start = firstDays.get(t.id);
      const sinceMode = emptyTotals();
      const recent = emptyTotals();
      if (start) {
        addRollup(sinceMode, start.totals);
        if (start.totals.day >= windowFrom) addRollup(recent, start.totals);
      }
      return [t.id, { t, workspaceName, range: emptyTotals(), sinceMode, recent, firstDecisionAt: start?.firstDecisionAt ?? null }];
    }),
  );
  for (const { r } of rows) {
    const entry = byType.get(r.taskTypeId);
    if (!entry) continue;
    if (r.day >= params.from && r.day <= params.to) addRollup(entry.range, r);
    // The mode's first day comes from its decisions (modeStartDays), not from the day's rollup.
    if (r.mode === entry.t.mode && r.day > utcDay(entry.t.modeSince)) {
      addRollup(entry.sinceMode, r);
      if (r.day >= windowFrom) addRollup(entry.recent, r);
    }
  }
  await fillFirstDecisionAt(db, scope, [...byType.values()]);
  return [...byType.values()].map(({ t, workspaceName, range, sinceMode, recent, firstDecisionAt }) => ({
    taskType: {
      id: t.id,
      key: t.key,
      name: t.name,
      mode: t.mode,
      previousMode: t.previousMode,
      modeSince: t.modeSince,
      classified: t.classified,
      reversible: t.reversible,
      dataClass: t.dataClass,
      customerFacing: t.customerFacing,
      confidenceThreshold: t.confidenceThreshold,
      amountLimit: t.amountLimit,
      amountCurrency: t.amountCurrency,
      readinessOverrides: t.readinessOverrides,
      workspace: { id: t.workspaceId, name: workspaceName },
    },
    range,
    sinceMode,
    recent,
    firstDecisionAt,
    rubberStamp: stamps.get(t.id) ?? null,
    excludeFlaggedApprovals,
    shareOverAmountLimit: overLimit.get(t.id) ?? null,
    orgCriteria,
  }));
}

const DAY_MS = 86_400_000;

/** The end (exclusive) of the UTC day a timestamp column falls in, as a timestamptz. */
const endOfUtcDay = (column: string) => sql.raw(`(((${column} at time zone 'UTC')::date + 1)::timestamp at time zone 'UTC')`);

/**
 * Each task type's first day in its current mode, counted from the rows themselves: the decisions (and
 * submissions) of that UTC day at or after `modeSince`, in the current mode — as a rollup row, so it adds
 * like one — and the first person decision among them. Bounded to one day per task type.
 */
async function modeStartDays(db: Executor, scope: Pick<Scope, "organizationId">, workspaceId?: string) {
  const inWorkspace = workspaceId ? sql`and t.workspace_id = ${workspaceId}` : sql``;
  const decided = await rowsOf<{
    task_type_id: string;
    day: string;
    outcome: string;
    human: boolean;
    time_on_item_ms: number | null;
    confidence: number | null;
    wait_ms: string | number;
    breached: boolean;
    created_at: string | Date;
  }>(
    db,
    sql`select r.task_type_id, (t.mode_since at time zone 'UTC')::date::text as day, d.outcome, d.reviewer_id is not null as human,
        d.time_on_item_ms, r.confidence, (extract(epoch from (d.created_at - r.created_at)) * 1000)::bigint as wait_ms,
        (r.sla_due_at is not null and d.created_at > r.sla_due_at) as breached, d.created_at
      from decisions d
      join reviews r on r.id = d.review_id and r.organization_id = d.organization_id
      join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
      where d.organization_id = ${scope.organizationId} ${inWorkspace}
        and r.mode = t.mode and d.created_at >= t.mode_since and d.created_at < ${endOfUtcDay("t.mode_since")}
        and (d.reviewer_id is not null or d.outcome = 'auto_approved')
        -- The first approval of a two-person item isn't the item's decision, as in the rollups.
        and (d.final or r.approvals_needed < 2)`,
  );
  const submitted = await rowsOf<{ task_type_id: string; day: string; n: number }>(
    db,
    sql`select r.task_type_id, (t.mode_since at time zone 'UTC')::date::text as day, count(*)::int as n
      from reviews r join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
      where r.organization_id = ${scope.organizationId} ${inWorkspace}
        and r.mode = t.mode and r.created_at >= t.mode_since and r.created_at < ${endOfUtcDay("t.mode_since")}
      group by 1, 2`,
  );
  const out = new Map<string, { totals: DailyRollup; firstDecisionAt: Date | null }>();
  const entryOf = (taskTypeId: string, day: string) => {
    let e = out.get(taskTypeId);
    if (!e) {
      const t = emptyTotals();
      const totals = {
        taskTypeId,
        day,
        submitted: 0,
        approved: 0,
        edited: 0,
        rejected: 0,
        autoApproved: 0,
        expired: 0,
        timeOnItemMsSum: 0,
        timeOnItemCount: 0,
        confidenceDecided: t.confidenceDecided,
        confidenceAccepted: t.confidenceAccepted,
        latencyBuckets: t.latencyBuckets,
        slaBreached: 0,
      } as unknown as DailyRollup;
      e = { totals, firstDecisionAt: null };
      out.set(taskTypeId, e);
    }
    return e;
  };
  for (const s of submitted) entryOf(s.task_type_id, s.day).totals.submitted += s.n;
  for (const d of decided) {
    const e = entryOf(d.task_type_id, d.day);
    const r = e.totals;
    if (!d.human) {
      r.autoApproved += 1;
      continue;
    }
    if (d.outcome === "approved") r.approved += 1;
    else if (d.outcome === "edited") r.edited += 1;
    else r.rejected += 1;
    if (d.time_on_item_ms !== null) {
      r.timeOnItemMsSum += Number(d.time_on_item_ms);
      r.timeOnItemCount += 1;
    }
    if (d.confidence !== null) {
      const decile = confidenceDecile(Number(d.confidence));
      r.confidenceDecided[decile] += 1;
      if (d.outcome === "approved") r.confidenceAccepted[decile] += 1;
    }
    r.latencyBuckets = r.latencyBuckets.map((n, i) => n + oneAt(LATENCY_BUCKETS, latencyBucket(Number(d.wait_ms)))[i]);
    if (d.breached) r.slaBreached += 1;
    const at = new Date(d.created_at);
    if (e.firstDecisionAt === null || at < e.firstDecisionAt) e.firstDecisionAt = at;
  }
  return out;
}

/**
 * The first person decision's timestamp for the task types whose mode's first day had none: it lies on
 * the first later day whose rollup (in the current mode) has a person's decision, so one day is read.
 */
async function fillFirstDecisionAt(
  db: Executor,
  scope: Pick<Scope, "organizationId">,
  entries: { t: { id: string; modeSince: Date }; sinceMode: Totals; firstDecisionAt: Date | null; firstHumanDay?: string | null }[],
) {
  for (const entry of entries) {
    if (entry.firstDecisionAt !== null || entry.sinceMode.decided === 0) continue;
    const [first] = await rowsOf<{ day: string | null }>(
      db,
      sql`select min(day)::text as day from daily_rollups
        where organization_id = ${scope.organizationId} and task_type_id = ${entry.t.id}
          and mode = (select mode from task_types where id = ${entry.t.id} and organization_id = ${scope.organizationId})
          and day > (${entry.t.modeSince.toISOString()}::timestamptz at time zone 'UTC')::date
          and approved + edited + rejected > 0`,
    );
    if (!first?.day) continue;
    const [row] = await rowsOf<{ at: string | Date | null }>(
      db,
      sql`select min(d.created_at) as at
        from decisions d
        join reviews r on r.id = d.review_id and r.organization_id = d.organization_id
        join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
        where d.organization_id = ${scope.organizationId} and r.task_type_id = ${entry.t.id} and r.mode = t.mode
          and d.reviewer_id is not null and (d.final or r.approvals_needed < 2)
          and d.created_at >= (${first.day}::date::timestamp at time zone 'UTC')
          and d.created_at < ((${first.day}::date + 1)::timestamp at time zone 'UTC')`,
    );
    if (row?.at) entry.firstDecisionAt = new Date(row.at);
  }
}

/**
 * Per task type, the reviewers whose unchanged approvals since its mode began look rubber-stamped (the
 * Reviewers view's default rule: at least half of at least 20 under 5 s), and how many approvals they
 * gave. Read from the reviewer rollups, which are kept per day, not per mode: the mode's first day
 * counts whole.
 */
async function rubberStampsSinceMode(db: Executor, scope: Pick<Scope, "organizationId">, workspaceId?: string) {
  const rows = await rowsOf<{ task_type_id: string; approved: number; buckets: number[] }>(
    db,
    sql`select r.task_type_id, sum(r.approved)::int as approved,
        array[${sql.raw(Array.from({ length: 5 }, (_, i) => `sum(r.approval_time_buckets[${i + 1}])`).join(", "))}]::int[] as buckets
      from reviewer_daily_rollups r
      join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
      where r.organization_id = ${scope.organizationId} ${workspaceId ? sql`and t.workspace_id = ${workspaceId}` : sql``}
        and r.day >= (t.mode_since at time zone 'UTC')::date
      group by r.task_type_id, r.reviewer_id`,
  );
  const out = new Map<string, { reviewers: number; approvals: number }>();
  for (const row of rows) {
    const signal = rubberStampSignal({ approvals: row.approved, fastApprovals: approvalsUnder(row.buckets, DEFAULT_RUBBER_STAMP.fastSeconds * 1000) });
    if (!signal.atRisk) continue;
    const e = out.get(row.task_type_id) ?? { reviewers: 0, approvals: 0 };
    out.set(row.task_type_id, { reviewers: e.reviewers + 1, approvals: e.approvals + signal.approvals });
  }
  return out;
}

/** What the organization set on /admin/settings; readiness validates each value as it resolves them. */
async function organizationReadinessSettings(db: Executor, scope: Pick<Scope, "organizationId">): Promise<{ criteria: Partial<ReadinessCriteria> | null; excludeFlaggedApprovals: boolean }> {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, scope.organizationId));
  const settings = org?.settings as { readinessDefaults?: Record<string, unknown>; excludeFlaggedApprovals?: unknown } | undefined;
  const excludeFlaggedApprovals = settings?.excludeFlaggedApprovals === true;
  const defaults = settings?.readinessDefaults;
  if (typeof defaults !== "object" || defaults === null) return { criteria: null, excludeFlaggedApprovals };
  // Only those the organization may set; the rest of the bar stays the product's.
  const { minDecisions, targetAcceptance, minDays, stepDownWindowDays } = defaults;
  return { criteria: { minDecisions, targetAcceptance, minDays, stepDownWindowDays } as Partial<ReadinessCriteria>, excludeFlaggedApprovals };
}

/**
 * For the task types with an amount limit: the share of items submitted in the current mode, since it
 * began, that are over the limit — as the routing judges it, so an amount in another currency counts
 * as over (it fails closed to a person). Rollups don't keep amounts, so this counts reviews, one range of
 * `reviews_org_task_type_idx` per task type.
 */
async function shareOverAmountLimit(db: Executor, scope: Pick<Scope, "organizationId">, taskTypeIds: string[]): Promise<Map<string, number>> {
  if (taskTypeIds.length === 0) return new Map();
  const rows = await db
    .select({
      taskTypeId: reviews.taskTypeId,
      items: sql<number>`count(*)::int`,
      over: sql<number>`(count(*) filter (where ${reviews.amountValue} > ${taskTypes.amountLimit}
        or (${reviews.amountValue} is not null and upper(trim(${reviews.amountCurrency})) is distinct from upper(trim(${taskTypes.amountCurrency})))))::int`,
    })
    .from(reviews)
    .innerJoin(taskTypes, and(eq(taskTypes.id, reviews.taskTypeId), eq(taskTypes.organizationId, reviews.organizationId)))
    .where(
      and(
        eq(reviews.organizationId, scope.organizationId),
        inArray(reviews.taskTypeId, taskTypeIds),
        eq(reviews.mode, taskTypes.mode),
        gte(reviews.createdAt, taskTypes.modeSince),
      ),
    )
    .groupBy(reviews.taskTypeId);
  return new Map(rows.filter((r) => r.items > 0).map((r) => [r.taskTypeId, r.over / r.items]));
}

/** One task type's rollups per day (and mode) in a range, oldest first, for its charts. */
export async function taskTypeDays(db: Executor, scope: Scope, taskTypeId: string, range: DateRange): Promise<DailyRollup[]> {
  return db
    .select()
    .from(dailyRollups)
    .where(and(eq(dailyRollups.organizationId, scope.organizationId), eq(dailyRollups.taskTypeId, taskTypeId), gte(dailyRollups.day, range.from), lte(dailyRollups.day, range.to)))
    .orderBy(asc(dailyRollups.day), asc(dailyRollups.mode));
}

/** One task type's summary by key; null for a key this organization doesn't have. */
export async function taskTypeSummary(db: Executor, scope: Scope, key: string, range: DateRange & { now?: Date }): Promise<TaskTypeSummary | null> {
  const all = await analyticsOverview(db, scope, range);
  return all.find((s) => s.taskType.key === key) ?? null;
}
