import "server-only";
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Role } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import type { Executor, Tx } from "../client";
import { isUniqueViolation } from "../errors";
import { memberships, reviews, taskTypes, users, workspaceMembers, workspaces, type Review } from "../schema";
import { appendAudit } from "./audit";
import { inQueue } from "./queue";

/*
 * What archiving means: an archived workspace is closed for new work. It is hidden from the queue's
 * workspace tabs, from analytics filters and from workspace pickers, and nothing can be moved into it.
 * So that no item or agent is stranded, it can only be archived once no task type belongs to it and no
 * item in it waits for a person (move the task types first; let the waiting items be decided). The
 * default workspace, where new task types register themselves, can never be archived. Its members stay
 * members, so its decided items stay readable to them, and restoring it brings everything back.
 */

// Drizzle leaves a column unqualified in a one-table select, so a correlated subquery must name the
// outer row explicitly or "id" would bind to the inner table's own column.
const outerWorkspaceId = sql`${sql.identifier("workspaces")}.${sql.identifier("id")}`;

const NAME_TAKEN = "Another workspace in your organization already has this name.";
const nameTaken = () => new AppError("conflict", NAME_TAKEN, { fieldErrors: { name: [NAME_TAKEN] } });

export type WorkspaceSummary = {
  id: string;
  name: string;
  isDefault: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  taskTypes: number;
  members: number;
  waiting: number;
};

/** Every workspace of the organization with its counts: open ones first (the default on top), then archived. */
export async function listWorkspaces(db: Executor, scope: Scope): Promise<WorkspaceSummary[]> {
  const org = scope.organizationId;
  return db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      isDefault: workspaces.isDefault,
      archivedAt: workspaces.archivedAt,
      createdAt: workspaces.createdAt,
      taskTypes: sql<number>`(select count(*)::int from ${taskTypes} where ${taskTypes.organizationId} = ${org} and ${taskTypes.workspaceId} = ${outerWorkspaceId})`,
      members: sql<number>`(select count(*)::int from ${workspaceMembers} where ${workspaceMembers.organizationId} = ${org} and ${workspaceMembers.workspaceId} = ${outerWorkspaceId})`,
      waiting: sql<number>`(select count(*)::int from ${reviews} where ${reviews.organizationId} = ${org} and ${reviews.workspaceId} = ${outerWorkspaceId} and ${inQueue})`,
    })
    .from(workspaces)
    .where(eq(workspaces.organizationId, org))
    .orderBy(sql`${workspaces.archivedAt} is not null`, sql`${workspaces.isDefault} desc`, asc(workspaces.name));
}

/** The organization's open workspaces, for pickers. */
export async function listOpenWorkspaces(db: Executor, scope: Scope): Promise<{ id: string; name: string; isDefault: boolean }[]> {
  return db
    .select({ id: workspaces.id, name: workspaces.name, isDefault: workspaces.isDefault })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), isNull(workspaces.archivedAt)))
    .orderBy(asc(workspaces.name));
}

export type WorkspaceDetail = {
  id: string;
  name: string;
  isDefault: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  waiting: number;
  taskTypes: { key: string; name: string; mode: Review["mode"]; classified: boolean }[];
  members: { userId: string; name: string; email: string; role: Role; status: "active" | "disabled"; addedAt: Date }[];
  /** Active members of the organization who aren't in it yet. */
  candidates: { userId: string; name: string; email: string; role: Role }[];
};

/** One workspace with its task types and members; null for an unknown id or another organization's. */
export async function getWorkspace(db: Executor, scope: Scope, workspaceId: string): Promise<WorkspaceDetail | null> {
  const org = scope.organizationId;
  const [row] = await db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      isDefault: workspaces.isDefault,
      archivedAt: workspaces.archivedAt,
      createdAt: workspaces.createdAt,
      waiting: sql<number>`(select count(*)::int from ${reviews} where ${reviews.organizationId} = ${org} and ${reviews.workspaceId} = ${outerWorkspaceId} and ${inQueue})`,
    })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, org), eq(workspaces.id, workspaceId)));
  if (!row) return null;
  const [types, members, candidates] = await Promise.all([
    db
      .select({ key: taskTypes.key, name: taskTypes.name, mode: taskTypes.mode, classified: taskTypes.classified })
      .from(taskTypes)
      .where(and(eq(taskTypes.organizationId, org), eq(taskTypes.workspaceId, workspaceId)))
      .orderBy(asc(taskTypes.name), asc(taskTypes.key)),
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, status: memberships.status, addedAt: workspaceMembers.createdAt })
      .from(workspaceMembers)
      .innerJoin(memberships, and(eq(memberships.organizationId, workspaceMembers.organizationId), eq(memberships.userId, workspaceMembers.userId)))
      .innerJoin(users, eq(users.id, workspaceMembers.userId))
      .where(and(eq(workspaceMembers.organizationId, org), eq(workspaceMembers.workspaceId, workspaceId)))
      .orderBy(asc(users.name)),
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.organizationId, org),
          eq(memberships.status, "active"),
          sql`not exists (select 1 from ${workspaceMembers} where ${workspaceMembers.organizationId} = ${org} and ${workspaceMembers.workspaceId} = ${workspaceId} and ${workspaceMembers.userId} = ${memberships.userId})`,
        ),
      )
      .orderBy(asc(users.name)),
  ]);
  return { ...row, taskTypes: types, members, candidates };
}

/** Serialises name checks per organization, so "Ops" and "ops" can't be created at the same moment. */
async function lockNames(tx: Tx, scope: Scope) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${"workspace-names:" + scope.organizationId}, 0))`);
}

/** Names are unique per organization regardless of case: two workspaces called "Ops" and "ops" would confuse everyone. */
async function assertNameFree(tx: Tx, scope: Scope, name: string, exceptId?: string) {
  const [clash] = await tx
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), sql`lower(${workspaces.name}) = lower(${name})`, exceptId ? ne(workspaces.id, exceptId) : undefined));
  if (clash) throw nameTaken();
}

export async function createWorkspace(db: Executor, scope: Scope, params: { name: string }): Promise<{ id: string }> {
  try {
    return await db.transaction(async (tx) => {
      await lockNames(tx, scope);
      await assertNameFree(tx, scope, params.name);
      const [row] = await tx.insert(workspaces).values({ organizationId: scope.organizationId, name: params.name }).returning({ id: workspaces.id });
      await appendAudit(tx, {
        organizationId: scope.organizationId,
        actorUserId: scope.userId,
        action: "workspace.created",
        targetType: "workspace",
        targetId: row.id,
        data: { name: params.name },
      });
      return row;
    });
  } catch (e) {
    if (isUniqueViolation(e, "workspaces_org_name_key")) throw nameTaken();
    throw e;
  }
}

/**
 * Locks a workspace of the scope's organization for a change; another organization's id is not found.
 * `open` also refuses an archived one. (The task-type editor share-locks the workspace it moves a type
 * into, so an archive waits for the move and then counts it.)
 */
async function lockWorkspace(tx: Tx, scope: Scope, workspaceId: string, options: { open?: boolean } = {}) {
  const [row] = await tx
    .select({ id: workspaces.id, name: workspaces.name, isDefault: workspaces.isDefault, archivedAt: workspaces.archivedAt })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), eq(workspaces.id, workspaceId)))
    .for("update");
  if (!row) throw new AppError("not_found", "No such workspace in this organization.");
  if (options.open && row.archivedAt) throw new AppError("conflict", `“${row.name}” is archived. Restore it first.`);
  return row;
}

export async function renameWorkspace(db: Executor, scope: Scope, params: { workspaceId: string; name: string }): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await lockNames(tx, scope);
      const before = await lockWorkspace(tx, scope, params.workspaceId);
      if (before.name === params.name) return;
      await assertNameFree(tx, scope, params.name, params.workspaceId);
      await tx
        .update(workspaces)
        .set({ name: params.name })
        .where(and(eq(workspaces.organizationId, scope.organizationId), eq(workspaces.id, params.workspaceId)));
      await appendAudit(tx, {
        organizationId: scope.organizationId,
        actorUserId: scope.userId,
        action: "workspace.renamed",
        targetType: "workspace",
        targetId: params.workspaceId,
        data: { before: { name: before.name }, after: { name: params.name } },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e, "workspaces_org_name_key")) throw nameTaken();
    throw e;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Archives or restores a workspace; see the note at the top of this file for what archiving means. */
export async function setWorkspaceArchived(db: Executor, scope: Scope, params: { workspaceId: string; archived: boolean }): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await lockWorkspace(tx, scope, params.workspaceId);
    if (Boolean(before.archivedAt) === params.archived) return;
    if (params.archived) {
      if (before.isDefault) {
        throw new AppError("conflict", "The default workspace can't be archived: new task types register themselves in it.");
      }
      const [{ types }] = await tx
        .select({ types: sql<number>`count(*)::int` })
        .from(taskTypes)
        .where(and(eq(taskTypes.organizationId, scope.organizationId), eq(taskTypes.workspaceId, params.workspaceId)));
      const [{ waiting }] = await tx
        .select({ waiting: sql<number>`count(*)::int` })
        .from(reviews)
        .where(and(eq(reviews.organizationId, scope.organizationId), eq(reviews.workspaceId, params.workspaceId), inQueue));
      if (types > 0) {
        throw new AppError(
          "conflict",
          `“${before.name}” still has ${plural(types, "task type")}. Move ${types === 1 ? "it" : "them"} to another workspace first (on the task type's page).`,
        );
      }
      if (waiting > 0) {
        throw new AppError("conflict", `“${before.name}” still has ${plural(waiting, "item")} waiting for a person. Archive it once ${waiting === 1 ? "it is" : "they are"} decided.`);
      }
    }
    const archivedAt = params.archived ? new Date() : null;
    await tx
      .update(workspaces)
      .set({ archivedAt })
      .where(and(eq(workspaces.organizationId, scope.organizationId), eq(workspaces.id, params.workspaceId)));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: params.archived ? "workspace.archived" : "workspace.restored",
      targetType: "workspace",
      targetId: params.workspaceId,
      data: {
        name: before.name,
        before: { archivedAt: before.archivedAt?.toISOString() ?? null },
        after: { archivedAt: archivedAt?.toISOString() ?? null },
      },
    });
  });
}

/** The org member, locked; a user of another organization (or none) is not found. */
async function lockOrgMember(tx: Tx, scope: Scope, userId: string) {
  const [member] = await tx
    .select({ email: users.email, name: users.name, status: memberships.status })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.userId, userId)))
    .for("share", { of: memberships });
  if (!member) throw new AppError("not_found", "No such member in this organization.");
  return member;
}

export async function addWorkspaceMember(db: Executor, scope: Scope, params: { workspaceId: string; userId: string }): Promise<{ added: boolean }> {
  return db.transaction(async (tx) => {
    const workspace = await lockWorkspace(tx, scope, params.workspaceId, { open: true });
    const member = await lockOrgMember(tx, scope, params.userId);
    if (member.status !== "active") throw new AppError("conflict", `${member.name} is disabled. Enable them before adding them to a workspace.`);
    const inserted = await tx
      .insert(workspaceMembers)
      .values({ organizationId: scope.organizationId, workspaceId: params.workspaceId, userId: params.userId })
      .onConflictDoNothing()
      .returning({ userId: workspaceMembers.userId });
    if (inserted.length === 0) return { added: false };
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "workspace.member_added",
      targetType: "workspace",
      targetId: params.workspaceId,
      data: { workspace: workspace.name, userId: params.userId, email: member.email },
    });
    return { added: true };
  });
}

export async function removeWorkspaceMember(db: Executor, scope: Scope, params: { workspaceId: string; userId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const workspace = await lockWorkspace(tx, scope, params.workspaceId);
    const member = await lockOrgMember(tx, scope, params.userId);
    const removed = await tx
      .delete(workspaceMembers)
      .where(
        and(
          eq(workspaceMembers.organizationId, scope.organizationId),
          eq(workspaceMembers.workspaceId, params.workspaceId),
          eq(workspaceMembers.userId, params.userId),
        ),
      )
      .returning({ userId: workspaceMembers.userId });
    if (removed.length === 0) throw new AppError("not_found", `${member.name} isn't a member of “${workspace.name}”.`);
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "workspace.member_removed",
      targetType: "workspace",
      targetId: params.workspaceId,
      data: { workspace: workspace.name, userId: params.userId, email: member.email },
    });
  });
}

export type MemberWorkspace = { id: string; name: string; isDefault: boolean; archived: boolean; member: boolean };

/** The open workspaces, each marked whether the user belongs, plus archived ones they still belong to. */
export async function memberWorkspaces(db: Executor, scope: Scope, userId: string): Promise<MemberWorkspace[]> {
  const org = scope.organizationId;
  const rows = await db
    .select({
      id: workspaces.id,
      name: workspaces.name,
      isDefault: workspaces.isDefault,
      archived: sql<boolean>`${workspaces.archivedAt} is not null`,
      member: sql<boolean>`exists (select 1 from ${workspaceMembers} where ${workspaceMembers.organizationId} = ${org} and ${workspaceMembers.workspaceId} = ${outerWorkspaceId} and ${workspaceMembers.userId} = ${userId})`,
    })
    .from(workspaces)
    .where(eq(workspaces.organizationId, org))
    .orderBy(sql`${workspaces.archivedAt} is not null`, asc(workspaces.name));
  return rows.filter((w) => !w.archived || w.member);
}

/**
 * Sets which open workspaces a member belongs to, in one transaction with one audit entry (before and
 * after, by name). Archived memberships are kept as they are; an archived or unknown id is refused.
 */
export async function setMemberWorkspaces(db: Executor, scope: Scope, params: { userId: string; workspaceIds: string[] }): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const member = await lockOrgMember(tx, scope, params.userId);
    const open = await tx
      .select({ id: workspaces.id, name: workspaces.name })
      .from(workspaces)
      .where(and(eq(workspaces.organizationId, scope.organizationId), isNull(workspaces.archivedAt)))
      .orderBy(asc(workspaces.name))
      .for("share");
    const openIds = new Set(open.map((w) => w.id));
    if (params.workspaceIds.some((id) => !openIds.has(id))) throw new AppError("not_found", "One of those workspaces doesn't exist or is archived. Reload and try again.");
    const current = await tx
      .select({ workspaceId: workspaceMembers.workspaceId })
      .from(workspaceMembers)
      .where(and(eq(workspaceMembers.organizationId, scope.organizationId), eq(workspaceMembers.userId, params.userId)));
    const had = new Set(current.map((c) => c.workspaceId).filter((id) => openIds.has(id)));
    const want = new Set(params.workspaceIds);
    const adding = [...want].filter((id) => !had.has(id));
    const removing = [...had].filter((id) => !want.has(id));
    if (adding.length === 0 && removing.length === 0) return { changed: false };
    if (adding.length > 0 && member.status !== "active") throw new AppError("conflict", `${member.name} is disabled. Enable them before adding them to a workspace.`);
    if (removing.length > 0) {
      await tx
        .delete(workspaceMembers)
        .where(and(eq(workspaceMembers.organizationId, scope.organizationId), eq(workspaceMembers.userId, params.userId), inArray(workspaceMembers.workspaceId, removing)));
    }
    if (adding.length > 0) {
      await tx.insert(workspaceMembers).values(adding.map((workspaceId) => ({ organizationId: scope.organizationId, workspaceId, userId: params.userId })));
    }
    const names = (ids: Set<string>) => open.filter((w) => ids.has(w.id)).map((w) => w.name);
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "member.workspaces_changed",
      targetType: "user",
      targetId: params.userId,
      data: { email: member.email, before: { workspaces: names(had) }, after: { workspaces: names(want) } },
    });
    return { changed: true };
  });
}
