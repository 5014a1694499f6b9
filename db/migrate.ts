import "server-only";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { DbHandle } from "./client";

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/**
 * Applies the committed drizzle-kit migrations. On PostgreSQL the handle must hold one connection
 * (`openDb({ url, max: 1 })`) so the session advisory lock makes concurrent migrators take turns.
 */
export async function migrateDb(handle: DbHandle): Promise<void> {
  if (handle.driver === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  await handle.db.execute(sql`select pg_advisory_lock(7243001)`);
  try {
    await migratePostgres(handle.db, { migrationsFolder });
  } finally {
    await handle.db.execute(sql`select pg_advisory_unlock(7243001)`);
  }
}
