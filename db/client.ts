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
  /**
   * The same database on sessions of their own that keep PostgreSQL's generic plans: for a hot
   * statement that reads only small tables by the planner's choice (configuration: keys, task types,
   * endpoints) and otherwise only writes, so a prepared statement is planned once per connection, not
   * on every call. Nothing that scans a growing table belongs here (see `openDb`). PGlite: `db` itself.
   */
  generic: Db;
  driver: "pglite" | "postgres";
  /** LISTEN on a channel (NOTIFY is sent inside transactions and delivered on commit); resolves to an unlisten function. */
  listen: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
  /**
   * Resolves when the database answers `select 1` on a connection of its own within `timeoutMs`, rejects
   * when it doesn't: tells "down" from "slow" while the pool's connections are stuck in a reconnect.
   */
  probe: (timeoutMs: number) => Promise<void>;
  close: () => Promise<void>;
};

export function openDb(options: { url?: string; dataDir?: string; max?: number }): DbHandle {
  const url = options.url;
  if (url) {
    // Prepared statements (db/queries/execute.ts) are parsed once per connection but planned on every
    // call with its own values: a generic plan cached while tables were small kept scanning them as they
    // grew. Parsing is what a prepared statement saves here; for the agent API's big statements that took
    // single submissions from 0.14 to 0.20 of the framework's ceiling (e2e/load/REPORT-agent-api.md).
    const client = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { plan_cache_mode: "force_custom_plan" } });
    // A generic plan is made from the statistics of its first use and kept until the tables are analyzed
    // again; on a table that grows fast from empty it can keep scanning what an index would find.
    // Statements that only read small configuration tables lose nothing by it, and spare planning on
    // every call: for the guarded submission write that took single submissions from 197-244 to 250-352
    // req/s in A/B runs (planning was about a third of PostgreSQL's work per submission).
    const generic = postgres(url, { max: options.max ?? 10, onnotice: () => {}, connection: { plan_cache_mode: "force_generic_plan" } });
    let prober: postgres.Sql | undefined;
    return {
      db: drizzlePostgres(client, { schema, casing: "snake_case" }),
      generic: drizzlePostgres(generic, { schema, casing: "snake_case" }),
      driver: "postgres",
      listen: async (channel, onPayload) => {
        const subscription = await client.listen(channel, onPayload);
        return () => subscription.unlisten();
      },
      probe: async (timeoutMs) => {
        prober ??= postgres(url, { max: 1, idle_timeout: 10, connect_timeout: Math.ceil(timeoutMs / 1000), onnotice: () => {} });
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error("The database did not answer a probe"), { code: "CONNECT_TIMEOUT" })), timeoutMs);
        });
        try {
          await Promise.race([prober`select 1`, late]);
        } finally {
          clearTimeout(timer);
        }
      },
      close: async () => {
        await prober?.end({ timeout: 1 });
        await Promise.all([client.end({ timeout: 5 }), generic.end({ timeout: 5 })]);
      },
    };
  }
  const dataDir = options.dataDir ?? ".data/pglite";
  // "memory://" keeps everything in memory (tests); a folder needs its parent to exist.
  if (!dataDir.startsWith("memory://")) mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ dataDir)), { recursive: true });
  const client = new PGlite(dataDir);
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    generic: db,
    driver: "pglite",
    listen: (channel, onPayload) => client.listen(channel, onPayload),
    probe: async () => {}, // in-process: never unreachable
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
