import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { queryRows } from "@/test/fixtures";
import type { DbHandle } from "./client";
import { migrateDb } from "./migrate";
import * as schema from "./schema";

const schemaTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table))
  .sort();

async function publicTables(handle: DbHandle): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    handle.db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => r.name);
}

async function appliedMigrations(handle: DbHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return row.n;
}

describe("migrateDb", () => {
  let handle: DbHandle;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ handle, dispose } = await createTestDb({ migrate: false }));
  });
  afterAll(async () => dispose?.());

  it("starts from an empty database", async () => {
    expect(await publicTables(handle)).toEqual([]);
  });

  it("creates every table of the schema", async () => {
    await migrateDb(handle);
    expect(schemaTables).toEqual(
      expect.arrayContaining(["organizations", "users", "memberships", "invites", "workspaces", "workspace_members", "task_types", "reviews", "decisions", "daily_rollups", "api_keys", "audit_log", "login_failures"]),
    );
    expect(await publicTables(handle)).toEqual(schemaTables);
    expect(await appliedMigrations(handle)).toBeGreaterThan(0);
  });

  it("creates the constraints the domain relies on", async () => {
    const indexes = await queryRows<{ name: string }>(handle.db, sql`select indexname as name from pg_indexes where schemaname = 'public'`);
    expect(indexes.map((i) => i.name)).toEqual(
      expect.arrayContaining(["users_email_key", "decisions_one_final_per_review", "workspaces_org_default_key", "invites_token_hash_key", "api_keys_hash_key"]),
    );
  });

  it("is a no-op the second time", async () => {
    const before = await appliedMigrations(handle);
    await expect(migrateDb(handle)).resolves.toBeUndefined();
    expect(await appliedMigrations(handle)).toBe(before);
    expect(await publicTables(handle)).toEqual(schemaTables);
  });
});
