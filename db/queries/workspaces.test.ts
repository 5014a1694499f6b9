import { and, count, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type World } from "@/test/queue/world";
import { expectAppError } from "@/test/fixtures";
import { DecisionInput } from "@/lib/validation/queue";
import { CreateWorkspaceInput } from "@/lib/validation/workspaces";
import type { Db } from "../client";
import { auditLog, taskTypes, workspaceMembers, workspaces } from "../schema";
import { decideReview } from "./decisions";
import { listMembers, recentDecisionsOf } from "./members";
import { claimItem, queueFacets } from "./queue";
import {
  addWorkspaceMember,
  createWorkspace,
  getWorkspace,
  listOpenWorkspaces,
  listWorkspaces,
  memberWorkspaces,
  removeWorkspaceMember,
  renameWorkspace,
  setMemberWorkspaces,
  setWorkspaceArchived,
} from "./workspaces";

let db: Db;
let dispose: () => Promise<void>;
let world: World;
let other: World;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Spaces", ["Clinical", "Support"]);
  other = await createWorld(db, "Elsewhere", ["Foreign"]);
});
afterAll(async () => dispose?.());

async function auditFor(organizationId: string, targetId: string) {
  return db
    .select({ action: auditLog.action, actorUserId: auditLog.actorUserId, data: auditLog.data })
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.targetId, targetId)))
    .orderBy(desc(auditLog.id));
}

async function auditCount(organizationId: string): Promise<number> {
  return (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, organizationId)))[0].n;
}

async function workspaceRow(id: string) {
  const [row] = await db.select({ name: workspaces.name, archivedAt: workspaces.archivedAt }).from(workspaces).where(eq(workspaces.id, id));
  return row;
}

async function membersOf(organizationId: string, workspaceId: string): Promise<string[]> {
  const rows = await db
    .select({ userId: workspaceMembers.userId })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.organizationId, organizationId), eq(workspaceMembers.workspaceId, workspaceId)));
  return rows.map((r) => r.userId).sort();
}

describe("createWorkspace", () => {
  it("creates a workspace and audits it", async () => {
    const { id } = await createWorkspace(db, world.admin, { name: "Claims" });
    expect(await workspaceRow(id)).toEqual({ name: "Claims", archivedAt: null });
    expect(await auditFor(world.organizationId, id)).toEqual([{ action: "workspace.created", actorUserId: world.adminId, data: { name: "Claims" } }]);
  });

  it("refuses a name already used in the organization, whatever its case, as a field error", async () => {
    const before = await auditCount(world.organizationId);
    for (const name of ["Clinical", "clinical", "CLINICAL"]) {
      const error = await expectAppError(createWorkspace(db, world.admin, { name }), "conflict");
      expect(error.fieldErrors?.name?.[0]).toMatch(/already has this name/);
    }
    expect(await auditCount(world.organizationId)).toBe(before);
  });

  it("allows the same name in another organization", async () => {
    const { id } = await createWorkspace(db, other.admin, { name: "Clinical" });
    expect((await workspaceRow(id)).name).toBe("Clinical");
  });

  it("validates names: trimmed, whitespace collapsed, 2 to 60 characters, no control characters", () => {
    expect(CreateWorkspaceInput.parse({ name: "  Customer   operations " }).name).toBe("Customer operations");
    for (const name of ["", " ", "a", "x".repeat(61), "Bad\u0000name", "Bad\u200bname"]) {
      expect(CreateWorkspaceInput.safeParse({ name }).success, JSON.stringify(name)).toBe(false);
    }
  });
});

describe("renameWorkspace", () => {
  it("renames with a before/after audit entry", async () => {
    const { id } = await createWorkspace(db, world.admin, { name: "Old name" });
    await renameWorkspace(db, world.admin, { workspaceId: id, name: "New name" });
    expect((await workspaceRow(id)).name).toBe("New name");
    expect((await auditFor(world.organizationId, id))[0]).toMatchObject({ action: "workspace.renamed", data: { before: { name: "Old name" }, after: { name: "New name" } } });
  });

  it("allows changing only the case of its own name, but not taking another's", async () => {
    const { id } = await createWorkspace(db, world.admin, { name: "casing" });
    await renameWorkspace(db, world.admin, { workspaceId: id, name: "Casing" });
    expect((await workspaceRow(id)).name).toBe("Casing");
    const error = await expectAppError(renameWorkspace(db, world.admin, { workspaceId: id, name: "support" }), "conflict");
    expect(error.fieldErrors?.name).toBeDefined();
    expect((await workspaceRow(id)).name).toBe("Casing");
  });
});

describe("setWorkspaceArchived", () => {
  it("never archives the default workspace", async () => {
    const [general] = await db.select({ id: workspaces.id }).from(workspaces).where(and(eq(workspaces.organizationId, world.organizationId), eq(workspaces.isDefault, true)));
    const error = await expectAppError(setWorkspaceArchived(db, world.admin, { workspaceId: general.id, archived: true }), "conflict");
    expect(error.message).toMatch(/default workspace/);
    expect((await workspaceRow(general.id)).archivedAt).toBeNull();
  });

  it("refuses while task types belong to it, then archives once they moved, hiding it from pickers and queue tabs", async () => {
    const { id } = await createWorkspace(db, world.admin, { name: "Retiring" });
    world.spaces.Retiring = id;
    const type = await createTaskType(db, world, { key: "retiring.task", space: "Retiring" });
    const error = await expectAppError(setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: true }), "conflict");
    expect(error.message).toMatch(/still has 1 task type\b/);
    expect((await workspaceRow(id)).archivedAt).toBeNull();

    await db.update(taskTypes).set({ workspaceId: world.spaces.Support }).where(eq(taskTypes.id, type.id));
    await setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: true });
    expect((await workspaceRow(id)).archivedAt).toBeInstanceOf(Date);
    expect((await auditFor(world.organizationId, id))[0]).toMatchObject({ action: "workspace.archived", data: { name: "Retiring", before: { archivedAt: null } } });

    expect((await listOpenWorkspaces(db, world.admin)).map((w) => w.id)).not.toContain(id);
    expect((await queueFacets(db, world.admin)).workspaces.map((w) => w.id)).not.toContain(id);
    const listed = await listWorkspaces(db, world.admin);
    expect(listed.at(-1)).toMatchObject({ id, archivedAt: expect.any(Date) });

    await setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: false });
    expect((await workspaceRow(id)).archivedAt).toBeNull();
    expect((await auditFor(world.organizationId, id))[0]).toMatchObject({ action: "workspace.restored", data: { after: { archivedAt: null } } });
  });

  it("refuses while items wait for a person in it, even after their task type moved", async () => {
    const { id } = await createWorkspace(db, world.admin, { name: "Busy" });
    world.spaces.Busy = id;
    const type = await createTaskType(db, world, { key: "busy.task", space: "Busy", mode: "approve_before_action" });
    const rita = await member(db, world, "reviewer", ["Busy"], "Rita Busy");
    const item = await submit(db, world, { taskType: "busy.task", title: "Waiting", action: { a: 1 } });
    await db.update(taskTypes).set({ workspaceId: world.spaces.Support }).where(eq(taskTypes.id, type.id));

    const error = await expectAppError(setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: true }), "conflict");
    expect(error.message).toMatch(/1 item waiting/);
    expect((await listWorkspaces(db, world.admin)).find((w) => w.id === id)).toMatchObject({ taskTypes: 0, members: 1, waiting: 1 });

    const claim = (await claimItem(db, rita.scope, item.id, { leaseMinutes: 10 }))!;
    await decideReview(db, rita.scope, DecisionInput.parse({ outcome: "approved", reviewId: item.id, version: claim.version, timeOnItemMs: 1000 }));
    await setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: true });
    expect((await workspaceRow(id)).archivedAt).toBeInstanceOf(Date);

    // Her membership stays (for restoring), but the member list and her page's form leave the archived workspace out.
    expect((await listMembers(db, world.admin)).find((m) => m.userId === rita.userId)?.workspaces).toEqual([]);
    expect(await memberWorkspaces(db, world.admin, rita.userId)).toContainEqual(expect.objectContaining({ id, archived: true, member: true }));

    // The decision shows on Rita's member page, to her own organization's admin only.
    expect(await recentDecisionsOf(db, world.admin, rita.userId)).toEqual([
      expect.objectContaining({ reviewId: item.id, title: "Waiting", outcome: "approved", final: true, taskType: { key: "busy.task", name: "busy.task" } }),
    ]);
    expect(await recentDecisionsOf(db, other.admin, rita.userId)).toEqual([]);
  });
});

describe("workspace members", () => {
  it("adds and removes an active member, with audit entries", async () => {
    const sam = await member(db, world, "reviewer", [], "Sam Support");
    expect((await getWorkspace(db, world.admin, world.spaces.Support))!.candidates.map((c) => c.userId)).toContain(sam.userId);

    expect(await addWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Support, userId: sam.userId })).toEqual({ added: true });
    expect(await membersOf(world.organizationId, world.spaces.Support)).toContain(sam.userId);
    expect((await auditFor(world.organizationId, world.spaces.Support))[0]).toMatchObject({ action: "workspace.member_added", data: { userId: sam.userId, email: sam.email } });
    const detail = (await getWorkspace(db, world.admin, world.spaces.Support))!;
    expect(detail.members.map((m) => m.userId)).toContain(sam.userId);
    expect(detail.candidates.map((c) => c.userId)).not.toContain(sam.userId);
    expect((await queueFacets(db, sam.scope)).workspaces.map((w) => w.id)).toEqual([world.spaces.Support]);

    // Adding twice changes nothing and records nothing.
    const before = await auditCount(world.organizationId);
    expect(await addWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Support, userId: sam.userId })).toEqual({ added: false });
    expect(await auditCount(world.organizationId)).toBe(before);

    await removeWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Support, userId: sam.userId });
    expect(await membersOf(world.organizationId, world.spaces.Support)).not.toContain(sam.userId);
    expect((await auditFor(world.organizationId, world.spaces.Support))[0]).toMatchObject({ action: "workspace.member_removed", data: { userId: sam.userId } });
    await expectAppError(removeWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Support, userId: sam.userId }), "not_found");
  });

  it("refuses a disabled member, and adding anyone to an archived workspace", async () => {
    const dana = await member(db, world, "reviewer", [], "Dana Disabled");
    const { setMemberStatus } = await import("./members");
    await setMemberStatus(db, world.admin, { userId: dana.userId, status: "disabled" });
    await expectAppError(addWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Clinical, userId: dana.userId }), "conflict");
    expect((await getWorkspace(db, world.admin, world.spaces.Clinical))!.candidates.map((c) => c.userId)).not.toContain(dana.userId);

    const { id } = await createWorkspace(db, world.admin, { name: "Shelved" });
    await setWorkspaceArchived(db, world.admin, { workspaceId: id, archived: true });
    const active = await member(db, world, "reviewer", []);
    const error = await expectAppError(addWorkspaceMember(db, world.admin, { workspaceId: id, userId: active.userId }), "conflict");
    expect(error.message).toMatch(/archived/);
    expect(await membersOf(world.organizationId, id)).toEqual([]);
  });

  it("sets a member's workspaces in one go, with one before/after audit entry", async () => {
    const lee = await member(db, world, "reviewer", ["Clinical"], "Lee Both");
    await setMemberWorkspaces(db, world.admin, { userId: lee.userId, workspaceIds: [world.spaces.Support] });
    const spaces = await memberWorkspaces(db, world.admin, lee.userId);
    expect(spaces.filter((w) => w.member).map((w) => w.name)).toEqual(["Support"]);
    expect(spaces.every((w) => !w.archived)).toBe(true);
    expect((await auditFor(world.organizationId, lee.userId))[0]).toMatchObject({
      action: "member.workspaces_changed",
      data: { email: lee.email, before: { workspaces: ["Clinical"] }, after: { workspaces: ["Support"] } },
    });
    const before = await auditCount(world.organizationId);
    expect(await setMemberWorkspaces(db, world.admin, { userId: lee.userId, workspaceIds: [world.spaces.Support] })).toEqual({ changed: false });
    expect(await auditCount(world.organizationId)).toBe(before);
  });

  it("lists workspaces with their counts, open ones first and the default on top", async () => {
    const list = await listWorkspaces(db, world.admin);
    expect(list[0]).toMatchObject({ name: "General", isDefault: true });
    const open = list.filter((w) => !w.archivedAt);
    expect(open.slice(1).map((w) => w.name)).toEqual([...open.slice(1).map((w) => w.name)].sort((a, b) => a.localeCompare(b)));
    const support = list.find((w) => w.id === world.spaces.Support)!;
    expect(support.taskTypes).toBe(2);
  });
});

describe("another organization's ids", () => {
  it("answers not found for its workspaces and members, and changes nothing", async () => {
    const foreignSpace = other.spaces.Foreign;
    const foreigner = await member(db, other, "reviewer", ["Foreign"]);
    const local = await member(db, world, "reviewer", []);
    const before = { mine: await auditCount(world.organizationId), theirs: await auditCount(other.organizationId) };

    expect(await getWorkspace(db, world.admin, foreignSpace)).toBeNull();
    await expectAppError(renameWorkspace(db, world.admin, { workspaceId: foreignSpace, name: "Hijacked" }), "not_found");
    await expectAppError(setWorkspaceArchived(db, world.admin, { workspaceId: foreignSpace, archived: true }), "not_found");
    await expectAppError(addWorkspaceMember(db, world.admin, { workspaceId: foreignSpace, userId: local.userId }), "not_found");
    await expectAppError(removeWorkspaceMember(db, world.admin, { workspaceId: foreignSpace, userId: foreigner.userId }), "not_found");
    // Their member into our workspace, and our member into theirs via the per-member form.
    await expectAppError(addWorkspaceMember(db, world.admin, { workspaceId: world.spaces.Clinical, userId: foreigner.userId }), "not_found");
    await expectAppError(setMemberWorkspaces(db, world.admin, { userId: foreigner.userId, workspaceIds: [] }), "not_found");
    await expectAppError(setMemberWorkspaces(db, world.admin, { userId: local.userId, workspaceIds: [foreignSpace] }), "not_found");

    expect(await workspaceRow(foreignSpace)).toEqual({ name: "Foreign", archivedAt: null });
    expect(await membersOf(other.organizationId, foreignSpace)).toEqual([foreigner.userId]);
    expect(await membersOf(world.organizationId, world.spaces.Clinical)).not.toContain(foreigner.userId);
    expect(await membersOf(world.organizationId, foreignSpace)).toEqual([]);
    expect(await auditCount(world.organizationId)).toBe(before.mine);
    expect(await auditCount(other.organizationId)).toBe(before.theirs);
    expect((await listWorkspaces(db, world.admin)).map((w) => w.id)).not.toContain(foreignSpace);
  });
});
