// Phase (1) of queue-bench.mjs: the bare claim statement (claim-statement.mjs, the text claimNext
// sends) run by BENCH_CALLERS postgres.js callers over as many connections, one reviewer each.
// Prepared (postgres.js's default for a hand-written client): the database's limit for this work.
// BENCH_VARIANT=ordered|quiet runs a what-if variant of the statement instead (see claim-statement.mjs).
// Usable alone with BENCH_NO_HANDSHAKE=1, BENCH_DB_URL and BENCH_SCOPES='[{"organizationId":…,"userId":…}]'.
import postgres from "postgres";
import { claimParams, variantSql } from "./claim-statement.mjs";
import { report, runClaimers, settings } from "./claim-loop.mjs";

const cfg = settings();
const text = variantSql(process.env.BENCH_VARIANT || null);
if (!text) throw new Error(`the claim statement no longer has the shape variant ${process.env.BENCH_VARIANT} rewrites`);
const sql = postgres(cfg.url, { max: cfg.callers, onnotice: () => {} });
try {
  const summary = await runClaimers(cfg, async (i) => {
    const rows = await sql.unsafe(text, claimParams(cfg.scopes[i % cfg.scopes.length], cfg.leaseMinutes), { prepare: true });
    return rows.length > 0;
  });
  report(summary);
} finally {
  await sql.end({ timeout: 5 });
}
