import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "../client";
import { rateLimitCounters } from "../schema";

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Fixed-window counter in PostgreSQL, so the limit holds across instances: one upsert per request
 * returns the count of the current window.
 */
export async function hitRateLimit(db: Executor, key: string, limits: { limit: number; windowSeconds: number }, now = new Date()): Promise<RateLimitVerdict> {
  const windowMs = limits.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimitCounters.key, rateLimitCounters.windowStart], set: { count: sql`${rateLimitCounters.count} + 1` } })
    .returning({ count: rateLimitCounters.count });
  if (row.count <= limits.limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000)) };
}

/** Old windows are worthless; the background worker calls this now and then. */
export async function pruneRateLimits(db: Executor, olderThan: Date): Promise<void> {
  await db.delete(rateLimitCounters).where(sql`${rateLimitCounters.windowStart} < ${olderThan.toISOString()}`);
}
