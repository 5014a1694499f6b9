import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { decryptSecret } from "@/lib/security/crypto";
import { createTenant, linkAndVerifyAudit, scopeOf, testPasswordHash, uniqueEmail } from "@/test/fixtures";
import type { Db } from "../client";
import { auditLog, memberships, organizations, taskTypes, users, workspaceMembers, workspaces } from "../schema";
import { listAuditEntries } from "./audit";
import { listMembers } from "./members";
import { analyticsOverview } from "./analytics";
import { leaseMinutesOf } from "./queue";
import { createOrganizationWithAdmin, editableSettingsOf, organizationSettings, setAutoStepDown, slugify, updateOrganizationSettings, type EditableSettings } from "./organizations";
import { readinessOf } from "@/lib/views/analytics";
import { OrganizationSettingsForm } from "@/lib/validation/settings";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

describe("slugify", () => {
  it.each([
    ["Acme Health & Home", "acme-health-home"],
    ["123 Go!", "123-go"],
    ["日本語", "org"],
    ["", "org"],
    ["a".repeat(60), "a".repeat(40)],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it("always yields lowercase words joined by single dashes", () => {
    for (const name of ["  Crème Brûlée Co.  ", "--Acme--", "Ärzte & Söhne GmbH", "O'Brien's"]) expect(slugify(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("folds accented letters to their base letters", () => {
    expect(slugify("  Crème Brûlée Co.  ")).toBe("creme-brulee-co");
  });
});

describe("createOrganizationWithAdmin", () => {
  it("creates an organization, its admin, a default workspace and an audit entry", async () => {
    const email = uniqueEmail("founder");
    const passwordHash = await testPasswordHash();
    const created = await createOrganizationWithAdmin(db, { organizationName: "Northwind Clinics", name: "Nora North", email, passwordHash });
    if (!created) throw new Error("not created");
    const { organizationId, userId } = created;

    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    expect(org.name).toBe("Northwind Clinics");
    expect(org.slug).toMatch(/^northwind-clinics-[0-9a-f]{6}$/);
    const [user] = await db.select({ email: users.email, name: users.name, passwordHash: users.passwordHash, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
    // Signing up proves nothing about the address: unverified.
    expect(user).toEqual({ email, name: "Nora North", passwordHash, verifiedAt: null });
    const [membership] = await db.select().from(memberships).where(eq(memberships.userId, userId));
    expect(membership).toMatchObject({ organizationId, role: "admin", status: "active" });
    const ws = await db.select().from(workspaces).where(eq(workspaces.organizationId, organizationId));
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatchObject({ name: "General", isDefault: true, archivedAt: null });
    const wsMembers = await db.select().from(workspaceMembers).where(eq(workspaceMembers.organizationId, organizationId));
    expect(wsMembers.map((m) => [m.workspaceId, m.userId])).toEqual([[ws[0].id, userId]]);

    const scope = await scopeOf(db, userId);
    expect(scope).toMatchObject({ organizationId, organizationName: "Northwind Clinics", userId, email, name: "Nora North", role: "admin" });
    const entries = await listAuditEntries(db, scope);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "organization.created", targetType: "organization", targetId: organizationId, actorUserId: userId, data: { name: "Northwind Clinics", admin: email } });
    expect(await linkAndVerifyAudit(db, scope)).toMatchObject({ ok: true, entries: 1 });
  });

  it("gives organizations with the same name distinct slugs", async () => {
    const a = await createTenant(db, "Same Name");
    const b = await createTenant(db, "Same Name");
    const slugs = await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, a.organizationId));
    const slugsB = await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, b.organizationId));
    expect(slugs[0].slug).not.toBe(slugsB[0].slug);
  });

  it("isolates each sign-up in its own organization", async () => {
    const a = await createTenant(db, "Isolated A");
    const b = await createTenant(db, "Isolated B");
    expect(a.organizationId).not.toBe(b.organizationId);
    expect((await listMembers(db, a.admin)).map((m) => m.email)).toEqual([a.adminEmail]);
    expect((await listMembers(db, b.admin)).map((m) => m.email)).toEqual([b.adminEmail]);
    expect((await listAuditEntries(db, b.admin)).every((e) => e.targetId !== a.organizationId)).toBe(true);
  });

  it("gives each organization its own webhook signing secret, stored encrypted", async () => {
    const a = await createTenant(db, "Signer A");
    const b = await createTenant(db, "Signer B");
    const sealed = await Promise.all(
      [a, b].map(async (t) => (await db.select({ s: organizations.webhookSecretEncrypted }).from(organizations).where(eq(organizations.id, t.organizationId)))[0].s),
    );
    const secrets = sealed.map((s) => decryptSecret(s!));
    for (const [i, secret] of secrets.entries()) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(sealed[i]).not.toContain(secret.slice(6));
    }
    expect(secrets[0]).not.toBe(secrets[1]);
  });

  it("creates nothing for an email that already has an account, and leaves that account alone", async () => {
    const existing = await createTenant(db, "Taken");
    const before = await Promise.all([organizations, users, workspaces, auditLog].map(async (t) => (await db.select({ n: count() }).from(t))[0].n));
    expect(
      await createOrganizationWithAdmin(db, { organizationName: "Second Try", name: "Someone Else", email: existing.adminEmail, passwordHash: await testPasswordHash() }),
    ).toBeNull();
    const after = await Promise.all([organizations, users, workspaces, auditLog].map(async (t) => (await db.select({ n: count() }).from(t))[0].n));
    expect(after).toEqual(before);
    const [membership] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.organizationId, existing.organizationId), eq(memberships.userId, existing.adminId)));
    expect(membership.role).toBe("admin");
  });
});

describe("organization settings", () => {
  const defaults: EditableSettings = { autoRegisterTaskTypes: true, leaseMinutes: 10, readinessDefaults: { minDecisions: 500, targetAcceptance: 0.98, minDays: 28, stepDownWindowDays: 14 }, excludeFlaggedApprovals: false };
  const settingsEntries = async (organizationId: string) =>
    (await db.select({ data: auditLog.data, actorUserId: auditLog.actorUserId }).from(auditLog).where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, "organization.settings_changed"))));

  it("reads a new organization's settings as the product defaults", async () => {
    const tenant = await createTenant(db, "Defaults");
    expect(editableSettingsOf(await organizationSettings(db, tenant.admin))).toEqual(defaults);
    // A broken stored value falls back instead of loosening anything.
    expect(editableSettingsOf({ leaseMinutes: -3, readinessDefaults: { minDecisions: Number.NaN, targetAcceptance: 1.5, minDays: 7 } })).toEqual({
      ...defaults,
      readinessDefaults: { ...defaults.readinessDefaults, minDays: 7 },
    });
  });

  it("saves what changed with one audit entry carrying only the before and after of it", async () => {
    const tenant = await createTenant(db, "Settings diff");
    const next = { ...defaults, leaseMinutes: 25, readinessDefaults: { ...defaults.readinessDefaults, targetAcceptance: 0.95 } };
    const changes = await updateOrganizationSettings(db, tenant.admin, next);
    expect(changes).toEqual([
      { path: "leaseMinutes", before: 10, after: 25 },
      { path: "readinessDefaults.targetAcceptance", before: 0.98, after: 0.95 },
    ]);
    expect(editableSettingsOf(await organizationSettings(db, tenant.admin))).toEqual(next);
    expect(await leaseMinutesOf(db, tenant.organizationId)).toBe(25);
    const entries = await settingsEntries(tenant.organizationId);
    expect(entries).toEqual([
      { actorUserId: tenant.adminId, data: { before: { leaseMinutes: 10, readinessDefaults: { targetAcceptance: 0.98 } }, after: { leaseMinutes: 25, readinessDefaults: { targetAcceptance: 0.95 } } } },
    ]);
    // Saving the same values again changes nothing and records nothing.
    expect(await updateOrganizationSettings(db, tenant.admin, next)).toEqual([]);
    expect(await settingsEntries(tenant.organizationId)).toHaveLength(1);
    // Turning auto-registration off is its own recorded change, and keeps the rest.
    await updateOrganizationSettings(db, tenant.admin, { ...next, autoRegisterTaskTypes: false });
    const stored = await organizationSettings(db, tenant.admin);
    expect(stored).toMatchObject({ autoRegisterTaskTypes: false, leaseMinutes: 25 });
    expect((await settingsEntries(tenant.organizationId))[1].data).toEqual({ before: { autoRegisterTaskTypes: true }, after: { autoRegisterTaskTypes: false } });
    expect(await linkAndVerifyAudit(db, tenant.admin)).toMatchObject({ ok: true, entries: 3 });
  });

  it("changes only the caller's organization", async () => {
    const a = await createTenant(db, "Settings A");
    const b = await createTenant(db, "Settings B");
    await updateOrganizationSettings(db, a.admin, { ...defaults, leaseMinutes: 60, autoRegisterTaskTypes: false });
    await setAutoStepDown(db, a.admin, true);
    expect(editableSettingsOf(await organizationSettings(db, b.admin))).toEqual(defaults);
    expect((await organizationSettings(db, b.admin)).autoStepDown).toBeUndefined();
    expect(await leaseMinutesOf(db, b.organizationId)).toBe(10);
    expect(await settingsEntries(b.organizationId)).toEqual([]);
    expect((await listAuditEntries(db, b.admin)).map((e) => e.action)).toEqual(["organization.created"]);
  });

  it("records the automatic step-down switch with its before and after, and nothing when it already is", async () => {
    const tenant = await createTenant(db, "Step-down switch");
    expect(await setAutoStepDown(db, tenant.admin, false)).toBe(false);
    expect(await setAutoStepDown(db, tenant.admin, true)).toBe(true);
    expect(await setAutoStepDown(db, tenant.admin, true)).toBe(false);
    expect((await settingsEntries(tenant.organizationId)).map((e) => e.data)).toEqual([{ before: { autoStepDown: false }, after: { autoStepDown: true } }]);
  });

  it("makes the readiness defaults the bar analytics judges by, under each task type's own overrides", async () => {
    const tenant = await createTenant(db, "Readiness defaults");
    const [ws] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.organizationId, tenant.organizationId));
    await db.insert(taskTypes).values([
      { organizationId: tenant.organizationId, key: "plain.type", name: "Plain", workspaceId: ws.id },
      { organizationId: tenant.organizationId, key: "own.bar", name: "Own bar", workspaceId: ws.id, readinessOverrides: { minDecisions: 50 } },
    ]);
    const criteriaOf = async () => {
      const summaries = await analyticsOverview(db, tenant.admin, { from: "2026-01-01", to: "2026-01-31" });
      return Object.fromEntries(summaries.map((s) => [s.taskType.key, readinessOf(s, new Date()).criteria]));
    };
    expect((await criteriaOf())["plain.type"]).toMatchObject({ minDecisions: 500, targetAcceptance: 0.98, minDays: 28 });
    await updateOrganizationSettings(db, tenant.admin, { ...defaults, readinessDefaults: { minDecisions: 200, targetAcceptance: 0.95, minDays: 14, stepDownWindowDays: 21 } });
    const after = await criteriaOf();
    expect(after["plain.type"]).toMatchObject({ minDecisions: 200, targetAcceptance: 0.95, minDays: 14, wilsonMargin: 0.02, stepDownWindowDays: 21 });
    expect(after["own.bar"]).toMatchObject({ minDecisions: 50, targetAcceptance: 0.95, minDays: 14 });
    // Another organization's analytics keep the product's bar.
    const other = await createTenant(db, "Other bar");
    const [otherWs] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.organizationId, other.organizationId));
    await db.insert(taskTypes).values({ organizationId: other.organizationId, key: "plain.type", name: "Plain", workspaceId: otherWs.id });
    const [otherSummary] = await analyticsOverview(db, other.admin, { from: "2026-01-01", to: "2026-01-31" });
    expect(readinessOf(otherSummary, new Date()).criteria).toMatchObject({ minDecisions: 500, targetAcceptance: 0.98, minDays: 28 });
  });

  it("validates the form: bounds, whole numbers, required fields, a percentage stored as a share", () => {
    const form = { autoRegisterTaskTypes: "on", leaseMinutes: "15", minDecisions: "300", targetAcceptance: "97.5", minDays: "21", stepDownWindowDays: "14" };
    expect(OrganizationSettingsForm.parse(form)).toEqual({
      autoRegisterTaskTypes: true,
      leaseMinutes: 15,
      readinessDefaults: { minDecisions: 300, targetAcceptance: 0.975, minDays: 21, stepDownWindowDays: 14 },
      excludeFlaggedApprovals: false,
    });
    expect(OrganizationSettingsForm.parse({ ...form, excludeFlaggedApprovals: "on" }).excludeFlaggedApprovals).toBe(true);
    expect(OrganizationSettingsForm.parse({ ...form, autoRegisterTaskTypes: undefined }).autoRegisterTaskTypes).toBe(false);
    const errors = (input: Record<string, unknown>) => {
      const r = OrganizationSettingsForm.safeParse({ ...form, ...input });
      return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
    };
    expect(errors({ leaseMinutes: "0" })).toEqual({ leaseMinutes: "Enter a value from 1 to 120." });
    expect(errors({ leaseMinutes: "121" })).toEqual({ leaseMinutes: "Enter a value from 1 to 120." });
    expect(errors({ leaseMinutes: "1.5" })).toEqual({ leaseMinutes: "Enter a whole number." });
    expect(errors({ leaseMinutes: "" })).toEqual({ leaseMinutes: "Enter the lease length in minutes." });
    expect(errors({ leaseMinutes: "ten" })).toHaveProperty("leaseMinutes");
    expect(errors({ targetAcceptance: "49.9" })).toEqual({ targetAcceptance: "Enter a value from 50 to 100." });
    expect(errors({ targetAcceptance: "100.1" })).toEqual({ targetAcceptance: "Enter a value from 50 to 100." });
    expect(errors({ minDecisions: "0" })).toHaveProperty("minDecisions");
    expect(errors({ minDays: "366" })).toHaveProperty("minDays");
    expect(errors({ stepDownWindowDays: "6" })).toEqual({ stepDownWindowDays: "Enter a value from 7 to 28." });
    expect(errors({ stepDownWindowDays: "29" })).toEqual({ stepDownWindowDays: "Enter a value from 7 to 28." });
    expect(errors({ autoRegisterTaskTypes: "yes" })).toHaveProperty("autoRegisterTaskTypes");
  });
});
