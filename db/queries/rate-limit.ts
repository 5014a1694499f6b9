import "server-only";
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
