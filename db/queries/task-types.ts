import "server-only";
import { asc, eq } from "drizzle-orm";
import type { Scope } from "@/lib/auth/scope";
import type { Executor } from "../client";
import { taskTypes, workspaces } from "../schema";

export async function listTaskTypes(db: Executor, scope: Scope) {
  return db
    .select({
      id: taskTypes.id,
      key: taskTypes.key,
      name: taskTypes.name,
      mode: taskTypes.mode,
      workspace: workspaces.name,
      reversible: taskTypes.reversible,
      dataClass: taskTypes.dataClass,
      customerFacing: taskTypes.customerFacing,
      classified: taskTypes.classified,
      confidenceThreshold: taskTypes.confidenceThreshold,
      amountLimit: taskTypes.amountLimit,
      amountCurrency: taskTypes.amountCurrency,
      slaMinutes: taskTypes.slaMinutes,
    })
    .from(taskTypes)
    .innerJoin(workspaces, eq(workspaces.id, taskTypes.workspaceId))
    .where(eq(taskTypes.organizationId, scope.organizationId))
    .orderBy(asc(taskTypes.key));
}
