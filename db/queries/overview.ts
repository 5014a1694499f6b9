import "server-only";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { can } from "@/lib/auth/permissions";
import type { Scope } from "@/lib/auth/scope";
import type { Executor } from "../client";
import { dailyRollups, memberships, taskTypes, workspaceMembers, workspaces } from "../schema";

/** The workspaces a scope may see: all of the organization's for managers and admins, their own for reviewers. */
export async function visibleWorkspaces(db: Executor, scope: Scope) {
  const all = can(scope.role, "workspaces.seeAll");
  return db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(
      and(
        eq(workspaces.organizationId, scope.organizationId),
        sql`${workspaces.archivedAt} is null`,
        all
          ? undefined
          : inArray(
              workspaces.id,
              db
                .select({ id: workspaceMembers.workspaceId })
                .from(workspaceMembers)
                .where(and(eq(workspaceMembers.organizationId, scope.organizationId), eq(workspaceMembers.userId, scope.userId))),
            ),
      ),
    )
    .orderBy(asc(workspaces.name));
}

export type TaskTypeActivity = {
  key: string;
  name: string;
  mode: string;
  workspace: string;
  decided: number;
  approved: number;
  edited: number;
  rejected: number;
  autoApproved: number;
};

/** Decisions per task type over the last `days` days, read from the daily rollups. */
export async function taskTypeActivity(db: Executor, scope: Scope, params: { days: number; now?: Date }): Promise<TaskTypeActivity[]> {
  const now = params.now ?? new Date();
  const since = new Date(now.getTime() - params.days * 24 * 3600 * 1000).toISOString().slice(0, 10);
  const until = new Date(now.getTime() + 24 * 3600 * 1000).toISOString().slice(0, 10);
  const rollups = db
    .select({
      taskTypeId: dailyRollups.taskTypeId,
      approved: sql<number>`sum(${dailyRollups.approved})::int`.as("approved"),
      edited: sql<number>`sum(${dailyRollups.edited})::int`.as("edited"),
      rejected: sql<number>`sum(${dailyRollups.rejected})::int`.as("rejected"),
      autoApproved: sql<number>`sum(${dailyRollups.autoApproved})::int`.as("auto_approved"),
    })
    .from(dailyRollups)
    .where(and(eq(dailyRollups.organizationId, scope.organizationId), gte(dailyRollups.day, since), lt(dailyRollups.day, until)))
    .groupBy(dailyRollups.taskTypeId)
    .as("r");
  const rows = await db
    .select({
      key: taskTypes.key,
      name: taskTypes.name,
      mode: taskTypes.mode,
      workspace: workspaces.name,
      approved: sql<number>`coalesce(${rollups.approved}, 0)`,
      edited: sql<number>`coalesce(${rollups.edited}, 0)`,
      rejected: sql<number>`coalesce(${rollups.rejected}, 0)`,
      autoApproved: sql<number>`coalesce(${rollups.autoApproved}, 0)`,
    })
    .from(taskTypes)
    .innerJoin(workspaces, eq(workspaces.id, taskTypes.workspaceId))
    .leftJoin(rollups, eq(rollups.taskTypeId, taskTypes.id))
    .where(eq(taskTypes.organizationId, scope.organizationId))
    .orderBy(asc(taskTypes.key));
  return rows.map((r) => ({ ...r, decided: r.approved + r.edited + r.rejected }));
}

export type OrganizationCounts = { members: number; disabled: number; workspaces: number; taskTypes: number; unclassified: number };

export async function organizationCounts(db: Executor, scope: Scope): Promise<OrganizationCounts> {
  const [m] = await db
    .select({
      members: sql<number>`count(*)::int`,
      disabled: sql<number>`(count(*) filter (where ${memberships.status} = 'disabled'))::int`,
    })
    .from(memberships)
    .where(eq(memberships.organizationId, scope.organizationId));
  const [w] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(workspaces)
    .where(and(eq(workspaces.organizationId, scope.organizationId), sql`${workspaces.archivedAt} is null`));
  const [t] = await db
    .select({ n: sql<number>`count(*)::int`, unclassified: sql<number>`(count(*) filter (where not ${taskTypes.classified}))::int` })
    .from(taskTypes)
    .where(eq(taskTypes.organizationId, scope.organizationId));
  return { members: m.members, disabled: m.disabled, workspaces: w.n, taskTypes: t.n, unclassified: t.unclassified };
}
