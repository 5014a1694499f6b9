// What an organization holds, read straight from the e2e database, so a spec can tell what a run of
// requests wrote. Only on PostgreSQL: the e2e server's database when TEST_DATABASE_URL is set.
import postgres from "postgres";

/** The e2e server's database (scripts/e2e-server.mjs), or E2E_DATABASE_URL for a server started otherwise; null on PGlite. */
export function e2eDatabaseUrl(): string | null {
  if (process.env.E2E_DATABASE_URL) return process.env.E2E_DATABASE_URL;
  if (!process.env.TEST_DATABASE_URL || process.env.E2E_BASE_URL) return null;
  const url = new URL(process.env.TEST_DATABASE_URL);
  url.pathname = `/countersign_e2e_${process.env.E2E_PORT ?? "3100"}`;
  return url.toString();
}

/** Per table: how many rows belong to the organization, and a digest of their contents. */
export type Fingerprint = Record<string, { rows: number; digest: string }>;

/** Rows other processes change on their own schedule, not in answer to a request: left out. */
const VOLATILE = new Set(["rate_limit_counters", "login_failures", "webhook_deliveries", "webhook_attempts"]);
/** Counted but not digested: the chainer links each new audit entry to the previous one a moment after it is written. */
const COUNT_ONLY = new Set(["audit_log"]);

export type OrgDatabase = {
  sql: postgres.Sql;
  /** Row counts and content digests of every table with an `organization_id`, plus the organization's row and its members' users. */
  fingerprint(organizationId: string, options?: { exclude?: readonly string[] }): Promise<Fingerprint>;
  /** Rows per audit action written for the organization after `sinceId`. */
  auditSince(organizationId: string, sinceId: number): Promise<Record<string, number>>;
  lastAuditId(): Promise<number>;
  close(): Promise<void>;
};

export async function openOrgDatabase(url: string): Promise<OrgDatabase> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  const tables = (
    await sql<{ table_name: string }[]>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'organization_id'
      order by table_name`
  ).map((r) => r.table_name);
  return {
    sql,
    async fingerprint(organizationId, options = {}) {
      const skip = new Set([...VOLATILE, ...(options.exclude ?? [])]);
      const parts = tables
        .filter((t) => !skip.has(t))
        .map((t) =>
          COUNT_ONLY.has(t)
            ? sql`select ${t} as t, count(*)::int as n, '' as d from ${sql(t)} x where organization_id = ${organizationId}`
            : sql`select ${t} as t, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), ',' order by md5(x::text))), '') as d from ${sql(t)} x where organization_id = ${organizationId}`,
        );
      parts.push(sql`select 'organizations' as t, count(*)::int as n, coalesce(md5(string_agg(x::text, ',')), '') as d from organizations x where id = ${organizationId}`);
      parts.push(
        sql`select 'users' as t, count(*)::int as n, coalesce(md5(string_agg(md5(x::text), ',' order by md5(x::text))), '') as d from users x where id in (select user_id from memberships where organization_id = ${organizationId})`,
      );
      // One statement, one round trip: this runs after every server action call.
      const union = parts.slice(1).reduce((query, part) => sql`${query} union all ${part}`, parts[0]);
      const rows = await sql<{ t: string; n: number; d: string }[]>`${union}`;
      return Object.fromEntries(rows.map((r) => [r.t, { rows: r.n, digest: r.d }]));
    },
    async auditSince(organizationId, sinceId) {
      const rows = await sql<{ action: string; n: number }[]>`select action, count(*)::int as n from audit_log where organization_id = ${organizationId} and id > ${sinceId} group by action order by action`;
      return Object.fromEntries(rows.map((r) => [r.action, r.n]));
    },
    async lastAuditId() {
      const [row] = await sql<{ id: number }[]>`select coalesce(max(id), 0)::int as id from audit_log`;
      return row.id;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** The tables whose rows or contents differ, as readable lines (empty when none). */
export function differences(before: Fingerprint, after: Fingerprint): string[] {
  const out: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table];
    const b = after[table];
    if (!a || !b) out.push(`${table}: ${a ? "gone" : "new"}`);
    else if (a.rows !== b.rows) out.push(`${table}: ${a.rows} → ${b.rows} rows`);
    else if (a.digest !== b.digest) out.push(`${table}: contents changed (${a.rows} rows)`);
  }
  return out;
}
