// Phase (2) of queue-bench.mjs: the app's own claimNext (db/queries/queue.ts) called by BENCH_CALLERS
// concurrent callers in one Node process, over the app's client (openDb, a pool of as many
// connections), one reviewer's Scope each, minted by loadScope as the app does per request.
// Run with `tsx --conditions=react-server` (server-only) from the app's folder (the @/ paths).
// `--print-sql` prints the statement claimNext renders for a reviewer and exits: the benchmark
// compares it with its bare copy (claim-statement.mjs).
import { PgDialect } from "drizzle-orm/pg-core";
import type { SQL } from "drizzle-orm";
import { openDb, type Executor } from "@/db/client";
import { claimNext } from "@/db/queries/queue";
import { loadScope, type Scope } from "@/db/scope";
import { report, runClaimers, settings } from "./claim-loop.mjs";

async function printSql(): Promise<void> {
  const dialect = new PgDialect({ casing: "snake_case" });
  let rendered: { sql: string; params: unknown[] } | null = null;
  // claimNext sends one raw statement; a stand-in executor renders it instead of running it.
  const capture = {
    execute: async (query: SQL) => {
      rendered = dialect.sqlToQuery(query);
      return [];
    },
  } as unknown as Executor;
  const scope = { organizationId: "00000000-0000-4000-8000-000000000001", userId: "00000000-0000-4000-8000-000000000002", role: "reviewer" } as unknown as Scope;
  await claimNext(capture, scope, { leaseMinutes: 10 });
  console.log(`BENCH_SQL ${JSON.stringify(rendered)}`);
}

async function main(): Promise<void> {
  const cfg = settings();
  const handle = openDb({ url: cfg.url, max: cfg.callers });
  try {
    const scopes: Scope[] = [];
    for (const { userId } of cfg.scopes) {
      const lookup = await loadScope(handle.db, userId, 0);
      if (!lookup.ok) throw new Error(`no scope for user ${userId}: ${lookup.reason}`);
      scopes.push(lookup.scope);
    }
    const summary = await runClaimers(cfg, async (i) => Boolean(await claimNext(handle.db, scopes[i % scopes.length], { leaseMinutes: cfg.leaseMinutes })));
    report(summary);
  } finally {
    await handle.close();
  }
}

if (process.argv.includes("--print-sql")) await printSql();
else await main();
