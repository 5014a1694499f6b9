// Phase (1) of queue-bench.mjs: the bare claim statement (claim-statement.mjs, the text claimNext
// sends) run by BENCH_CALLERS postgres.js callers over as many connections, one reviewer each.
// Prepared (postgres.js's default for a hand-written client): the database's limit for this work.
// Usable alone with BENCH_NO_HANDSHAKE=1, BENCH_DB_URL and BENCH_SCOPES='[{"organizationId":…,"userId":…}]'.
import postgres from "postgres";
import { CLAIM_SQL, claimParams } from "./claim-statement.mjs";
import { report, runClaimers, settings } from "./claim-loop.mjs";

const cfg = settings();
const sql = postgres(cfg.url, { max: cfg.callers, onnotice: () => {} });
try {
  const summary = await runClaimers(cfg, async (i) => {
    const rows = await sql.unsafe(CLAIM_SQL, claimParams(cfg.scopes[i % cfg.scopes.length], cfg.leaseMinutes), { prepare: true });
    return rows.length > 0;
  });
  report(summary);
} finally {
  await sql.end({ timeout: 5 });
}
