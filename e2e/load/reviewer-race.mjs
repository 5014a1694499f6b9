// `npm run bench:race [-- --reviewers 200 --items 1000 --port 3483]` — issue 8, scenario 2: 200
// reviewers race over 1,000 items through the server actions (`nextItemAction`, `decideAction`) with
// real sessions, over HTTP to `next start` on a scratch database of the machine's PostgreSQL.
//
// The race itself is e2e/race/reviewer-race.ts (the CI spec e2e/reviewer-race.spec.ts runs a small one):
// a fresh organization signed up through the product, its agent submits the items, the reviewers work
// their claims, double-click and decide from stale tabs. Verdict: every item decided exactly once, by
// the reviewer who was told so, with one audit entry; no 5xx; rollups equal a recount. Prints the
// figures and the app's peak memory; exits non-zero only when the verdict fails or it could not run.
import path from "node:path";
import { parseArgs } from "node:util";
import { register } from "tsx/esm/api";
import { Processes, reportVerdict, runScenario, scratchDatabase, startSeededApp, stopper } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-race.md");

const { values: opt } = parseArgs({
  options: {
    reviewers: { type: "string", default: "200" },
    items: { type: "string", default: "1000" },
    port: { type: "string", default: "3483" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const processes = new Processes("race");

async function main() {
  register();
  const { runReviewerRace } = await import("../race/reviewer-race.ts");
  const scratch = await scratchDatabase(opt["pg-url"], `countersign_race_${process.pid}`);
  const env = {
    ...process.env,
    DATABASE_URL: scratch.url,
    AUTH_SECRET: "race-secret-not-for-production-0123456789abcdef",
    AUDIT_HMAC_KEY: "race-audit-key-not-for-production-0123456789abcdef",
    SIGNUP_ENABLED: "true",
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    NODE_ENV: "production",
  };
  const stopAll = stopper(async () => {
    await processes.stopAll();
    await scratch.drop();
  });
  try {
    const servers = await startSeededApp(processes, REPO, env, [opt.port]);
    const report = await runReviewerRace({
      bases: [`http://127.0.0.1:${opt.port}`],
      databaseUrl: scratch.url,
      reviewers: Number(opt.reviewers),
      items: Number(opt.items),
      repo: REPO,
      log: (line) => console.log(line),
    });
    for (const p of report.problems.slice(0, 20)) console.log(`  ✗ ${p}`);
    reportVerdict(REPORT, REPO, {
      title: "Reviewer race",
      setup: `${opt.reviewers} reviewers (server actions over HTTP, one session each) over ${opt.items} items of a fresh organization, against one \`next start\` on the machine's PostgreSQL.`,
      figures: report.figures,
      checks: report.checks,
      servers,
    });
  } finally {
    await stopAll();
  }
}

await runScenario(processes, main);
