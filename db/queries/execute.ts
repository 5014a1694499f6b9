import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "../client";

/** Raw rows of a hand-written statement: postgres.js answers an array, PGlite an object with `rows`. */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// Renders statements exactly as the database handles do (db/client.ts: snake_case casing).
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * `rowsOf` for the hot statements of the agent API, as a named prepared statement: on PostgreSQL,
 * postgres.js keeps it per connection, so the server parses and plans it once per connection rather
 * than once per request (drizzle's `execute` never prepares). PGlite runs it as any other statement.
 * `name` only marks the query as prepared; postgres.js keys its statements by their text.
 */
export async function rowsOfPrepared<T>(db: Executor, name: string, query: SQL): Promise<T[]> {
  const result = (await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute()) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
