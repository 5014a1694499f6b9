import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { APPROVAL_TIME_BUCKETS, APPROVAL_TIME_EDGES_MS, approvalTimeBucket, LATENCY_EDGES_MS } from "@/lib/data/rollup-buckets";
import { rowsOf, type Db, type Executor, type Tx } from "../client";

/**
 * The daily rollups recomputed from the rows they summarise: submissions and expiries from `reviews`,
 * outcomes from `decisions` (people's decisions, audit reviews included, and auto-approvals). The
 * writers keep rollups up to date in each transaction; this is the check (and the repair) that they did.
 */
function recount(organizationId: string | null): SQL {
  const org = (column: string) => (organizationId ? sql`${sql.raw(column)} = ${organizationId}` : sql`true`);
  const deciles = (filter: string) => sql.raw(`array[${Array.from({ length: 10 }, (_, i) => `count(*) filter (where ${filter} and decile = ${i})::int`).join(", ")}]`);
  const latency = sql.raw(
    `array[${Array.from({ length: LATENCY_EDGES_MS.length + 1 }, (_, i) => `count(*) filter (where human and latency_bucket = ${i})::int`).join(", ")}]`,
  );
  const bucketOf = sql.raw(`(select count(*) from unnest(array[${LATENCY_EDGES_MS.join(",")}]::bigint[]) e where e <= extract(epoch from (d.created_at - r.created_at)) * 1000)::int`);
  return sql`
    with events as (
      select organization_id, task_type_id, mode, (created_at at time zone 'UTC')::date as day, 'submitted' as kind,
             false as human, null::int as ms, null::int as decile, null::int as latency_bucket, false as breached
        from reviews where ${org("organization_id")}
      union all
      select r.organization_id, r.task_type_id, r.mode, (d.created_at at time zone 'UTC')::date, d.outcome,
             d.reviewer_id is not null, d.time_on_item_ms,
             -- least() ignores nulls: an item without a confidence belongs to no decile, as the writer has it.
             case when r.confidence is not null then least(9, floor(r.confidence::numeric * 10))::int end,
             ${bucketOf},
             r.sla_due_at is not null and d.created_at > r.sla_due_at
        from decisions d join reviews r on r.id = d.review_id
        where ${org("d.organization_id")} and (d.reviewer_id is not null or d.outcome = 'auto_approved')
          -- The first approval of a two-person item isn't the item's decision: its final one counts.
          and (d.final or r.approvals_needed < 2)
      union all
      select organization_id, task_type_id, mode, (updated_at at time zone 'UTC')::date, 'expired', false, null, null, null, false
        from reviews where ${org("organization_id")} and status = 'expired'
    )
    select organization_id, task_type_id, mode, day,
      count(*) filter (where kind = 'submitted')::int as submitted,
      count(*) filter (where kind = 'approved' and human)::int as approved,
      count(*) filter (where kind = 'edited' and human)::int as edited,
      -- A request for changes counts as a rejection, as the writer has it.
      count(*) filter (where kind in ('rejected', 'changes_requested') and human)::int as rejected,
      count(*) filter (where kind = 'auto_approved')::int as auto_approved,
      count(*) filter (where kind = 'expired')::int as expired,
      coalesce(sum(ms) filter (where human), 0)::bigint as time_on_item_ms_sum,
      count(ms) filter (where human)::int as time_on_item_count,
      ${deciles("human")} as confidence_decided,
      ${deciles("human and kind = 'approved'")} as confidence_accepted,
      ${latency} as latency_buckets,
      count(*) filter (where human and breached)::int as sla_breached
    from events group by organization_id, task_type_id, mode, day`;
}

/** The reviewer rollups recomputed from every decision a person made. */
function recountReviewers(organizationId: string | null): SQL {
  // What the person did themselves (older rows record only the item's outcome).
  const own = "coalesce(d.reviewer_outcome, d.outcome)";
  const under = (i: number) => {
    const bounds = [i > 0 ? `d.time_on_item_ms >= ${APPROVAL_TIME_EDGES_MS[i - 1]}` : null, i < APPROVAL_TIME_EDGES_MS.length ? `coalesce(d.time_on_item_ms, 0) < ${APPROVAL_TIME_EDGES_MS[i]}` : null];
    return `count(*) filter (where ${own} = 'approved' and ${bounds.filter(Boolean).join(" and ")})::int`;
  };
  const buckets = sql.raw(`array[${Array.from({ length: APPROVAL_TIME_BUCKETS }, (_, i) => under(i)).join(", ")}]`);
  return sql`
    select d.organization_id, d.reviewer_id, r.task_type_id, (d.created_at at time zone 'UTC')::date as day,
      count(*) filter (where ${sql.raw(own)} = 'approved')::int as approved,
      count(*) filter (where ${sql.raw(own)} = 'edited')::int as edited,
      count(*) filter (where ${sql.raw(own)} in ('rejected', 'changes_requested'))::int as rejected,
      coalesce(sum(d.time_on_item_ms), 0)::bigint as time_on_item_ms_sum,
      ${buckets} as approval_time_buckets
    from decisions d join reviews r on r.id = d.review_id and r.organization_id = d.organization_id
    where d.reviewer_id is not null and ${organizationId ? sql`d.organization_id = ${organizationId}` : sql`true`}
    group by 1, 2, 3, 4`;
}

/** The two rollup tables: how each is keyed, what it counts, and how it is recounted. */
const TABLES = {
  daily_rollups: {
    keys: ["task_type_id", "mode", "day"],
    columns: [
      "submitted",
      "approved",
      "edited",
      "rejected",
      "auto_approved",
      "expired",
      "time_on_item_ms_sum",
      "time_on_item_count",
      "confidence_decided",
      "confidence_accepted",
      "latency_buckets",
      "sla_breached",
    ],
    recount: recount,
  },
  reviewer_daily_rollups: {
    keys: ["reviewer_id", "task_type_id", "day"],
    columns: ["approved", "edited", "rejected", "time_on_item_ms_sum", "approval_time_buckets"],
    recount: recountReviewers,
  },
} as const;
type Table = keyof typeof TABLES;

/** A stored rollup row that differs from the recount: its key (`task_type_id`, `mode`, `day` or `reviewer_id`, …) and the columns that differ. */
export type RollupDifference = { table: Table; key: Record<string, string>; columns: string[] };

async function differencesIn(db: Executor, table: Table, organizationId: string | null): Promise<RollupDifference[]> {
  const { keys, columns, recount: recountOf } = TABLES[table];
  const differs = sql.raw(columns.map((c) => `(rc.${c} is distinct from s.${c})`).join(" or "));
  const which = sql.raw(`array_remove(array[${columns.map((c) => `case when rc.${c} is distinct from s.${c} then '${c}' end`).join(", ")}], null)`);
  const keyOf = sql.raw(`json_build_object(${keys.map((k) => `'${k}', coalesce(rc.${k}, s.${k})::text`).join(", ")})`);
  const joined = sql.raw(["organization_id", ...keys].map((k) => `s.${k} = rc.${k}`).join(" and "));
  const rows = await rowsOf<{ key: Record<string, string>; columns: string[] }>(
    db,
    sql`with rc as (${recountOf(organizationId)}),
      s as (select * from ${sql.identifier(table)} where ${organizationId ? sql`organization_id = ${organizationId}` : sql`true`})
      select ${keyOf} as key, ${which} as columns
      from rc full join s on ${joined}
      where ${differs}
      order by 1::text`,
  );
  return rows.map((r) => ({ table, key: r.key, columns: r.columns }));
}

/** Every rollup row (both tables) whose stored counts differ from a recount; empty when all agree. */
export async function rollupDifferences(db: Executor, organizationId: string | null): Promise<RollupDifference[]> {
  return [...(await differencesIn(db, "daily_rollups", organizationId)), ...(await differencesIn(db, "reviewer_daily_rollups", organizationId))];
}

/** Inserts the recount of one rollup table (for an organization, or all); returns the rows written. */
export async function insertRecountedRollups(tx: Executor, table: Table, organizationId: string | null): Promise<number> {
  const { keys, columns, recount: recountOf } = TABLES[table];
  const list = sql.raw(["organization_id", ...keys, ...columns].join(", "));
  const inserted = await rowsOf<{ n: number }>(
    tx,
    sql`with rc as (${recountOf(organizationId)}), ins as (
      insert into ${sql.identifier(table)} (${list}) select ${list} from rc returning 1
    ) select count(*)::int as n from ins`,
  );
  return inserted[0]?.n ?? 0;
}

/** Replaces an organization's rollups (or every organization's), both tables, with the recount, in one transaction. */
export async function rebuildRollups(db: Db, organizationId: string | null): Promise<number> {
  return db.transaction(async (tx) => {
    let rows = 0;
    for (const table of Object.keys(TABLES) as Table[]) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where ${organizationId ? sql`organization_id = ${organizationId}` : sql`true`}`);
      rows += await insertRecountedRollups(tx, table, organizationId);
    }
    return rows;
  });
}

/** Adds one decision a person made to their reviewer rollup, in the decision's transaction. */
export async function addDecisionToReviewerRollup(
  tx: Tx,
  p: { organizationId: string; reviewerId: string; taskTypeId: string; at: Date; outcome: "approved" | "edited" | "rejected" | "changes_requested"; timeOnItemMs: number | null },
): Promise<void> {
  const column = sql.raw(p.outcome === "changes_requested" ? "rejected" : p.outcome);
  const buckets = Array.from({ length: APPROVAL_TIME_BUCKETS }, (_, i) => (p.outcome === "approved" && i === approvalTimeBucket(p.timeOnItemMs) ? 1 : 0));
  await tx.execute(sql`
    insert into reviewer_daily_rollups (organization_id, reviewer_id, task_type_id, day, ${column}, time_on_item_ms_sum, approval_time_buckets)
    values (${p.organizationId}, ${p.reviewerId}, ${p.taskTypeId}, ${p.at.toISOString().slice(0, 10)}, 1, ${p.timeOnItemMs ?? 0}, ${sql.raw(`'{${buckets.join(",")}}'::int[]`)})
    on conflict (organization_id, reviewer_id, task_type_id, day) do update set
      ${column} = reviewer_daily_rollups.${column} + 1,
      time_on_item_ms_sum = reviewer_daily_rollups.time_on_item_ms_sum + excluded.time_on_item_ms_sum,
      approval_time_buckets = (select array_agg(a + b order by i) from unnest(reviewer_daily_rollups.approval_time_buckets, excluded.approval_time_buckets) with ordinality as t(a, b, i))`);
}
