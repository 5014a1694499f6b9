import "server-only";
import { eq } from "drizzle-orm";
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
export async function insertUser(tx: Executor, values: { email: string; name: string; passwordHash: string }) {
  try {
    return await tx.insert(users).values(values).returning({ id: users.id });
  } catch (e) {
    if (isUniqueViolation(e, "users_email_key")) throw new AppError("conflict", EMAIL_TAKEN, { fieldErrors: { email: ["An account with this email already exists"] } });
    throw e;
  }
}
