import { and, eq, sql } from "drizzle-orm";
import { openDb, type Db, type DbHandle, type Executor } from "@/db/client";
import { authenticateApiKey, createApiKey } from "@/db/queries/api-keys";
import { submitReviews } from "@/lib/submissions/submit";
import { taskTypes, workspaceMembers, workspaces, type TaskType } from "@/db/schema";
import type { ApiScope } from "@/lib/api/handler";
import type { Role } from "@/lib/security/permissions";
import type { ReviewResource, ReviewSubmissionInput } from "@/lib/validation/reviews";
import { addMember, createTenant, queryRows, type TestOrganization } from "@/test/fixtures";

/**
 * Builders for the reviewer workspace's integration tests: an organization with named workspaces,
 * task types and members, and an agent key that submits items the way the API does. Each test file
 * builds its own organizations, so files never depend on each other's data.
 */

export type Member = Awaited<ReturnType<typeof addMember>>;

export type World = TestOrganization & {
  agent: ApiScope;
  /** Workspaces by the name given to `createWorld`. */
  spaces: Record<string, string>;
};

export async function createWorld(db: Executor, name: string, spaceNames: string[]): Promise<World> {
  const org = await createTenant(db, name);
  const rows = await db
    .insert(workspaces)
    .values(spaceNames.map((s) => ({ organizationId: org.organizationId, name: s })))
    .returning({ id: workspaces.id, name: workspaces.name });
  const spaces = Object.fromEntries(rows.map((r) => [r.name, r.id]));
  return { ...org, agent: await agentScope(db, org), spaces };
}

/** An API scope as `authenticate` builds it from a Bearer key: a real key row, looked up by its hash. */
export async function agentScope(db: Executor, org: TestOrganization): Promise<ApiScope> {
  const { key } = await createApiKey(db, org.admin, { name: "queue tests", scopes: ["reviews:write", "reviews:read"] });
  const found = await authenticateApiKey(db, key);
  if (!found) throw new Error("The new API key did not authenticate");
  return { organizationId: found.organizationId, apiKeyId: found.keyId, scopes: found.scopes } as unknown as ApiScope;
}

/**
 * A member of the organization (through the invite path) who belongs to exactly the given workspaces:
 * the invite also joins the default workspace, which is left again unless it is named.
 */
export async function member(db: Executor, world: World, role: Role, spaceNames: string[], name?: string): Promise<Member> {
  const m = await addMember(db, world.admin, role, name);
  await db.delete(workspaceMembers).where(and(eq(workspaceMembers.organizationId, world.organizationId), eq(workspaceMembers.userId, m.userId)));
  if (spaceNames.length) {
    await db
      .insert(workspaceMembers)
      .values(spaceNames.map((s) => ({ organizationId: world.organizationId, workspaceId: world.spaces[s], userId: m.userId })));
  }
  return m;
}

export async function createTaskType(
  db: Executor,
  world: World,
  params: { key: string; space: string } & Partial<Omit<typeof taskTypes.$inferInsert, "organizationId" | "key" | "workspaceId">>,
): Promise<TaskType> {
  const { key, space, ...rest } = params;
  const [row] = await db
    .insert(taskTypes)
    .values({ name: key, classified: true, ...rest, organizationId: world.organizationId, key, workspaceId: world.spaces[space] })
    .returning();
  return row;
}

/** Submits one item through the agent API's own path (parse, route, write), answering its resource. */
export async function submit(db: Db, world: World, input: ReviewSubmissionInput, options: { now?: Date; random?: () => number } = {}): Promise<ReviewResource> {
  const [outcome] = await submitReviews(db, { scope: world.agent }, [{ body: input }], options);
  if (!outcome.ok) throw outcome.error;
  return JSON.parse(outcome.response.body) as ReviewResource;
}

/**
 * A second handle on the test database with a real connection pool, for the concurrency tests:
 * `createTestDb` opens one connection. On PGlite there is only ever one connection, so the same
 * handle serves (everything runs serialized there, and must still be correct).
 */
export async function openPool(handle: DbHandle, max: number): Promise<{ db: Db; driver: DbHandle["driver"]; close: () => Promise<void> }> {
  if (handle.driver === "pglite") return { db: handle.db, driver: handle.driver, close: async () => {} };
  const [{ name }] = await queryRows<{ name: string }>(handle.db, sql`select current_database() as name`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const pool = openDb({ url: url.toString(), max });
  return { db: pool.db, driver: pool.driver, close: pool.close };
}

