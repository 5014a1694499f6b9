import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { can } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import type { Executor } from "../client";
import { memberships, taskTypes, workspaceMembers, workspaces } from "../schema";

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
