import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { decryptSecret } from "@/lib/crypto";
import { createTenant, expectAppError, scopeOf, testPasswordHash, uniqueEmail } from "@/test/fixtures";
import type { Db } from "../client";
import { auditLog, memberships, organizations, users, workspaceMembers, workspaces } from "../schema";
import { listAuditEntries, verifyAuditChain } from "./audit";
import { listMembers } from "./members";
import { createOrganizationWithAdmin, slugify } from "./organizations";

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
    const { organizationId, userId } = await createOrganizationWithAdmin(db, { organizationName: "Northwind Clinics", name: "Nora North", email, passwordHash });

    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    expect(org.name).toBe("Northwind Clinics");
    expect(org.slug).toMatch(/^northwind-clinics-[0-9a-f]{6}$/);
    const [user] = await db.select({ email: users.email, name: users.name, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
    expect(user).toEqual({ email, name: "Nora North", passwordHash });
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
    expect(await verifyAuditChain(db, scope)).toEqual({ ok: true, entries: 1 });
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

  it("refuses an email that already has an account, writing nothing", async () => {
    const existing = await createTenant(db, "Taken");
    const before = await Promise.all([organizations, users, workspaces, auditLog].map(async (t) => (await db.select({ n: count() }).from(t))[0].n));
    const error = await expectAppError(
      createOrganizationWithAdmin(db, { organizationName: "Second Try", name: "Someone Else", email: existing.adminEmail, passwordHash: await testPasswordHash() }),
      "conflict",
    );
    expect(error.fieldErrors?.email?.[0]).toMatch(/already exists/);
    const after = await Promise.all([organizations, users, workspaces, auditLog].map(async (t) => (await db.select({ n: count() }).from(t))[0].n));
    expect(after).toEqual(before);
    const [membership] = await db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.organizationId, existing.organizationId), eq(memberships.userId, existing.adminId)));
    expect(membership.role).toBe("admin");
  });
});
