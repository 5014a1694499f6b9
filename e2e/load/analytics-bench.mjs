// `npm run bench:analytics [-- --decisions 1000000 --samples 40 --port 3700]` — analytics at scale.
//
// Builds the app if no build exists, creates a scratch PostgreSQL database, migrates it, fills it with
// `npm run db:generate-history` (20 task types, 90 days), starts `next start` on 127.0.0.1 and times, one
// request at a time, the analytics overview, the reviewers view and one task type's page (full HTML
// responses, signed in as the history's manager). Beside them, in the same run on the same database, the
// same aggregates computed the slow way: a direct GROUP BY over the decisions. Prints medians and p95s,
// writes e2e/load/REPORT-analytics.md and drops the database. A benchmark, never a test: it fails only
// when it can't measure.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { machine, median, percentile, Processes, signIn, waitForHttp } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-analytics.md");
const { values: opt } = parseArgs({
  options: {
    decisions: { type: "string", default: "1000000" },
    samples: { type: "string", default: "40" },
    port: { type: "string", default: "3700" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const decisions = Number(opt.decisions);
const samples = Number(opt.samples);
const database = `countersign_bench_analytics_${process.pid}`;
const adminUrl = new URL(opt["pg-url"]);
const dbUrl = new URL(opt["pg-url"]);
dbUrl.pathname = `/${database}`;
const base = `http://127.0.0.1:${opt.port}`;
const env = { ...process.env, DATABASE_URL: dbUrl.toString(), AUTH_SECRET: "bench-secret-not-for-production-0123456789abcdef", AUDIT_HMAC_KEY: "bench-audit-key-not-for-production-0123456789abcdef", PORT: opt.port, NODE_ENV: "production" };
const processes = new Processes("analytics-bench");

async function time(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Times `fn` `n` times after `warmups` calls; answers milliseconds per call. */
async function sample(fn, n = samples, warmups = 5) {
  for (let i = 0; i < warmups; i++) await fn();
  const ms = [];
  for (let i = 0; i < n; i++) ms.push(await time(fn));
  return ms;
}
// A GROUP BY over a million decisions takes seconds: fewer runs say enough about it.
const baselineSamples = Math.min(samples, 10);

async function page(cookie, url) {
  const res = await fetch(`${base}${url}`, { headers: { cookie } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return body;
}

async function main() {
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const sql = postgres(dbUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    if (!fs.existsSync(path.join(REPO, ".next/BUILD_ID"))) {
      console.log("Building the app (no build found)…");
      const build = await processes.run("build", "node_modules/.bin/next", ["build"], { cwd: REPO, env: { ...env, NODE_ENV: undefined } });
      if (build.code !== 0) throw new Error(`next build failed:\n${build.text.slice(-2000)}`);
    }
    const tsx = (script, args = []) => processes.run(path.basename(script), "node_modules/.bin/tsx", ["--conditions=react-server", script, ...args], { cwd: REPO, env });
    const migrated = await tsx("scripts/db-migrate.ts");
    if (migrated.code !== 0) throw new Error(`migration failed:\n${migrated.text}`);
    console.log(`Generating ${decisions.toLocaleString("en-US")} decisions…`);
    const generated = await tsx("scripts/db-generate-history.ts", ["--decisions", String(decisions)]);
    if (generated.code !== 0) throw new Error(`generation failed:\n${generated.text.slice(-2000)}`);
    const summary = generated.text.trim().split("\n").slice(-2);
    console.log(summary.join("\n"));
    const manager = /sign in as (\S+)/.exec(generated.text)?.[1];
    const [{ organization_id: org, task_type_id: typeId, key }] = await sql`select organization_id, id as task_type_id, key from task_types order by key limit 1`;

    const server = processes.start("next", "node_modules/.bin/next", ["start", "-p", opt.port, "-H", "127.0.0.1"], { cwd: REPO, env });
    await waitForHttp(`${base}/login`, server, processes, 120_000);
    const cookie = await signIn(base, manager, "countersign");

    const range = "days=90";
    const figures = [
      ["Overview page (/analytics)", await sample(() => page(cookie, `/analytics?${range}`))],
      ["Reviewers view (/analytics?view=reviewers)", await sample(() => page(cookie, `/analytics?${range}&view=reviewers`))],
      [`Task type page (/analytics/${key})`, await sample(() => page(cookie, `/analytics/${key}?${range}`))],
      [
        "Baseline: overview aggregate by GROUP BY over decisions",
        await sample(
          () => sql`select r.task_type_id, count(*) filter (where d.outcome = 'approved' and d.reviewer_id is not null) as approved,
            count(*) filter (where d.outcome = 'edited') as edited, count(*) filter (where d.outcome = 'rejected') as rejected,
            count(*) filter (where d.outcome = 'auto_approved') as auto, sum(d.time_on_item_ms) as time_on_item
            from decisions d join reviews r on r.id = d.review_id
            where d.organization_id = ${org} and d.created_at >= now() - interval '90 days' group by r.task_type_id`,
          baselineSamples,
          1,
        ),
      ],
      [
        "Baseline: one task type's daily outcomes by GROUP BY over decisions",
        await sample(
          () => sql`select (d.created_at at time zone 'UTC')::date as day, d.outcome, count(*)
            from decisions d join reviews r on r.id = d.review_id
            where d.organization_id = ${org} and r.task_type_id = ${typeId} and d.created_at >= now() - interval '90 days' group by 1, 2`,
          baselineSamples,
          1,
        ),
      ],
    ];
    const m = machine(REPO);
    const rows = figures.map(([label, ms]) => ({ label, p50: median(ms), p95: percentile(ms, 95), min: Math.min(...ms), max: Math.max(...ms) }));
    const overviewBaseline = rows[3].p50;
    const lines = [
      "# Analytics at scale",
      "",
      `${m.date}, commit ${m.commit}; ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at the end ${m.load}.`,
      `${summary[0]}`,
      "",
      `Pages: ${samples} sequential requests each after 5 warm-ups, signed in as the history's manager, full HTML response (server render + transfer over loopback). Baselines: ${baselineSamples} runs each after 1 warm-up, on the same database in the same run. Target: page p95 < 300 ms.`,
      "",
      "| what | p50 ms | p95 ms | min–max ms | p50 ÷ overview GROUP BY p50 |",
      "|---|---:|---:|---:|---:|",
      ...rows.map((r) => `| ${r.label} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.min.toFixed(1)}–${r.max.toFixed(1)} | ${(r.p50 / overviewBaseline).toFixed(2)} |`),
      "",
      `Verdict: ${rows.slice(0, 3).every((r) => r.p95 < 300) ? "every analytics page answered within the 300 ms p95 target" : "at least one analytics page missed the 300 ms p95 target"}.`,
      "",
    ];
    fs.writeFileSync(REPORT, lines.join("\n"));
    console.log(lines.join("\n"));
  } finally {
    await processes.stopAll();
    await sql.end({ timeout: 2 });
    await admin.unsafe(`drop database if exists ${database} with (force)`).catch(() => {});
    await admin.end({ timeout: 2 });
  }
}

await main().catch(async (e) => {
  console.error(e.message);
  await processes.stopAll();
  process.exitCode = 1;
});
