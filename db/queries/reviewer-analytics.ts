import "server-only";
import { sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { APPROVAL_TIME_BUCKETS } from "@/lib/data/rollup-buckets";
import type { ReviewerTotals } from "@/lib/views/reviewers";
import { rowsOf, type Executor } from "../client";
import type { DateRange } from "./analytics";

/**
 * What each person decided, read from the reviewer rollups (a row per reviewer × task type × day),
 * never from the decisions: totals per reviewer and task type for the rubber-stamp signals, and
 * decisions per reviewer and day for throughput.
 */

export type ReviewerDay = { reviewerId: string; day: string; decided: number };

const bucketSums = sql.raw(`array[${Array.from({ length: APPROVAL_TIME_BUCKETS }, (_, i) => `sum(r.approval_time_buckets[${i + 1}])`).join(", ")}]::int[]`);

type Filter = DateRange & { workspaceId?: string };

function where(scope: Scope, f: Filter) {
  return sql`r.organization_id = ${scope.organizationId} and r.day between ${f.from}::date and ${f.to}::date
    ${f.workspaceId ? sql`and t.workspace_id = ${f.workspaceId}` : sql``}`;
}

export async function reviewerTotals(db: Executor, scope: Scope, f: Filter): Promise<ReviewerTotals[]> {
  const rows = await rowsOf<{
    reviewer_id: string;
    reviewer_name: string;
    reviewer_email: string;
    task_type_key: string;
    task_type_name: string;
    approved: number;
    edited: number;
    rejected: number;
    time_on_item_ms_sum: string | number;
    approval_time_buckets: number[];
  }>(
    db,
    sql`select r.reviewer_id, u.name as reviewer_name, u.email as reviewer_email, t.key as task_type_key, t.name as task_type_name,
        sum(r.approved)::int as approved, sum(r.edited)::int as edited, sum(r.rejected)::int as rejected,
        sum(r.time_on_item_ms_sum)::bigint as time_on_item_ms_sum,
        ${bucketSums} as approval_time_buckets
      from reviewer_daily_rollups r
      join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
      join users u on u.id = r.reviewer_id
      where ${where(scope, f)}
      group by r.reviewer_id, u.name, u.email, t.key, t.name
      order by u.name, t.key`,
  );
  return rows.map((r) => ({
    reviewerId: r.reviewer_id,
    reviewerName: r.reviewer_name,
    reviewerEmail: r.reviewer_email,
    taskTypeKey: r.task_type_key,
    taskTypeName: r.task_type_name,
    approved: r.approved,
    edited: r.edited,
    rejected: r.rejected,
    timeOnItemMsSum: Number(r.time_on_item_ms_sum),
    approvalTimeBuckets: r.approval_time_buckets,
  }));
}

export async function reviewerDays(db: Executor, scope: Scope, f: Filter): Promise<ReviewerDay[]> {
  const rows = await rowsOf<{ reviewer_id: string; day: string; decided: number }>(
    db,
    sql`select r.reviewer_id, r.day::text as day, sum(r.approved + r.edited + r.rejected)::int as decided
      from reviewer_daily_rollups r
      join task_types t on t.id = r.task_type_id and t.organization_id = r.organization_id
      where ${where(scope, f)}
      group by r.reviewer_id, r.day
      order by r.day`,
  );
  return rows.map((r) => ({ reviewerId: r.reviewer_id, day: r.day, decided: r.decided }));
}
