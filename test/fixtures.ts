import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { eq } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { users } from "@/db/schema";
import { chainAuditLog, verifyAuditChain } from "@/db/queries/audit";
import { acceptInvite, createInvite } from "@/db/queries/members";
import { createOrganizationWithAdmin } from "@/db/queries/organizations";
import { hashPassword } from "@/lib/security/password";
import type { Role } from "@/lib/security/permissions";
import { loadScope, type Scope } from "@/db/scope";
import { AppError, type ErrorCode } from "@/lib/errors";

/** Unique per call, so tests never collide on the global email index or throttle keys. */
export function uniqueEmail(label = "user"): string {
  return `${label}.${randomBytes(5).toString("hex")}@example.test`;
}

export const TEST_PASSWORD = "correct horse battery";
let passwordHash: Promise<string> | undefined;
/** One real argon2 hash per test file; hashing per user would dominate the suite's run time. */
export function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  return passwordHash;
}

/** The scope a current session of the user would get. */
export async function scopeOf(db: Executor, userId: string): Promise<Scope> {
  const [user] = await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
  const lookup = await loadScope(db, userId, user?.sessionVersion ?? 0);
  if (!lookup.ok) throw new Error(`No scope for ${userId}: ${lookup.reason}`);
  return lookup.scope;
}

/** The scope of an existing user, by email (e.g. the demo's `reviewer@acme.test`). */
export async function scopeByEmail(db: Executor, email: string): Promise<Scope> {
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) throw new Error(`No user ${email}`);
  return scopeOf(db, user.id);
}

export type TestOrganization = { organizationId: string; adminId: string; adminEmail: string; admin: Scope };

/** A new tenant through the sign-up path, with its admin's scope. */
export async function createTenant(db: Executor, name = "Tenant"): Promise<TestOrganization> {
  const adminEmail = uniqueEmail("admin");
  const created = await createOrganizationWithAdmin(db, {
    organizationName: `${name} ${randomBytes(3).toString("hex")}`,
    name: `Admin of ${name}`,
    email: adminEmail,
    passwordHash: await testPasswordHash(),
  });
  if (!created) throw new Error(`${adminEmail} was taken`);
  const { organizationId, userId } = created;
  return { organizationId, adminId: userId, adminEmail, admin: await scopeOf(db, userId) };
}

/** A member joined through the invite path (as a real one would), with their scope. */
export async function addMember(db: Executor, admin: Scope, role: Role, name = `Member ${randomBytes(2).toString("hex")}`) {
  const email = uniqueEmail(role);
  const { token } = await createInvite(db, admin, { email, role });
  const { userId } = await acceptInvite(db, { token, name, passwordHash: await testPasswordHash() });
  return { userId, email, name, scope: await scopeOf(db, userId) };
}

/** Raw rows from `db.execute` (postgres.js answers an array, PGlite an object with `rows`). */
export { rowsOf as queryRows } from "@/db/client";

export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

/** The audit chain's key in tests; the app's is AUDIT_HMAC_KEY. */
export const TEST_AUDIT_KEY = "integration-test-audit-key-0123456789abcdef";

/** Links what waits in the organization's audit log, as the worker does every second, then verifies the chain. */
export async function linkAndVerifyAudit(db: Db, scope: Scope) {
  await chainAuditLog(db, { key: TEST_AUDIT_KEY, organizationId: scope.organizationId });
  return verifyAuditChain(db, scope, { key: TEST_AUDIT_KEY });
}
