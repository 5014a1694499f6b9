import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Executor } from "../client";

// Renders statements exactly as the database handles do (db/client.ts: snake_case casing).
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * `rowsOf` (db/client.ts) for the hot statements of the agent API, as a named prepared statement: on PostgreSQL,
 * postgres.js keeps it per connection, so the server parses it once per connection rather than once
 * per request (drizzle's `execute` never prepares); it is still planned per call (db/client.ts). PGlite
 * runs it as any other statement.
 * `name` only marks the query as prepared; postgres.js keys its statements by their text.
 */
export async function rowsOfPrepared<T>(db: Executor, name: string, query: SQL): Promise<T[]> {
  const result = (await db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute()) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
