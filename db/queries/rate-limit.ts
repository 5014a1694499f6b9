import "server-only";
import { randomInt } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { rateLimitCounters } from "../schema";

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };
export type RateLimits = { limit: number; windowSeconds: number };

/** The counter key of an API key's requests. */
export const apiKeyRateLimitKey = (apiKeyId: string) => `api:${apiKeyId}`;

/** The fixed window `now` falls in. */
export function rateLimitWindowStart(limits: RateLimits, now: Date): Date {
  const windowMs = limits.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Whether the `count`-th request of the window is allowed, and if not, when the window ends. */
export function rateLimitVerdict(count: number, limits: RateLimits, now: Date): RateLimitVerdict {
  if (count <= limits.limit) return { allowed: true };
  const windowEnd = rateLimitWindowStart(limits, now).getTime() + limits.windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
}

/**
 * The counter upsert as a statement of its own (`returning count`), for callers that fold it into a
 * bigger statement as a CTE; `key` is an SQL expression so the caller may compute it there.
 */
export function rateLimitHitSql(key: SQL, windowStart: Date, from: SQL = sql``): SQL {
  return sql`insert into ${rateLimitCounters} (key, window_start, count)
    select ${key}, ${windowStart.toISOString()}::timestamptz, 1 ${from}
    on conflict (key, window_start) do update set count = ${rateLimitCounters}.count + 1
    returning count`;
}

/** How many counter rows a hot key's window is spread over (see `shardedRateLimitHitSql`). */
export const RATE_LIMIT_SHARDS = 16;

/**
 * `rateLimitHitSql` for keys that take many concurrent requests, as two CTEs for a statement's WITH
 * list: `<name>_shard` increments one of `RATE_LIMIT_SHARDS` rows (`<key>#<n>`, n at random), so
 * concurrent requests don't queue on one row's lock (a queue that stalls them all whenever its
 * holder waits for a CPU); `<name>` has one row, `count`: the window's total across the shards — this
 * request's shard as updated, the others (and the unsharded `<key>` of `hitRateLimit`) as committed.
 * No row when `from` selects nothing.
 */
export function shardedRateLimitCtes(name: string, key: SQL, windowStart: Date, from: SQL): SQL {
  const window = sql`${windowStart.toISOString()}::timestamptz`;
  const shard = sql.identifier(`${name}_shard`);
  return sql`${shard} as (
      insert into ${rateLimitCounters} (key, window_start, count)
      select ${key} || '#' || ${randomInt(RATE_LIMIT_SHARDS)}::int, ${window}, 1 ${from}
      on conflict (key, window_start) do update set count = ${rateLimitCounters}.count + 1
      returning key, count
    ),
    ${sql.identifier(name)} as (
      select (s.count + coalesce((
        select sum(c.count) from ${rateLimitCounters} c
        where c.window_start = ${window} and c.key <> s.key
          and c.key in (
            select regexp_replace(s.key, '#[0-9]+$', '') || suffix
            from (select '' as suffix union all select '#' || n from generate_series(0, ${RATE_LIMIT_SHARDS - 1}::int) n) shards
          )
      ), 0))::int as count
      from ${shard} s
    )`;
}

/**
 * Fixed-window counter in PostgreSQL, so the limit holds across instances: one upsert per request
 * returns the count of the current window.
 */
export async function hitRateLimit(db: Executor, key: string, limits: RateLimits, now = new Date()): Promise<RateLimitVerdict> {
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ key, windowStart: rateLimitWindowStart(limits, now), count: 1 })
    .onConflictDoUpdate({ target: [rateLimitCounters.key, rateLimitCounters.windowStart], set: { count: sql`${rateLimitCounters.count} + 1` } })
    .returning({ count: rateLimitCounters.count });
  return rateLimitVerdict(row.count, limits, now);
}

/** Old windows are worthless; the background worker calls this now and then. */
export async function pruneRateLimits(db: Executor, olderThan: Date): Promise<void> {
  await db.delete(rateLimitCounters).where(sql`${rateLimitCounters.windowStart} < ${olderThan.toISOString()}`);
}
