import "server-only";
import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { loginFailures, memberships, users } from "../schema";

export type ThrottleLimits = { maxPerAccount: number; maxPerAddress: number; windowSeconds: number };
export type ThrottleState = { throttled: false } | { throttled: true; retryAfterSeconds: number };

const emailKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

/** When the failure that keeps `key` at its limit leaves the window: the limit-th most recent one. */
async function limitingFailure(db: Executor, key: string, limit: number, since: Date): Promise<Date | null> {
  const [row] = await db
    .select({ createdAt: loginFailures.createdAt })
    .from(loginFailures)
    .where(and(eq(loginFailures.key, key), gte(loginFailures.createdAt, since)))
    .orderBy(desc(loginFailures.createdAt))
    .offset(limit - 1)
    .limit(1);
  return row?.createdAt ?? null;
}

/**
 * Failed sign-ins are counted per account and per client address inside a sliding window; either
 * reaching its limit throttles until enough failures age out that the count drops below the limit.
 */
export async function loginThrottleState(db: Executor, who: { email: string; ip: string }, limits: ThrottleLimits, now = new Date()): Promise<ThrottleState> {
  const since = new Date(now.getTime() - limits.windowSeconds * 1000);
  const limiting = await Promise.all([
    limitingFailure(db, emailKey(who.email), limits.maxPerAccount, since),
    limitingFailure(db, addressKey(who.ip), limits.maxPerAddress, since),
  ]);
  const retryAt = Math.max(0, ...limiting.map((d) => (d ? d.getTime() + limits.windowSeconds * 1000 : 0)));
  if (retryAt <= now.getTime()) return { throttled: false };
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
