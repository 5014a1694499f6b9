import "server-only";
import { randomBytes } from "node:crypto";
import { encryptSecret, newWebhookSecret } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import { emailTaken, insertUser } from "./users";
import { eq, sql } from "drizzle-orm";
import { diffFields, type FieldChange } from "@/lib/data/diff";
import { resolveCriteria, type ReadinessCriteria } from "@/lib/readiness";
import type { Scope } from "@/db/scope";
import type { Db, Executor } from "../client";
import { memberships, organizations, workspaces, workspaceMembers, type OrganizationSettings } from "../schema";
import { appendAudit } from "./audit";
import { DEFAULT_LEASE_MINUTES } from "./queue";

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
 * The caller hashes the password; this function never sees it in the clear. An email that already
 * has an account creates nothing (null) and leaves that account as it is; the caller answers the same
 * either way. The new admin's email is unverified: it doesn't hold the address against an invite.
 */
export async function createOrganizationWithAdmin(
  db: Executor,
  params: { organizationName: string; name: string; email: string; passwordHash: string },
): Promise<{ organizationId: string; userId: string } | null> {
  try {
    return await db.transaction(async (tx) => {
      if (await emailTaken(tx, params.email)) return null;
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
  } catch (e) {
    // A concurrent sign-up with the same email won the race: the same as finding it taken.
    if (e instanceof AppError && e.code === "conflict") return null;
    throw e;
  }
}

/** What `settings.readinessDefaults` holds: the org-wide readiness bar, between the product defaults and each task type's overrides. */
export type ReadinessDefaults = Pick<ReadinessCriteria, "minDecisions" | "targetAcceptance" | "minDays" | "stepDownWindowDays">;

/**
 * The stored settings with the key this module adds. OrganizationSettings (db/schema/tenancy.ts) is the
 * jsonb column's type; `readinessDefaults` lives in the same object without a schema change.
 */
export type StoredOrganizationSettings = OrganizationSettings & { readinessDefaults?: Partial<ReadinessDefaults> };

/** The settings an admin edits on /admin/settings, with the defaults filled in. */
export type EditableSettings = { autoRegisterTaskTypes: boolean; leaseMinutes: number; readinessDefaults: ReadinessDefaults; excludeFlaggedApprovals: boolean };

/** The readiness bar an organization set, each value checked as readiness checks it (a broken one falls back). */
export function readinessDefaultsOf(settings: StoredOrganizationSettings): ReadinessDefaults {
  const c = resolveCriteria(settings.readinessDefaults ?? null);
  return { minDecisions: c.minDecisions, targetAcceptance: c.targetAcceptance, minDays: c.minDays, stepDownWindowDays: c.stepDownWindowDays };
}

export function editableSettingsOf(settings: StoredOrganizationSettings): EditableSettings {
  const lease = settings.leaseMinutes;
  return {
    autoRegisterTaskTypes: settings.autoRegisterTaskTypes !== false,
    leaseMinutes: typeof lease === "number" && Number.isInteger(lease) && lease >= 1 && lease <= 240 ? lease : DEFAULT_LEASE_MINUTES,
    readinessDefaults: readinessDefaultsOf(settings),
    excludeFlaggedApprovals: settings.excludeFlaggedApprovals === true,
  };
}

/** Only the changed keys (nested ones by their changed leaves), for the audit entry's before and after. */
function changedOnly(changes: FieldChange[], side: "before" | "after"): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const change of changes) {
    const [head, leaf] = change.path.split(".");
    if (leaf === undefined) out[head] = change[side];
    else out[head] = { ...(out[head] as Record<string, unknown> | undefined), [leaf]: change[side] };
  }
  return out;
}

/**
 * Saves the editable settings, on the record: one audit entry with the before/after of what changed,
 * in the same transaction. Saving the same values writes nothing and answers no changes.
 */
export async function updateOrganizationSettings(db: Db, scope: Scope, next: EditableSettings): Promise<FieldChange[]> {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select({ settings: organizations.settings })
      .from(organizations)
      .where(eq(organizations.id, scope.organizationId))
      .for("update");
    if (!org) throw new AppError("not_found", "No such organization.");
    const before = editableSettingsOf(org.settings as StoredOrganizationSettings);
    const changes = diffFields(before, next);
    if (changes.length === 0) return [];
    const patch = {
      autoRegisterTaskTypes: next.autoRegisterTaskTypes,
      leaseMinutes: next.leaseMinutes,
      readinessDefaults: next.readinessDefaults,
      excludeFlaggedApprovals: next.excludeFlaggedApprovals,
    };
    await tx
      .update(organizations)
      .set({ settings: sql`${organizations.settings} || ${JSON.stringify(patch)}::jsonb` })
      .where(eq(organizations.id, scope.organizationId));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "organization.settings_changed",
      targetType: "organization",
      targetId: scope.organizationId,
      data: { before: changedOnly(changes, "before"), after: changedOnly(changes, "after") },
    });
    return changes;
  });
}

/** Turns the automatic step-down on or off, on the record (nothing is written when it already is). */
export async function setAutoStepDown(db: Db, scope: Scope, enabled: boolean): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [org] = await tx
      .select({ settings: organizations.settings })
      .from(organizations)
      .where(eq(organizations.id, scope.organizationId))
      .for("update");
    const was = org?.settings.autoStepDown === true;
    if (!org || was === enabled) return false;
    await tx
      .update(organizations)
      .set({ settings: sql`${organizations.settings} || jsonb_build_object('autoStepDown', ${enabled}::boolean)` })
      .where(eq(organizations.id, scope.organizationId));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "organization.settings_changed",
      targetType: "organization",
      targetId: scope.organizationId,
      data: { before: { autoStepDown: was }, after: { autoStepDown: enabled } },
    });
    return true;
  });
}

export async function organizationSettings(db: Executor, scope: Scope): Promise<StoredOrganizationSettings> {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, scope.organizationId));
  return org?.settings ?? {};
}
