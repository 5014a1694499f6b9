import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { LATENCY_EDGES_MS } from "@/lib/rollup-buckets";
import { rowsOf, type Db, type Executor } from "../client";

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
             least(9, floor(r.confidence::numeric * 10))::int,
             ${bucketOf},
             r.sla_due_at is not null and d.created_at > r.sla_due_at
        from decisions d join reviews r on r.id = d.review_id
        where ${org("d.organization_id")} and (d.reviewer_id is not null or d.outcome = 'auto_approved')
      union all
      select organization_id, task_type_id, mode, (updated_at at time zone 'UTC')::date, 'expired', false, null, null, null, false
        from reviews where ${org("organization_id")} and status = 'expired'
    )
    select organization_id, task_type_id, mode, day,
      count(*) filter (where kind = 'submitted')::int as submitted,
      count(*) filter (where kind = 'approved' and human)::int as approved,
      count(*) filter (where kind = 'edited' and human)::int as edited,
      count(*) filter (where kind = 'rejected' and human)::int as rejected,
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

const COLUMNS = [
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
] as const;

export type RollupDifference = { taskTypeId: string; mode: string; day: string; columns: string[] };

/** Every rollup row (task type × mode × day) whose stored counts differ from a recount; empty when all agree. */
export async function rollupDifferences(db: Executor, organizationId: string | null): Promise<RollupDifference[]> {
  const differs = sql.raw(COLUMNS.map((c) => `(rc.${c} is distinct from s.${c})`).join(" or "));
  const which = sql.raw(`array_remove(array[${COLUMNS.map((c) => `case when rc.${c} is distinct from s.${c} then '${c}' end`).join(", ")}], null)`);
  const rows = await rowsOf<{ task_type_id: string; mode: string; day: string; columns: string[] }>(
    db,
    sql`with rc as (${recount(organizationId)}),
      s as (select * from daily_rollups where ${organizationId ? sql`organization_id = ${organizationId}` : sql`true`})
      select coalesce(rc.task_type_id, s.task_type_id) as task_type_id, coalesce(rc.mode, s.mode) as mode,
             coalesce(rc.day, s.day)::text as day, ${which} as columns
      from rc full join s on s.organization_id = rc.organization_id and s.task_type_id = rc.task_type_id and s.mode = rc.mode and s.day = rc.day
      where ${differs}
      order by 3, 1, 2`,
  );
  return rows.map((r) => ({ taskTypeId: r.task_type_id, mode: r.mode, day: r.day, columns: r.columns }));
}

/** Replaces an organization's rollups (or every organization's) with the recount, in one transaction. */
export async function rebuildRollups(db: Db, organizationId: string | null): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`delete from daily_rollups where ${organizationId ? sql`organization_id = ${organizationId}` : sql`true`}`);
    const inserted = await rowsOf<{ n: number }>(
      tx,
      sql`with rc as (${recount(organizationId)}), ins as (
        insert into daily_rollups (organization_id, task_type_id, mode, day, ${sql.raw(COLUMNS.join(", "))})
        select organization_id, task_type_id, mode, day, ${sql.raw(COLUMNS.join(", "))} from rc returning 1
      ) select count(*)::int as n from ins`,
    );
    return inserted[0]?.n ?? 0;
  });
}
