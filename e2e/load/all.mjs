// `npm run bench [-- --only api,race] [-- --skip analytics]` — every benchmark and scenario of
// e2e/load, one after the other, then e2e/load/REPORT.md: the machine, a summary (each run's verdict
// or exit, its duration, its report) and each run's own report, with its figures as medians and
// spreads, its ratios to the baselines it measured in the same run, and its app's peak memory.
//
// Each run is its own script (its own `npm run bench:<name>`), started here with the default options
// and its output shown as it goes. Timings never fail anything; the exit code is non-zero only when a
// scenario's verdict failed or a benchmark could not run.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { machine } from "./lib.mjs";

const HERE = import.meta.dirname;
const REPO = path.resolve(HERE, "../..");

/** In the order they run: the feature benchmarks first, then the issue 8 scenarios. */
const RUNS = [
  { name: "api", script: "run.mjs", report: "REPORT-agent-api.md", what: "Agent API throughput beside a bare insert server and the framework's ceiling" },
  { name: "queue", script: "queue-bench.mjs", report: "REPORT-queue.md", what: "Reviewer queue over 1,000,000 reviews beside the bare claim statement" },
  { name: "latency", script: "latency-bench.mjs", report: "REPORT-latency.md", what: "What reviewers and agents wait for: submission, decision to wait/next item/webhook" },
  { name: "analytics", script: "analytics-bench.mjs", report: "REPORT-analytics.md", what: "Analytics pages over 1,000,000 decisions beside a direct GROUP BY" },
  { name: "restart", script: "restart-under-load.mjs", report: "REPORT-restart.md", what: "Scenario 1: PostgreSQL restarts while agents submit" },
  { name: "race", script: "reviewer-race.mjs", report: "REPORT-race.md", what: "Scenario 2: 200 reviewers race over 1,000 items" },
  { name: "receiver", script: "receiver-down.mjs", report: "REPORT-receiver.md", what: "Scenario 3: the webhook receiver is down, fails, recovers" },
  { name: "instances", script: "two-instances.mjs", report: "REPORT-instances.md", what: "Scenario 4: two instances share one PostgreSQL" },
  { name: "browser", script: "browser-quality.mjs", report: "REPORT-browser.md", what: "Scenario 7: Lighthouse and axe on the main pages" },
];

const { values: opt } = parseArgs({ options: { only: { type: "string" }, skip: { type: "string" }, help: { type: "boolean" } } });
if (opt.help) {
  console.log(`npm run bench [-- --only ${RUNS.map((r) => r.name).join(",")}] [-- --skip name,…]\nEach also runs alone: npm run bench:<name>.`);
  process.exit(0);
}
const listed = (value) => new Set((value ?? "").split(",").filter(Boolean));
const only = listed(opt.only);
const skip = listed(opt.skip);
for (const name of [...only, ...skip]) {
  if (!RUNS.some((r) => r.name === name)) {
    console.error(`No benchmark named "${name}": choose from ${RUNS.map((r) => r.name).join(", ")}.`);
    process.exit(2);
  }
}

let current = null;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    // Each script stops what it started on SIGTERM; then this stops too.
    current?.kill("SIGTERM");
    process.exit(130);
  });
}

function runOne(run) {
  return new Promise((resolve) => {
    const started = Date.now();
    current = spawn(process.execPath, [path.join(HERE, run.script)], { cwd: REPO, stdio: "inherit" });
    current.on("exit", (code, signal) => {
      current = null;
      resolve({ code: code ?? (signal ? 128 : 1), seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** A run's own report, its headings one level down, when this run wrote it (not a stale one). */
function reportOf(run, since) {
  const file = path.join(HERE, run.report);
  if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < since) return null;
  return fs.readFileSync(file, "utf8").replace(/^(#+) /gm, "#$1 ").trim();
}

const selected = RUNS.filter((r) => (only.size === 0 || only.has(r.name)) && !skip.has(r.name));
const m = machine(REPO);
const results = [];
for (const run of selected) {
  console.log(`\n══ ${run.name}: ${run.what} (npm run bench:${run.name})\n`);
  const since = Date.now();
  const { code, seconds } = await runOne(run);
  const report = reportOf(run, since);
  const verdict = /^Verdict: (PASS|FAIL)\b/m.exec(report ?? "")?.[1];
  results.push({ run, code, seconds, report, outcome: verdict ?? (code === 0 ? "measured" : `could not run (exit ${code})`) });
}

const lines = [
  "# Countersign benchmarks and scenarios",
  "",
  `${m.date}, commit ${m.commit}; ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at the end ${machine(REPO).load}.`,
  "Each benchmark sets its figures beside a baseline measured in the same run on the same machine; each scenario ends in a verdict.",
  "Shared machines are noisy: read medians and ratios, not single numbers. Timings never fail anything.",
  "",
  "| run | what | outcome | minutes | report |",
  "|---|---|---|---:|---|",
  ...results.map(({ run, seconds, outcome }) => `| \`npm run bench:${run.name}\` | ${run.what} | ${outcome} | ${(seconds / 60).toFixed(1)} | [${run.report}](${run.report}) |`),
  "",
  ...results.flatMap(({ run, report }) => [report ?? `## ${run.what}\n\nNo report: the run stopped before writing one (see its output).`, ""]),
];
fs.writeFileSync(path.join(HERE, "REPORT.md"), lines.join("\n"));
console.log(`\nWritten to e2e/load/REPORT.md:\n`);
for (const { run, outcome, seconds } of results) console.log(`  ${run.name.padEnd(10)} ${outcome.padEnd(24)} ${(seconds / 60).toFixed(1)} min`);
if (results.some((r) => r.code !== 0)) process.exitCode = 1;
