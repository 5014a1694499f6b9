import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { SQL } from "drizzle-orm";
import postgres from "postgres";
import * as schema from "./schema";

/**
 * One dialect, two drivers. Both drizzle databases expose the same query API; the postgres.js type
 * stands for both so query functions are written once.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Query functions accept the database or an open transaction. */
export type Executor = Db | Tx;

/** Raw rows from `execute`: postgres.js answers an array, PGlite an object with `rows`. */
export async function rowsOf<T>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** LISTEN on a channel (NOTIFY is sent inside transactions and delivered on commit); resolves to an unlisten function. */
  listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
  close: () => Promise<void>;
};

export function openDb(options: { url?: string; dataDir?: string; max?: number }): DbHandle {
  if (options.url) {
    const client = postgres(options.url, { max: options.max ?? 10, onnotice: () => {} });
    return {
      db: drizzlePostgres(client, { schema, casing: "snake_case" }),
      driver: "postgres",
      listen: async (channel, onPayload) => {
        const subscription = await client.listen(channel, onPayload);
        return () => subscription.unlisten();
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dataDir = options.dataDir ?? ".data/pglite";
  // "memory://" keeps everything in memory (tests); a folder needs its parent to exist.
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ dataDir)), { recursive: true });
  const client = new PGlite(dataDir);
  return {
    db: drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db,
    driver: "pglite",
    listen: (channel, onPayload) => client.listen(channel, onPayload),
    close: () => client.close(),
  };
}

const globalForDb = globalThis as unknown as { __countersignDb?: DbHandle };

/** The process-wide handle, chosen once from the environment (dev reloads must not open PGlite twice). */
export function dbHandle(): DbHandle {
  globalForDb.__countersignDb ??= openDb({
    url: process.env.DATABASE_URL || undefined,
    dataDir: process.env.PGLITE_DIR || ".data/pglite",
  });
  return globalForDb.__countersignDb;
}

export function getDb(): Db {
  return dbHandle().db;
}
