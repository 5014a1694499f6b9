import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, expectAppError, testPasswordHash, uniqueEmail, type TestOrganization } from "@/test/fixtures";
import { loadScope } from "@/db/scope";
import type { Db } from "../client";
import { auditLog, invites, memberships, users, workspaceMembers, workspaces } from "../schema";
import { listAuditEntries } from "./audit";
import {
  acceptInvite,
  changeMemberRole,
  changeMemberRoles,
  createInvite,
  findInviteByToken,
  getMember,
  hashInviteToken,
  listMembers,
  listPendingInvites,
  recentActivityOf,
  recentDecisionsOf,
  revokeInvite,
  setMemberStatus,
} from "./members";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

async function sessionVersionOf(userId: string): Promise<number> {
  const [row] = await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId));
  return row.v;
}

async function membershipOf(organizationId: string, userId: string) {
  const [row] = await db
    .select({ role: memberships.role, status: memberships.status })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.userId, userId)));
  return row;
}

async function auditCount(organizationId: string): Promise<number> {
  return (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, organizationId)))[0].n;
}

async function latestAudit(tenant: TestOrganization) {
  return (await listAuditEntries(db, tenant.admin, { limit: 1 }))[0];
}

describe("listMembers", () => {
  it("lists the organization's members with their workspaces, and nothing secret", async () => {
    const tenant = await createTenant(db, "Listing");
    await addMember(db, tenant.admin, "reviewer", "Aaron Early");
    const members = await listMembers(db, tenant.admin);
    expect(members.map((m) => m.name)).toEqual(["Aaron Early", "Admin of Listing"]);
    expect(members[1]).toMatchObject({ userId: tenant.adminId, email: tenant.adminEmail, role: "admin", status: "active", workspaces: ["General"] });
    expect(members[0]).toMatchObject({ role: "reviewer", workspaces: ["General"] });
    for (const m of members) expect(Object.keys(m).sort()).toEqual(["email", "joinedAt", "name", "role", "status", "userId", "workspaces"]);
  });

  it("lists several workspaces in name order and none for a member outside them", async () => {
    const tenant = await createTenant(db, "Workspaces");
    const member = await addMember(db, tenant.admin, "reviewer");
    const [extra] = await db.insert(workspaces).values({ organizationId: tenant.organizationId, name: "Alpha" }).returning({ id: workspaces.id });
    await db.insert(workspaceMembers).values({ organizationId: tenant.organizationId, workspaceId: extra.id, userId: tenant.adminId });
    await db.delete(workspaceMembers).where(and(eq(workspaceMembers.organizationId, tenant.organizationId), eq(workspaceMembers.userId, member.userId)));
    const byId = Object.fromEntries((await listMembers(db, tenant.admin)).map((m) => [m.userId, m]));
    expect(byId[tenant.adminId].workspaces).toEqual(["Alpha", "General"]);
    expect(byId[member.userId].workspaces).toEqual([]);
  });
});

describe("changeMemberRole", () => {
  it("changes a role and audits before and after", async () => {
    const tenant = await createTenant(db, "Roles");
    const member = await addMember(db, tenant.admin, "reviewer");
    await changeMemberRole(db, tenant.admin, { userId: member.userId, role: "manager" });
    expect(await membershipOf(tenant.organizationId, member.userId)).toEqual({ role: "manager", status: "active" });
    expect(await latestAudit(tenant)).toMatchObject({
      action: "member.role_changed",
      targetType: "user",
      targetId: member.userId,
      actorUserId: tenant.adminId,
      data: { email: member.email, before: { role: "reviewer" }, after: { role: "manager" } },
    });
    // The member's session from before the change has ended; a new one gets the new role.
    expect(await loadScope(db, member.userId, 0)).toEqual({ ok: false, reason: "ended" });
    const lookup = await loadScope(db, member.userId, 1);
    expect(lookup.ok && lookup.scope.role).toBe("manager");
  });

  it("does nothing, and audits nothing, when the role is unchanged", async () => {
    const tenant = await createTenant(db, "Same role");
    const member = await addMember(db, tenant.admin, "reviewer");
    const before = await auditCount(tenant.organizationId);
    await changeMemberRole(db, tenant.admin, { userId: member.userId, role: "reviewer" });
    expect(await auditCount(tenant.organizationId)).toBe(before);
  });

  it("refuses to demote the last active admin, and allows it once a second admin exists", async () => {
    const tenant = await createTenant(db, "Last admin");
    const before = await auditCount(tenant.organizationId);
    await expectAppError(changeMemberRole(db, tenant.admin, { userId: tenant.adminId, role: "manager" }), "conflict");
    expect(await membershipOf(tenant.organizationId, tenant.adminId)).toEqual({ role: "admin", status: "active" });
    expect(await auditCount(tenant.organizationId)).toBe(before);

    const second = await addMember(db, tenant.admin, "reviewer");
    await changeMemberRole(db, tenant.admin, { userId: second.userId, role: "admin" });
    await changeMemberRole(db, tenant.admin, { userId: tenant.adminId, role: "manager" });
    expect(await membershipOf(tenant.organizationId, tenant.adminId)).toEqual({ role: "manager", status: "active" });
    // Now the second admin is the last one.
    await expectAppError(changeMemberRole(db, second.scope, { userId: second.userId, role: "reviewer" }), "conflict");
  });

  it("doesn't count a disabled admin as another admin", async () => {
    const tenant = await createTenant(db, "Disabled admin");
    const second = await addMember(db, tenant.admin, "admin");
    await setMemberStatus(db, tenant.admin, { userId: second.userId, status: "disabled" });
    await expectAppError(changeMemberRole(db, tenant.admin, { userId: tenant.adminId, role: "reviewer" }), "conflict");
  });

  it("answers not_found for an unknown user", async () => {
    const tenant = await createTenant(db, "Unknown");
    await expectAppError(changeMemberRole(db, tenant.admin, { userId: "00000000-0000-4000-8000-000000000000", role: "manager" }), "not_found");
  });
});

describe("setMemberStatus", () => {
  it("disables and re-enables a member, auditing both", async () => {
    const tenant = await createTenant(db, "Status");
    const member = await addMember(db, tenant.admin, "reviewer");
    await setMemberStatus(db, tenant.admin, { userId: member.userId, status: "disabled" });
    expect(await membershipOf(tenant.organizationId, member.userId)).toEqual({ role: "reviewer", status: "disabled" });
    expect(await loadScope(db, member.userId, 0)).toEqual({ ok: false, reason: "disabled" });
    expect(await sessionVersionOf(member.userId)).toBe(1);
    expect(await latestAudit(tenant)).toMatchObject({ action: "member.disabled", targetId: member.userId, data: { before: { status: "active" }, after: { status: "disabled" } } });

    await setMemberStatus(db, tenant.admin, { userId: member.userId, status: "active" });
    // Enabled again, the sessions from before the disabling stay ended.
    expect(await sessionVersionOf(member.userId)).toBe(1);
    expect(await loadScope(db, member.userId, 0)).toEqual({ ok: false, reason: "ended" });
    expect((await loadScope(db, member.userId, 1)).ok).toBe(true);
    expect(await latestAudit(tenant)).toMatchObject({ action: "member.enabled", targetId: member.userId, data: { before: { status: "disabled" }, after: { status: "active" } } });

    const before = await auditCount(tenant.organizationId);
    await setMemberStatus(db, tenant.admin, { userId: member.userId, status: "active" });
    expect(await auditCount(tenant.organizationId)).toBe(before);
  });

  it("refuses to disable the last active admin, and allows it once a second admin exists", async () => {
    const tenant = await createTenant(db, "Disable last");
    await expectAppError(setMemberStatus(db, tenant.admin, { userId: tenant.adminId, status: "disabled" }), "conflict");
    expect(await membershipOf(tenant.organizationId, tenant.adminId)).toEqual({ role: "admin", status: "active" });
    const second = await addMember(db, tenant.admin, "admin");
    await setMemberStatus(db, second.scope, { userId: tenant.adminId, status: "disabled" });
    expect(await membershipOf(tenant.organizationId, tenant.adminId)).toEqual({ role: "admin", status: "disabled" });
    await expectAppError(setMemberStatus(db, second.scope, { userId: second.userId, status: "disabled" }), "conflict");
  });
});

describe("invites", () => {
  it("creates an invite whose token works exactly once", async () => {
    const tenant = await createTenant(db, "Invites");
    const email = uniqueEmail("invitee");
    const { token, expiresAt } = await createInvite(db, tenant.admin, { email, role: "manager" });
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);

    // Only the hash is stored.
    const [stored] = await db.select({ tokenHash: invites.tokenHash }).from(invites).where(eq(invites.email, email));
    expect(stored.tokenHash).toBe(hashInviteToken(token));
    expect(stored.tokenHash).not.toContain(token);

    const pending = await listPendingInvites(db, tenant.admin);
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ email, role: "manager", invitedByName: "Admin of Invites" });
    expect(await latestAudit(tenant)).toMatchObject({ action: "member.invited", targetType: "invite", targetId: pending[0].id, data: { email, role: "manager" } });
    expect(await findInviteByToken(db, token)).toEqual({ organizationName: tenant.admin.organizationName, email, role: "manager", state: "open" });

    const { userId, email: joinedEmail } = await acceptInvite(db, { token, name: "New Person", passwordHash: await testPasswordHash() });
    expect(joinedEmail).toBe(email);
    expect(await membershipOf(tenant.organizationId, userId)).toEqual({ role: "manager", status: "active" });
    const lookup = await loadScope(db, userId, 0);
    expect(lookup.ok && lookup.scope).toMatchObject({ organizationId: tenant.organizationId, role: "manager", name: "New Person" });
    const [joinedUser] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
    expect(joinedUser.verifiedAt).toBeInstanceOf(Date);
    const joined = (await listMembers(db, tenant.admin)).find((m) => m.userId === userId);
    expect(joined?.workspaces).toEqual(["General"]);
    expect(await latestAudit(tenant)).toMatchObject({ action: "member.joined", actorUserId: userId, targetId: userId, data: { email, role: "manager" } });

    expect((await findInviteByToken(db, token))?.state).toBe("used");
    expect(await listPendingInvites(db, tenant.admin)).toEqual([]);
    await expectAppError(acceptInvite(db, { token, name: "Replay", passwordHash: await testPasswordHash() }), "not_found");
  });

  it("refuses an expired invite", async () => {
    const tenant = await createTenant(db, "Expired");
    const email = uniqueEmail("late");
    const { token } = await createInvite(db, tenant.admin, { email, role: "reviewer" });
    await db.update(invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invites.tokenHash, hashInviteToken(token)));
    expect((await findInviteByToken(db, token))?.state).toBe("expired");
    expect(await listPendingInvites(db, tenant.admin)).toEqual([]);
    await expectAppError(acceptInvite(db, { token, name: "Too Late", passwordHash: await testPasswordHash() }), "not_found");
    expect(await db.select({ id: users.id }).from(users).where(eq(users.email, email))).toEqual([]);
  });

  it("revokes a pending invite once, audited, and refuses the token afterwards", async () => {
    const tenant = await createTenant(db, "Revoked");
    const { token } = await createInvite(db, tenant.admin, { email: uniqueEmail("revoked"), role: "reviewer" });
    const [invite] = await listPendingInvites(db, tenant.admin);
    await revokeInvite(db, tenant.admin, { inviteId: invite.id });
    expect(await latestAudit(tenant)).toMatchObject({ action: "member.invite_revoked", targetId: invite.id });
    expect((await findInviteByToken(db, token))?.state).toBe("revoked");
    expect(await listPendingInvites(db, tenant.admin)).toEqual([]);
    await expectAppError(acceptInvite(db, { token, name: "Revoked", passwordHash: await testPasswordHash() }), "not_found");
    await expectAppError(revokeInvite(db, tenant.admin, { inviteId: invite.id }), "not_found");
  });

  it("can't revoke an invite that was already used", async () => {
    const tenant = await createTenant(db, "Used");
    const { token } = await createInvite(db, tenant.admin, { email: uniqueEmail("used"), role: "reviewer" });
    const [invite] = await listPendingInvites(db, tenant.admin);
    await acceptInvite(db, { token, name: "Quick Joiner", passwordHash: await testPasswordHash() });
    await expectAppError(revokeInvite(db, tenant.admin, { inviteId: invite.id }), "not_found");
  });

  it("knows nothing of an unknown token", async () => {
    expect(await findInviteByToken(db, "not-a-real-token-not-a-real-token")).toBeNull();
    await expectAppError(acceptInvite(db, { token: "not-a-real-token-not-a-real-token", name: "Nobody", passwordHash: "x" }), "not_found");
  });

  it("refuses to invite an email that already has a verified account, here or elsewhere", async () => {
    const tenant = await createTenant(db, "Existing");
    const other = await createTenant(db, "Elsewhere");
    const member = await addMember(db, tenant.admin, "reviewer");
    const elsewhere = await addMember(db, other.admin, "reviewer");
    const sameOrg = await expectAppError(createInvite(db, tenant.admin, { email: member.email, role: "manager" }), "conflict");
    expect(sameOrg.fieldErrors?.email?.[0]).toMatch(/already a member/);
    // The unverified founder of this organization is a member here all the same.
    await expectAppError(createInvite(db, tenant.admin, { email: tenant.adminEmail, role: "manager" }), "conflict");
    const otherOrg = await expectAppError(createInvite(db, tenant.admin, { email: elsewhere.email, role: "reviewer" }), "conflict");
    expect(otherOrg.fieldErrors?.email?.[0]).toMatch(/already has a Countersign account/);
    expect(await listPendingInvites(db, tenant.admin)).toEqual([]);
  });

  it("an unverified account yields its address to an accepted invite from another organization", async () => {
    const inviting = await createTenant(db, "Inviting");
    // Someone signed up with the address first (sign-up proves nothing about it).
    const squatter = await createTenant(db, "Squatter");
    const { token } = await createInvite(db, inviting.admin, { email: squatter.adminEmail, role: "reviewer" });
    const { userId, email } = await acceptInvite(db, { token, name: "Real Owner", passwordHash: await testPasswordHash() });
    expect(email).toBe(squatter.adminEmail);
    expect(userId).not.toBe(squatter.adminId);
    expect(await membershipOf(inviting.organizationId, userId)).toEqual({ role: "reviewer", status: "active" });

    // The unverified account keeps its organization but not the address, and its sessions have ended.
    const [yielded] = await db.select({ email: users.email, sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, squatter.adminId));
    expect(yielded).toEqual({ email: `released-${squatter.adminId}@released.invalid`, sessionVersion: 1 });
    expect(await membershipOf(squatter.organizationId, squatter.adminId)).toEqual({ role: "admin", status: "active" });
    expect(await loadScope(db, squatter.adminId, 0)).toEqual({ ok: false, reason: "ended" });
    expect(await latestAudit(squatter)).toMatchObject({ action: "member.email_released", actorUserId: null, targetId: squatter.adminId, data: { email: squatter.adminEmail } });
    // Nothing in the inviting organization's log names the other organization.
    expect((await latestAudit(inviting)).action).toBe("member.joined");
  });

  it("refuses to accept when the email got a verified account after the invite, leaving the invite open", async () => {
    const tenant = await createTenant(db, "Raced");
    const other = await createTenant(db, "Raced other");
    const email = uniqueEmail("raced");
    const { token } = await createInvite(db, tenant.admin, { email, role: "reviewer" });
    const first = await createInvite(db, other.admin, { email, role: "reviewer" });
    await acceptInvite(db, { token: first.token, name: "Joined Elsewhere", passwordHash: await testPasswordHash() });
    await expectAppError(acceptInvite(db, { token, name: "Joiner", passwordHash: await testPasswordHash() }), "conflict");
    expect((await findInviteByToken(db, token))?.state).toBe("open");
  });

  it("hashes tokens with SHA-256", () => {
    expect(hashInviteToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("changeMemberRoles (bulk)", () => {
  it("changes several roles at once with one audit entry per changed member", async () => {
    const tenant = await createTenant(db, "Bulk");
    const one = await addMember(db, tenant.admin, "reviewer");
    const two = await addMember(db, tenant.admin, "reviewer");
    const already = await addMember(db, tenant.admin, "manager");
    const before = await auditCount(tenant.organizationId);
    expect(await changeMemberRoles(db, tenant.admin, { userIds: [one.userId, two.userId, already.userId], role: "manager" })).toEqual({ changed: 2 });
    for (const m of [one, two, already]) expect((await membershipOf(tenant.organizationId, m.userId)).role).toBe("manager");
    // The changed members' sessions end; the one whose role stayed keeps hers.
    expect(await Promise.all([one, two, already].map((m) => sessionVersionOf(m.userId)))).toEqual([1, 1, 0]);
    expect(await auditCount(tenant.organizationId)).toBe(before + 2);
    const entries = await listAuditEntries(db, tenant.admin, { limit: 2 });
    expect(entries.map((e) => e.targetId).sort()).toEqual([one.userId, two.userId].sort());
    for (const e of entries) expect(e).toMatchObject({ action: "member.role_changed", data: { before: { role: "reviewer" }, after: { role: "manager" }, bulk: true } });
  });

  it("refuses, changing nothing, a selection that would leave no active admin", async () => {
    const tenant = await createTenant(db, "BulkGuard");
    const second = await addMember(db, tenant.admin, "admin");
    const reviewer = await addMember(db, tenant.admin, "reviewer");
    const before = await auditCount(tenant.organizationId);
    const error = await expectAppError(changeMemberRoles(db, tenant.admin, { userIds: [tenant.adminId, second.userId, reviewer.userId], role: "manager" }), "conflict");
    expect(error.message).toMatch(/without an active admin/);
    expect((await membershipOf(tenant.organizationId, tenant.adminId)).role).toBe("admin");
    expect((await membershipOf(tenant.organizationId, second.userId)).role).toBe("admin");
    expect((await membershipOf(tenant.organizationId, reviewer.userId)).role).toBe("reviewer");
    expect(await auditCount(tenant.organizationId)).toBe(before);

    // One of the two admins may go; a disabled admin doesn't count as the one left.
    await changeMemberRoles(db, tenant.admin, { userIds: [second.userId, reviewer.userId], role: "manager" });
    expect((await membershipOf(tenant.organizationId, second.userId)).role).toBe("manager");
    const third = await addMember(db, tenant.admin, "admin");
    await setMemberStatus(db, tenant.admin, { userId: third.userId, status: "disabled" });
    await expectAppError(changeMemberRoles(db, tenant.admin, { userIds: [tenant.adminId], role: "reviewer" }), "conflict");
    expect((await membershipOf(tenant.organizationId, tenant.adminId)).role).toBe("admin");
  });

  it("refuses the whole selection when one id is unknown", async () => {
    const tenant = await createTenant(db, "BulkUnknown");
    const member = await addMember(db, tenant.admin, "reviewer");
    await expectAppError(changeMemberRoles(db, tenant.admin, { userIds: [member.userId, crypto.randomUUID()], role: "manager" }), "not_found");
    expect((await membershipOf(tenant.organizationId, member.userId)).role).toBe("reviewer");
  });
});

describe("member profile", () => {
  it("shows a member and their latest activity, newest first", async () => {
    const tenant = await createTenant(db, "Profile");
    const manager = await addMember(db, tenant.admin, "manager", "Mia Manager");
    expect(await getMember(db, tenant.admin, manager.userId)).toMatchObject({ userId: manager.userId, name: "Mia Manager", email: manager.email, role: "manager", status: "active" });
    await createInvite(db, manager.scope, { email: uniqueEmail("by-manager"), role: "reviewer" });
    const activity = await recentActivityOf(db, tenant.admin, manager.userId);
    expect(activity.map((a) => a.action)).toEqual(["member.invited", "member.joined"]);
    expect(await recentDecisionsOf(db, tenant.admin, manager.userId)).toEqual([]);
    expect(await getMember(db, tenant.admin, crypto.randomUUID())).toBeNull();
  });
});

describe("tenancy: tenant B can't read or change tenant A", () => {
  let a: TestOrganization;
  let b: TestOrganization;
  let aMember: Awaited<ReturnType<typeof addMember>>;
  let aInviteId: string;
  let aInviteToken: string;

  beforeAll(async () => {
    a = await createTenant(db, "Tenant A");
    b = await createTenant(db, "Tenant B");
    aMember = await addMember(db, a.admin, "reviewer");
    ({ token: aInviteToken } = await createInvite(db, a.admin, { email: uniqueEmail("a-invitee"), role: "manager" }));
    aInviteId = (await listPendingInvites(db, a.admin))[0].id;
  });

  async function snapshotA() {
    return {
      memberships: await db.select().from(memberships).where(eq(memberships.organizationId, a.organizationId)).orderBy(asc(memberships.userId)),
      invites: await db.select().from(invites).where(eq(invites.organizationId, a.organizationId)).orderBy(asc(invites.id)),
      audit: await auditCount(a.organizationId),
      auditB: await auditCount(b.organizationId),
    };
  }

  it("B's member list holds only B's people", async () => {
    const seen = await listMembers(db, b.admin);
    expect(seen.map((m) => m.userId)).toEqual([b.adminId]);
  });

  it("B's pending invites hold none of A's", async () => {
    expect(await listPendingInvites(db, b.admin)).toEqual([]);
  });

  it("B's audit log holds none of A's entries", async () => {
    const seen = await listAuditEntries(db, b.admin, { limit: 200 });
    expect(seen.every((e) => e.targetId !== a.organizationId && e.targetId !== aMember.userId && e.targetId !== aInviteId)).toBe(true);
    expect(seen.map((e) => e.action)).toEqual(["organization.created"]);
  });

  it("B can't change the role of A's members", async () => {
    const before = await snapshotA();
    await expectAppError(changeMemberRole(db, b.admin, { userId: a.adminId, role: "reviewer" }), "not_found");
    await expectAppError(changeMemberRole(db, b.admin, { userId: aMember.userId, role: "admin" }), "not_found");
    expect(await snapshotA()).toEqual(before);
  });

  it("B can't disable A's members", async () => {
    const before = await snapshotA();
    await expectAppError(setMemberStatus(db, b.admin, { userId: aMember.userId, status: "disabled" }), "not_found");
    await expectAppError(setMemberStatus(db, b.admin, { userId: a.adminId, status: "disabled" }), "not_found");
    expect(await snapshotA()).toEqual(before);
  });

  it("B can't revoke A's invite", async () => {
    const before = await snapshotA();
    await expectAppError(revokeInvite(db, b.admin, { inviteId: aInviteId }), "not_found");
    expect(await snapshotA()).toEqual(before);
    expect((await findInviteByToken(db, aInviteToken))?.state).toBe("open");
  });

  it("B can't pull A's member into B by inviting them", async () => {
    const before = await snapshotA();
    await expectAppError(createInvite(db, b.admin, { email: aMember.email, role: "admin" }), "conflict");
    expect(await snapshotA()).toEqual(before);
    const [{ n }] = await db.select({ n: count() }).from(invites).where(eq(invites.organizationId, b.organizationId));
    expect(n).toBe(0);
  });

  it("B can't change A's roles in bulk, nor mix A's members into a B selection", async () => {
    const before = await snapshotA();
    await expectAppError(changeMemberRoles(db, b.admin, { userIds: [aMember.userId], role: "admin" }), "not_found");
    await expectAppError(changeMemberRoles(db, b.admin, { userIds: [b.adminId, a.adminId], role: "admin" }), "not_found");
    expect(await snapshotA()).toEqual(before);
  });

  it("B can't read A's member, activity or decisions", async () => {
    expect(await getMember(db, b.admin, aMember.userId)).toBeNull();
    expect(await recentActivityOf(db, b.admin, a.adminId)).toEqual([]);
    expect(await recentDecisionsOf(db, b.admin, aMember.userId)).toEqual([]);
    expect((await recentActivityOf(db, a.admin, a.adminId)).length).toBeGreaterThan(0);
  });

  it("A's invite, accepted, joins A and never B", async () => {
    const { userId } = await acceptInvite(db, { token: aInviteToken, name: "A Joiner", passwordHash: await testPasswordHash() });
    const rows = await db.select({ organizationId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, userId));
    expect(rows).toEqual([{ organizationId: a.organizationId }]);
    expect((await listMembers(db, b.admin)).map((m) => m.userId)).toEqual([b.adminId]);
    const joinedWorkspaces = await db
      .select({ organizationId: workspaces.organizationId, name: workspaces.name })
      .from(workspaceMembers)
      .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
      .where(eq(workspaceMembers.userId, userId));
    expect(joinedWorkspaces).toEqual([{ organizationId: a.organizationId, name: "General" }]);
  });
});
