import "server-only";
import { randomBytes } from "node:crypto";
import { encryptSecret, newWebhookSecret } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import { EMAIL_TAKEN, emailTaken, insertUser } from "./users";
import { eq, sql } from "drizzle-orm";
import type { Scope } from "@/lib/auth/scope";
import type { Db, Executor } from "../client";
import { memberships, organizations, workspaces, workspaceMembers } from "../schema";
import { appendAudit } from "./audit";

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "org";
}

/**
 * Sign-up: a new organization, its first admin, and a default workspace, in one transaction.
 * The caller hashes the password; this function never sees it in the clear.
 */
export async function createOrganizationWithAdmin(
  db: Executor,
  params: { organizationName: string; name: string; email: string; passwordHash: string },
): Promise<{ organizationId: string; userId: string }> {
  return db.transaction(async (tx) => {
    if (await emailTaken(tx, params.email)) {
      throw new AppError("conflict", EMAIL_TAKEN, {
        fieldErrors: { email: ["An account with this email already exists"] },
      });
    }
    const slug = `${slugify(params.organizationName)}-${randomBytes(3).toString("hex")}`;
    // Every organization signs its webhooks with its own secret from the start.
    const [org] = await tx
      .insert(organizations)
      .values({ name: params.organizationName, slug, webhookSecretEncrypted: encryptSecret(newWebhookSecret()) })
      .returning({ id: organizations.id });
    const [user] = await insertUser(tx, { email: params.email, name: params.name, passwordHash: params.passwordHash });
    await tx.insert(memberships).values({ organizationId: org.id, userId: user.id, role: "admin" });
    const [workspace] = await tx
      .insert(workspaces)
      .values({ organizationId: org.id, name: "General", isDefault: true })
      .returning({ id: workspaces.id });
    await tx.insert(workspaceMembers).values({ organizationId: org.id, workspaceId: workspace.id, userId: user.id });
    await appendAudit(tx, {
      organizationId: org.id,
      actorUserId: user.id,
      action: "organization.created",
      targetType: "organization",
      targetId: org.id,
      data: { name: params.organizationName, admin: params.email },
    });
    return { organizationId: org.id, userId: user.id };
  });
}

/** Turns the automatic step-down on or off, on the record. */
export async function setAutoStepDown(db: Db, scope: Scope, enabled: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(organizations)
      .set({ settings: sql`${organizations.settings} || jsonb_build_object('autoStepDown', ${enabled}::boolean)` })
      .where(eq(organizations.id, scope.organizationId));
    await appendAudit(tx, { organizationId: scope.organizationId, actorUserId: scope.userId, action: "organization.settings_changed", targetType: "organization", targetId: scope.organizationId, data: { autoStepDown: enabled } });
  });
}

export async function organizationSettings(db: Executor, scope: Scope) {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, scope.organizationId));
  return org?.settings ?? {};
}
