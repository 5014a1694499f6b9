import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { Role } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { sha256Hex } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import type { Executor, Tx } from "../client";
import { auditLog, decisions, invites, memberships, organizations, reviews, taskTypes, users, workspaceMembers, workspaces } from "../schema";
import { appendAudit } from "./audit";
import { endSessions, insertUser } from "./users";

const INVITE_TTL_DAYS = 7;

export type MemberRow = {
  userId: string;
  name: string;
  email: string;
  role: Role;
  status: "active" | "disabled";
  joinedAt: Date;
  workspaces: string[];
};

export async function listMembers(db: Executor, scope: Scope): Promise<MemberRow[]> {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      status: memberships.status,
      joinedAt: memberships.createdAt,
      workspaces: sql<string[]>`coalesce(array_agg(${workspaces.name} order by ${workspaces.name}) filter (where ${workspaces.id} is not null), '{}')`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(
      workspaceMembers,
      and(eq(workspaceMembers.organizationId, memberships.organizationId), eq(workspaceMembers.userId, memberships.userId)),
    )
    // Archived workspaces are left out: they hold no work.
    .leftJoin(workspaces, and(eq(workspaces.id, workspaceMembers.workspaceId), eq(workspaces.organizationId, memberships.organizationId), isNull(workspaces.archivedAt)))
    .where(eq(memberships.organizationId, scope.organizationId))
    .groupBy(users.id, memberships.organizationId, memberships.userId)
    .orderBy(asc(users.name));
}

/** Locks the target membership and every active admin row, so two admins can't both step down at once. */
async function lockForChange(tx: Executor, scope: Scope, userId: string) {
  const admins = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.role, "admin"), eq(memberships.status, "active")))
    .for("update");
  const [target] = await tx
    .select({ role: memberships.role, status: memberships.status, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.userId, userId)))
    .for("update", { of: memberships });
  if (!target) throw new AppError("not_found", "No such member in this organization.");
  const isLastActiveAdmin = target.role === "admin" && target.status === "active" && admins.length === 1;
  return { target, isLastActiveAdmin };
}

export async function changeMemberRole(db: Executor, scope: Scope, params: { userId: string; role: Role }): Promise<void> {
  await db.transaction(async (tx) => {
    const { target, isLastActiveAdmin } = await lockForChange(tx, scope, params.userId);
    if (target.role === params.role) return;
    if (isLastActiveAdmin) throw new AppError("conflict", "This is the last admin. Make someone else an admin first.");
    await tx
      .update(memberships)
      .set({ role: params.role, updatedAt: new Date() })
      .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.userId, params.userId)));
    // The member signs in again under the new role rather than carrying on in a page built for the old one.
    await endSessions(tx, [params.userId]);
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "member.role_changed",
      targetType: "user",
      targetId: params.userId,
      data: { email: target.email, before: { role: target.role }, after: { role: params.role } },
    });
  });
}

/**
 * One role for several members at once, all or nothing, with one audit entry per member whose role
 * changes. Refused when it would leave no active admin: the same guard as a single change, counted
 * over the whole selection (locked like `lockForChange`, so it can't race a concurrent step-down).
 */
export async function changeMemberRoles(db: Executor, scope: Scope, params: { userIds: string[]; role: Role }): Promise<{ changed: number }> {
  return db.transaction(async (tx) => {
    const admins = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.role, "admin"), eq(memberships.status, "active")))
      .for("update");
    const targets = await tx
      .select({ userId: memberships.userId, role: memberships.role, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, scope.organizationId), inArray(memberships.userId, params.userIds)))
      .orderBy(asc(memberships.userId))
      .for("update", { of: memberships });
    if (targets.length !== params.userIds.length) throw new AppError("not_found", "One of the selected members isn't in this organization any more. Reload and try again.");
    const changing = targets.filter((t) => t.role !== params.role);
    if (changing.length === 0) return { changed: 0 };
    const leaving = new Set(params.role === "admin" ? [] : changing.map((t) => t.userId));
    if (admins.length > 0 && admins.every((a) => leaving.has(a.userId))) {
      throw new AppError("conflict", "That would leave the organization without an active admin. Keep at least one admin, or make someone else an admin first.");
    }
    await tx
      .update(memberships)
      .set({ role: params.role, updatedAt: new Date() })
      .where(and(eq(memberships.organizationId, scope.organizationId), inArray(memberships.userId, changing.map((t) => t.userId))));
    await endSessions(tx, changing.map((t) => t.userId));
    for (const t of changing) {
      await appendAudit(tx, {
        organizationId: scope.organizationId,
        actorUserId: scope.userId,
        action: "member.role_changed",
        targetType: "user",
        targetId: t.userId,
        data: { email: t.email, before: { role: t.role }, after: { role: params.role }, bulk: true },
      });
    }
    return { changed: changing.length };
  });
}

export async function setMemberStatus(db: Executor, scope: Scope, params: { userId: string; status: "active" | "disabled" }): Promise<void> {
  await db.transaction(async (tx) => {
    const { target, isLastActiveAdmin } = await lockForChange(tx, scope, params.userId);
    if (target.status === params.status) return;
    if (params.status === "disabled" && isLastActiveAdmin) throw new AppError("conflict", "This is the last admin and can't be disabled.");
    await tx
      .update(memberships)
      .set({ status: params.status, updatedAt: new Date() })
      .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.userId, params.userId)));
    if (params.status === "disabled") await endSessions(tx, [params.userId]);
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: params.status === "disabled" ? "member.disabled" : "member.enabled",
      targetType: "user",
      targetId: params.userId,
      data: { email: target.email, before: { status: target.status }, after: { status: params.status } },
    });
  });
}

/** Invite tokens are 256-bit random secrets: SHA-256 is enough to store them. */
export const hashInviteToken = sha256Hex;

export type InviteRow = { id: string; email: string; role: Role; expiresAt: Date; createdAt: Date; invitedByName: string | null };

export async function listPendingInvites(db: Executor, scope: Scope): Promise<InviteRow[]> {
  return db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      expiresAt: invites.expiresAt,
      createdAt: invites.createdAt,
      invitedByName: users.name,
    })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.invitedBy))
    .where(and(eq(invites.organizationId, scope.organizationId), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())))
    .orderBy(desc(invites.createdAt));
}

/**
 * Returns the one-time token; only its hash is stored. An address held by an unverified account
 * (a self sign-up, which proves nothing about the address) can be invited: that account yields when
 * the invite is accepted (`acceptInvite`).
 */
export async function createInvite(db: Executor, scope: Scope, params: { email: string; role: Role }): Promise<{ token: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    const holders = await tx
      .select({ organizationId: memberships.organizationId, verifiedAt: users.emailVerifiedAt })
      .from(users)
      .leftJoin(memberships, eq(memberships.userId, users.id))
      .where(eq(users.email, params.email));
    const message = holders.some((h) => h.organizationId === scope.organizationId)
      ? "This person is already a member of your organization."
      : holders.some((h) => h.verifiedAt)
        ? "This email already has a Countersign account, and one person belongs to one organization for now."
        : null;
    if (message) throw new AppError("conflict", message, { fieldErrors: { email: [message] } });
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 24 * 3600 * 1000);
    const [invite] = await tx
      .insert(invites)
      .values({ organizationId: scope.organizationId, email: params.email, role: params.role, tokenHash: hashInviteToken(token), invitedBy: scope.userId, expiresAt })
      .returning({ id: invites.id });
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "member.invited",
      targetType: "invite",
      targetId: invite.id,
      data: { email: params.email, role: params.role },
    });
    return { token, expiresAt };
  });
}

export async function revokeInvite(db: Executor, scope: Scope, params: { inviteId: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(and(eq(invites.organizationId, scope.organizationId), eq(invites.id, params.inviteId), isNull(invites.acceptedAt), isNull(invites.revokedAt)))
      .returning({ email: invites.email });
    if (!row) throw new AppError("not_found", "No such pending invite.");
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "member.invite_revoked",
      targetType: "invite",
      targetId: params.inviteId,
      data: { email: row.email },
    });
  });
}

export type InviteView = { organizationName: string; email: string; role: Role; state: "open" | "used" | "expired" | "revoked" };

/** What the invite page shows; the token itself is the credential, so no scope is needed. */
export async function findInviteByToken(db: Executor, token: string): Promise<InviteView | null> {
  const [row] = await db
    .select({
      organizationName: organizations.name,
      email: invites.email,
      role: invites.role,
      acceptedAt: invites.acceptedAt,
      revokedAt: invites.revokedAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(organizations, eq(organizations.id, invites.organizationId))
    .where(eq(invites.tokenHash, hashInviteToken(token)));
  if (!row) return null;
  const state = row.acceptedAt ? "used" : row.revokedAt ? "revoked" : row.expiresAt <= new Date() ? "expired" : "open";
  return { organizationName: row.organizationName, email: row.email, role: row.role, state };
}

/**
 * An unverified account gives up `email` to someone who has shown they receive mail there (an
 * accepted invite): its address becomes a placeholder that can't receive mail or be signed in with,
 * and its sessions end. Its organization and history stay as they are, attributed by user id, with an
 * audit entry saying what happened. A verified holder is left alone (the caller's insert then fails).
 */
async function releaseUnverifiedEmail(tx: Tx, email: string): Promise<void> {
  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.emailVerifiedAt)))
    .for("update");
  if (!holder) return;
  await tx
    .update(users)
    .set({ email: `released-${holder.id}@released.invalid`, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, holder.id));
  const orgs = await tx.select({ organizationId: memberships.organizationId }).from(memberships).where(eq(memberships.userId, holder.id));
  for (const { organizationId } of orgs) {
    await appendAudit(tx, {
      organizationId,
      actorUserId: null,
      action: "member.email_released",
      targetType: "user",
      targetId: holder.id,
      data: { email, reason: "the address was never verified, and an invite to it was accepted" },
    });
  }
}

/**
 * Consumes the invite exactly once: creates the user (verified: the invite reached them) and
 * membership and joins the default workspace. An unverified account holding the address yields.
 */
export async function acceptInvite(db: Executor, params: { token: string; name: string; passwordHash: string }): Promise<{ userId: string; email: string }> {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invites)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invites.tokenHash, hashInviteToken(params.token)), isNull(invites.acceptedAt), isNull(invites.revokedAt), gt(invites.expiresAt, new Date())))
      .returning({ id: invites.id, organizationId: invites.organizationId, email: invites.email, role: invites.role });
    if (!invite) throw new AppError("not_found", "This invite link is no longer valid. Ask your admin for a new one.");
    await releaseUnverifiedEmail(tx, invite.email);
    const [user] = await insertUser(tx, { email: invite.email, name: params.name, passwordHash: params.passwordHash, emailVerifiedAt: new Date() });
    await tx.insert(memberships).values({ organizationId: invite.organizationId, userId: user.id, role: invite.role });
    const [defaultWorkspace] = await tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(and(eq(workspaces.organizationId, invite.organizationId), eq(workspaces.isDefault, true)));
    if (defaultWorkspace) {
      await tx.insert(workspaceMembers).values({ organizationId: invite.organizationId, workspaceId: defaultWorkspace.id, userId: user.id });
    }
    await appendAudit(tx, {
      organizationId: invite.organizationId,
      actorUserId: user.id,
      action: "member.joined",
      targetType: "user",
      targetId: user.id,
      data: { email: invite.email, role: invite.role, inviteId: invite.id },
    });
    return { userId: user.id, email: invite.email };
  });
}

export type MemberProfile = { userId: string; name: string; email: string; role: Role; status: "active" | "disabled"; joinedAt: Date };

/** One member of the scope's organization; null for an unknown user or another organization's. */
export async function getMember(db: Executor, scope: Scope, userId: string): Promise<MemberProfile | null> {
  const [row] = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, status: memberships.status, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, scope.organizationId), eq(memberships.userId, userId)));
  return row ?? null;
}

export type MemberActivity = { id: number; action: string; targetType: string; targetId: string | null; data: Record<string, unknown>; createdAt: Date };

/** What a member did most recently, newest first (reads audit_log_org_actor_idx backwards). */
export async function recentActivityOf(db: Executor, scope: Scope, userId: string, limit = 20): Promise<MemberActivity[]> {
  return db
    .select({ id: auditLog.id, action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, data: auditLog.data, createdAt: auditLog.createdAt })
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, scope.organizationId), eq(auditLog.actorUserId, userId)))
    .orderBy(desc(auditLog.id))
    .limit(Math.min(limit, 100));
}

export type MemberDecision = {
  id: string;
  reviewId: string;
  title: string | null;
  outcome: (typeof decisions.$inferSelect)["outcome"];
  final: boolean;
  reason: string | null;
  taskType: { key: string; name: string };
  createdAt: Date;
};

/** A member's latest decisions, newest first (decisions_org_reviewer_idx). */
export async function recentDecisionsOf(db: Executor, scope: Scope, userId: string, limit = 20): Promise<MemberDecision[]> {
  const rows = await db
    .select({
      id: decisions.id,
      reviewId: decisions.reviewId,
      title: reviews.title,
      // What this member did themselves (older rows record only the item's outcome).
      outcome: sql<MemberDecision["outcome"]>`coalesce(${decisions.reviewerOutcome}, ${decisions.outcome})`,
      final: decisions.final,
      reason: decisions.reason,
      taskTypeKey: taskTypes.key,
      taskTypeName: taskTypes.name,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .innerJoin(reviews, and(eq(reviews.organizationId, decisions.organizationId), eq(reviews.id, decisions.reviewId)))
    .innerJoin(taskTypes, and(eq(taskTypes.organizationId, reviews.organizationId), eq(taskTypes.id, reviews.taskTypeId)))
    .where(and(eq(decisions.organizationId, scope.organizationId), eq(decisions.reviewerId, userId)))
    .orderBy(desc(decisions.createdAt), desc(decisions.id))
    .limit(Math.min(limit, 100));
  return rows.map(({ taskTypeKey, taskTypeName, ...r }) => ({ ...r, taskType: { key: taskTypeKey, name: taskTypeName } }));
}
