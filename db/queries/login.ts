import "server-only";
import { and, count, desc, eq, gte, inArray, lt, max, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { loginFailures, memberships, users } from "../schema";

/**
 * `maxPerAccount`: failed sign-ins an account may have within the window before each further attempt
 * waits (1 s, 2 s, 4 s … up to `maxDelaySeconds` after the latest failure). `maxPerAddress`: failures
 * from one client address within the window before that address waits until they age out.
 */
export type ThrottleLimits = { maxPerAccount: number; maxDelaySeconds: number; maxPerAddress: number; windowSeconds: number };
export type ThrottleState = { throttled: false } | { throttled: true; retryAfterSeconds: number };
/** Who is trying: the account's email and the client's address bucket (lib/security/client-address.ts). */
export type SignInAttempt = { email: string; ip: string };

const emailKey = (email: string) => `email:${email}`;
const addressKey = (ip: string) => `ip:${ip}`;

/**
 * How long an account's next attempt waits after its latest failure, given its failures in the window.
 * The delay grows with each failure but stops at a cap, so someone else's wrong guesses slow the owner
 * down by at most that much, never lock them out.
 */
export function accountDelaySeconds(failures: number, limits: Pick<ThrottleLimits, "maxPerAccount" | "maxDelaySeconds">): number {
  if (failures < limits.maxPerAccount) return 0;
  return Math.min(limits.maxDelaySeconds, 2 ** Math.min(failures - limits.maxPerAccount, 30));
}

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
 * Whether an attempt may be checked now. The account waits `accountDelaySeconds` after its latest
 * failure; the address waits while it holds `maxPerAddress` failures in the window, until enough of
 * them age out that the count drops below the limit.
 */
export async function loginThrottleState(db: Executor, who: SignInAttempt, limits: ThrottleLimits, now = new Date()): Promise<ThrottleState> {
  const since = new Date(now.getTime() - limits.windowSeconds * 1000);
  const [[account], addressLimiting] = await Promise.all([
    db
      .select({ failures: count(), latest: max(loginFailures.createdAt) })
      .from(loginFailures)
      .where(and(eq(loginFailures.key, emailKey(who.email)), gte(loginFailures.createdAt, since))),
    limitingFailure(db, addressKey(who.ip), limits.maxPerAddress, since),
  ]);
  const accountRetryAt = account.latest ? account.latest.getTime() + accountDelaySeconds(account.failures, limits) * 1000 : 0;
  const addressRetryAt = addressLimiting ? addressLimiting.getTime() + limits.windowSeconds * 1000 : 0;
  const retryAt = Math.max(accountRetryAt, addressRetryAt);
  if (retryAt <= now.getTime()) return { throttled: false };
  return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) };
}

/**
 * Admits one attempt, or says how long to wait. An admitted attempt is counted as a failure at once,
 * before its password is checked, and the check and the count happen under the account's and the
 * address's locks: attempts sent all at once are counted one after another, so a burst can't slip
 * past the delay. `settleSignInAttempt` takes the count back when the password was right.
 */
export async function beginSignInAttempt(
  db: Executor,
  who: SignInAttempt,
  limits: ThrottleLimits,
): Promise<{ admitted: true; attemptIds: string[] } | { admitted: false; retryAfterSeconds: number }> {
  return db.transaction(async (tx) => {
    // Always account first, then address: every attempt takes them in this order, so none deadlock.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${emailKey(who.email)}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${addressKey(who.ip)}, 0))`);
    const state = await loginThrottleState(tx, who, limits);
    if (state.throttled) return { admitted: false, retryAfterSeconds: state.retryAfterSeconds };
    const rows = await tx
      .insert(loginFailures)
      .values([{ key: emailKey(who.email) }, { key: addressKey(who.ip) }])
      .returning({ id: loginFailures.id });
    // Keep the table small: nothing older than the window matters.
    await tx.delete(loginFailures).where(lt(loginFailures.createdAt, new Date(Date.now() - limits.windowSeconds * 1000)));
    return { admitted: true, attemptIds: rows.map((r) => r.id) };
  });
}

/** The password was right: the account starts afresh, and this attempt doesn't count against the address. */
export async function settleSignInAttempt(db: Executor, who: SignInAttempt, attemptIds: string[]): Promise<void> {
  await db.delete(loginFailures).where(sql`${loginFailures.key} = ${emailKey(who.email)} or ${inArray(loginFailures.id, attemptIds)}`);
}

/** The credentials of one user, for verification only; never returned to a page. */
export async function findCredentials(db: Executor, email: string) {
  const [row] = await db
    .select({
      userId: users.id,
      passwordHash: users.passwordHash,
      sessionVersion: users.sessionVersion,
      activeMemberships: sql<number>`count(${memberships.userId}) filter (where ${memberships.status} = 'active')::int`,
    })
    .from(users)
    .leftJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, email))
    .groupBy(users.id);
  return row ?? null;
}
