import "server-only";
import { and, asc, eq, gte, inArray, lte, or, sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { utcDay } from "@/lib/data/dates";
import { LATENCY_BUCKETS } from "@/lib/data/rollup-buckets";
import type { Executor } from "../client";
import type { ReadinessCriteria } from "@/lib/readiness";
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
  /** Since the current mode began, in the current mode: what readiness counts. */
  sinceMode: Totals;
  /**
   * Share of the items submitted since the current mode began whose amount is over the task type's
   * limit (readiness blocks on it from half); null without a limit or without items.
   */
  shareOverAmountLimit: number | null;
  /** The organization's readiness defaults (`settings.readinessDefaults`), between the product's and the task type's overrides. */
  orgCriteria?: Partial<ReadinessCriteria> | null;
};


/** One summary per task type of the organization (optionally one workspace's). */
export async function analyticsOverview(db: Executor, scope: Pick<Scope, "organizationId">, params: DateRange & { workspaceId?: string }): Promise<TaskTypeSummary[]> {
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
  const orgCriteria = await organizationReadinessDefaults(db, scope);
  const byType = new Map(types.map(({ t, workspaceName }) => [t.id, { t, workspaceName, range: emptyTotals(), sinceMode: emptyTotals() }]));
  for (const { r } of rows) {
    const entry = byType.get(r.taskTypeId);
    if (!entry) continue;
    if (r.day >= params.from && r.day <= params.to) addRollup(entry.range, r);
    if (r.mode === entry.t.mode && r.day >= utcDay(entry.t.modeSince)) addRollup(entry.sinceMode, r);
  }
  return [...byType.values()].map(({ t, workspaceName, range, sinceMode }) => ({
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
    shareOverAmountLimit: overLimit.get(t.id) ?? null,
    orgCriteria,
  }));
}

/** What the organization set on /admin/settings; readiness validates each value as it resolves them. */
async function organizationReadinessDefaults(db: Executor, scope: Pick<Scope, "organizationId">): Promise<Partial<ReadinessCriteria> | null> {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, scope.organizationId));
  const defaults = (org?.settings as { readinessDefaults?: Record<string, unknown> } | undefined)?.readinessDefaults;
  if (typeof defaults !== "object" || defaults === null) return null;
  // Only the three the organization may set; the rest of the bar stays the product's.
  const { minDecisions, targetAcceptance, minDays } = defaults;
  return { minDecisions, targetAcceptance, minDays } as Partial<ReadinessCriteria>;
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
export async function taskTypeSummary(db: Executor, scope: Scope, key: string, range: DateRange): Promise<TaskTypeSummary | null> {
  const all = await analyticsOverview(db, scope, range);
  return all.find((s) => s.taskType.key === key) ?? null;
}
