import "server-only";
import type { SQL } from "drizzle-orm";
import type { Executor } from "../client";

/** Raw rows of a hand-written statement: postgres.js answers an array, PGlite an object with `rows`. */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
