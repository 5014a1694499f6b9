import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Executor } from "../client";
import { isUniqueViolation } from "../errors";
import { users } from "../schema";

export async function emailTaken(db: Executor, email: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return Boolean(row);
}

export const EMAIL_TAKEN = "An account with this email already exists. Sign in instead.";

/** Inserts a user; a concurrent sign-up that won the race on the same email is a conflict, not a crash. */
export async function insertUser(tx: Executor, values: { email: string; name: string; passwordHash: string; emailVerifiedAt?: Date }) {
  try {
    return await tx.insert(users).values(values).returning({ id: users.id });
  } catch (e) {
    if (isUniqueViolation(e, "users_email_key")) throw new AppError("conflict", EMAIL_TAKEN, { fieldErrors: { email: ["An account with this email already exists"] } });
    throw e;
  }
}

/** Ends every session the users hold: each was issued under the version this moves past. */
export async function endSessions(tx: Executor, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(inArray(users.id, userIds));
}

/**
 * Sign-out: ends every session of the user, copies of this one included, provided the session signing
 * out is current. A copy of an already ended session can't sign its owner out of their new ones.
 */
export async function endSessionsFrom(db: Executor, params: { userId: string; sessionVersion: number }): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(and(eq(users.id, params.userId), eq(users.sessionVersion, params.sessionVersion)));
}
