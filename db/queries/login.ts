import "server-only";
import { and, eq, gte, inArray, lt, min, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { loginFailures, memberships, users } from "../schema";

export type ThrottleLimits = { maxPerAccount: number; maxPerAddress: number; windowSeconds: number };
export type ThrottleState = { throttled: false } | { throttled: true; retryAfterSeconds: number };

const emailKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

/**
 * Failed sign-ins are counted per account and per client address inside a sliding window; either
 * reaching its limit throttles until the oldest failure in the window ages out.
 */
export async function loginThrottleState(db: Executor, who: { email: string; ip: string }, limits: ThrottleLimits, now = new Date()): Promise<ThrottleState> {
  const since = new Date(now.getTime() - limits.windowSeconds * 1000);
  const rows = await db
    .select({ key: loginFailures.key, count: sql<number>`count(*)::int`, oldest: min(loginFailures.createdAt) })
    .from(loginFailures)
    .where(and(inArray(loginFailures.key, [emailKey(who.email), addressKey(who.ip)]), gte(loginFailures.createdAt, since)))
    .groupBy(loginFailures.key);
  let retryAt = 0;
  for (const row of rows) {
    const limit = row.key.startsWith("email:") ? limits.maxPerAccount : limits.maxPerAddress;
    if (row.count >= limit && row.oldest) {
      // The window slides: the throttle lifts when enough of the oldest failures expire.
      const oldest = new Date(row.oldest).getTime();
      retryAt = Math.max(retryAt, oldest + limits.windowSeconds * 1000);
    }
  }
  if (retryAt === 0) return { throttled: false };
  return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) };
}

export async function recordLoginFailure(db: Executor, who: { email: string; ip: string }, limits: ThrottleLimits): Promise<void> {
  await db.insert(loginFailures).values([{ key: emailKey(who.email) }, { key: addressKey(who.ip) }]);
  // Keep the table small: nothing older than the window matters.
  await db.delete(loginFailures).where(lt(loginFailures.createdAt, new Date(Date.now() - limits.windowSeconds * 1000)));
}

export async function clearLoginFailures(db: Executor, email: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.key, emailKey(email)));
}

/** The credentials of one user, for verification only; never returned to a page. */
export async function findCredentials(db: Executor, email: string) {
  const [row] = await db
    .select({
      userId: users.id,
      passwordHash: users.passwordHash,
      activeMemberships: sql<number>`count(${memberships.userId}) filter (where ${memberships.status} = 'active')::int`,
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .groupBy(users.id);
  return row ?? null;
}
