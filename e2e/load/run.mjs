// `npm run bench:api` — the agent API's throughput next to its two reference points, in one run, with one
// load generator (wrk) and the same connection count:
//   bare    a bare node:http + postgres.js server inserting the same ~1 KB body (bare-insert-server.mjs)
//   health  GET /api/health of the app: a constant route handler, the framework's ceiling
//   single  POST /api/v1/reviews: key auth, validation, routing, idempotency, insert, audit
//   batch   POST /api/v1/reviews/batch with 100 items a request (reported as items/s)
// Prints figures and ratios; never fails on a timing (a benchmark is not a test). It exits non-zero
// only when it could not measure at all. Everything it starts (servers, database) it also stops,
// on success, on failure and on Ctrl-C.
//
// Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432 with trust auth) and
// wrk (Debian: `apt-get install -y wrk`). Options: node e2e/load/run.mjs --help
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { cpuWindow, median, memorySampler, sleep, stop } from "./lib.mjs";

const HERE = import.meta.dirname;
const REPO = path.resolve(HERE, "../..");
const REPORT = path.join(HERE, "REPORT-agent-api.md");
const DEMO_API_KEY = "cs_live_bench_key_0123456789abcdefghijklmnopqrstuvwx";

const { values: opt } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    "batch-duration": { type: "string", default: "20" },
    warmup: { type: "string", default: "3" },
    repeats: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    threads: { type: "string", default: "2" },
    "batch-size": { type: "string", default: "100" },
    phases: { type: "string", default: "bare,health,single,batch" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432" },
    database: { type: "string", default: "countersign_bench" },
    "app-dir": { type: "string" },
    snapshot: { type: "boolean", default: false },
    "keep-snapshot": { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    "no-report": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opt.help) {
  console.log(`node e2e/load/run.mjs [options]
  --duration S        measured seconds per run (default 10)
  --batch-duration S  measured seconds per batch run (default 20: a batch request takes seconds,
                      so a short window would mostly measure its start-up)
  --warmup S          warm-up seconds before each measured run (default 3)
  --repeats N         runs per phase; the median and min–max are reported (default 3)
  --connections N     concurrent connections (default 32); --threads N wrk threads (default 2)
  --batch-size N      items per batch request (default 100)
  --phases LIST       any of bare,health,single,batch (default all four)
  --pg-url URL        PostgreSQL server, no database (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432)
  --database NAME     the scratch database, created and dropped (default countersign_bench)
  --app-dir DIR       serve the app from DIR (a checkout with node_modules) instead of this one
  --snapshot          copy the working tree to a temporary folder, build and serve it from there, so
                      neither the shared .next nor edits made during the run are touched (removed after,
                      unless --keep-snapshot: then rerun with --app-dir <the folder it prints>)
  --skip-build        serve the existing production build even when sources are newer than it
  --no-report         print only; don't rewrite e2e/load/REPORT-agent-api.md`);
  process.exit(0);
}

const num = (name) => {
  const n = Number(opt[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};
const cfg = {
  duration: num("duration"),
  batchDuration: num("batch-duration"),
  warmup: num("warmup"),
  repeats: Math.round(num("repeats")),
  connections: Math.round(num("connections")),
  threads: Math.round(num("threads")),
  batchSize: Math.round(num("batch-size")),
  phases: opt.phases.split(",").map((p) => p.trim()).filter(Boolean),
};
for (const p of cfg.phases) if (!["bare", "health", "single", "batch"].includes(p)) throw new Error(`unknown phase ${p}`);
if (!/^[a-z_][a-z0-9_]*$/.test(opt.database)) throw new Error("--database must be a plain lowercase identifier");

// ───────────────────────────── bookkeeping of what we started ─────────────────────────────

const started = { servers: [], wrk: null, database: false, snapshotDir: null, monitor: null };
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-bench-"));
const notes = [];
let interrupted = false;
const note = (line) => {
  if (interrupted) return;
  notes.push(line);
  console.log(`  ! ${line}`);
};
const log = (line) => console.log(line);

const pgUrl = new URL(opt["pg-url"]);
const dbUrl = (() => {
  const u = new URL(pgUrl);
  u.pathname = `/${opt.database}`;
  return u.toString();
})();

let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    if (started.wrk) await stop(started.wrk, 1000);
    for (const s of started.servers.reverse()) await stop(s.child);
    await started.monitor?.end({ timeout: 2 }).catch(() => {});
    if (started.database) {
      const admin = postgres(pgUrl.toString(), { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists ${opt.database} with (force)`);
      } catch (e) {
        console.error(`  could not drop database ${opt.database}: ${e.message}`);
      } finally {
        await admin.end({ timeout: 2 });
      }
    }
    if (started.snapshotDir && opt["keep-snapshot"]) console.log(`snapshot kept: rerun with --app-dir ${started.snapshotDir}`);
    else if (started.snapshotDir) fs.rmSync(started.snapshotDir, { recursive: true, force: true });
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping what the benchmark started (no report written)…`);
    await cleanup();
    fs.rmSync(logDir, { recursive: true, force: true });
    process.exit(130);
  });
}

// ───────────────────────────── helpers ─────────────────────────────

function freePort(from, to, taken) {
  return new Promise((resolve, reject) => {
    const tryPort = (port) => {
      if (port > to) return reject(new Error(`no free port in ${from}-${to}`));
      if (taken.has(port)) return tryPort(port + 1);
      const srv = net.createServer();
      srv.once("error", () => tryPort(port + 1));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(port)));
    };
    tryPort(from);
  });
}

/** Runs a command to completion with its output in a log file; resolves to { code, tail }. */
function runLogged(name, cmd, args, { cwd, env, timeoutMs }) {
  const file = path.join(logDir, `${name}.log`);
  const out = fs.openSync(file, "w");
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", out, out], detached: true });
    const timer = setTimeout(() => stop(child, 2000), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(out);
      const text = fs.readFileSync(file, "utf8");
      resolve({ code: code ?? (signal ? 128 : 1), tail: text.trim().split("\n").slice(-15).join("\n"), file });
    });
  });
}

function startServer(name, cmd, args, { cwd, env }) {
  const file = path.join(logDir, `${name}.log`);
  const out = fs.openSync(file, "w");
  const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", out, out], detached: true });
  fs.closeSync(out);
  const server = { name, child, log: file };
  started.servers.push(server);
  return server;
}

const logTail = (file, lines = 20) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n") : "");

async function waitForHttp(url, server, timeoutMs, init) {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited (${server.child.exitCode}) before answering:\n${logTail(server.log)}`);
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 500 || init) return res.status;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(250);
  }
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs / 1000} s (${last}):\n${logTail(server.log)}`);
}

function machine() {
  const cpus = os.cpus();
  const wrkVersion = spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0]?.replace(/\s+Copyright.*/, "") ?? "?";
  return {
    cpu: cpus[0]?.model ?? "?",
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    wrk: wrkVersion,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}

// ───────────────────────────── the load generator ─────────────────────────────

/** One wrk run; resolves to its BENCH_JSON summary plus the first error body it saw, if any. */
function wrk(url, mode, seconds, extraEnv = {}, { connections = cfg.connections, threads = cfg.threads } = {}) {
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--timeout", "60s", "-s", path.join(HERE, "wrk-script.lua"), url];
  const env = { ...process.env, BENCH_MODE: mode, BENCH_RUN_ID: runId, BENCH_BATCH_SIZE: String(cfg.batchSize), ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    started.wrk = child;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    // Bounded: wrk stops itself after `seconds`; this only catches a hung run.
    const timer = setTimeout(() => stop(child, 1000), (seconds + 90) * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      started.wrk = null;
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
      if (!line) return reject(new Error(`wrk exited ${code} without a summary: ${(stderr || stdout).trim().slice(0, 500)}`));
      const result = JSON.parse(line.slice("BENCH_JSON ".length));
      result.sample = stdout.split("\n").find((l) => l.startsWith("BENCH_SAMPLE "))?.slice("BENCH_SAMPLE ".length);
      resolve(result);
    });
  });
}

// ───────────────────────────── watching the database ─────────────────────────────

/**
 * wrk stops at its deadline, but the server goes on with the requests it was given: with 32 batches of
 * 100 in flight that is minutes of work, which would land on the next phase. So before each run we wait
 * (bounded) until no session of the bench database is busy.
 */
async function quiesce(mon, maxMs = 240_000) {
  const t0 = Date.now();
  let calm = 0;
  while (Date.now() - t0 < maxMs) {
    const [{ n }] = await mon`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')`;
    calm = n === 0 ? calm + 1 : 0;
    if (calm >= 3) return Date.now() - t0;
    await sleep(200);
  }
  return null;
}

/** Rows committed so far in the table a phase writes (null when it doesn't exist yet). */
async function committedRows(mon, table) {
  try {
    return (await mon.unsafe(`select count(*)::int as n from ${table}`))[0].n;
  } catch {
    return null;
  }
}

/** Samples what the database's busy sessions wait on, four times a second: where a phase's time goes. */
function waitSampler(mon) {
  const counts = new Map();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await mon`select coalesce(wait_event_type || ':' || wait_event, 'on CPU') as w from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction')`.catch(() => []);
      samples++;
      for (const { w } of rows) counts.set(w, (counts.get(w) ?? 0) + 1);
      await sleep(250);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      // Average number of sessions in each state: 9.5 × Lock:advisory means 9.5 of the pool's sessions queue on it.
      return [...counts.entries()].map(([w, n]) => ({ wait: w, sessions: n / Math.max(1, samples) })).sort((a, b) => b.sessions - a.sessions);
    },
  };
}

function summarize(phase, r) {
  const seconds = r.durationUs / 1e6;
  const count = (codes, test) => Object.entries(codes).reduce((n, [code, c]) => n + (test(Number(code)) ? c : 0), 0);
  const s = {
    requests: r.requests,
    rps: r.requests / seconds,
    p50ms: r.latencyUs.p50 / 1000,
    p99ms: r.latencyUs.p99 / 1000,
    ok: count(r.statuses, (c) => c < 300),
    c4xx: count(r.statuses, (c) => c >= 400 && c < 500),
    c5xx: count(r.statuses, (c) => c >= 500),
    socketErrors: r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
    sample: r.sample,
  };
  if (phase === "batch") {
    const itemsSeen = count(r.itemStatuses, () => true);
    s.itemsOk = count(r.itemStatuses, (c) => c < 300);
    s.item4xx = count(r.itemStatuses, (c) => c >= 400 && c < 500);
    s.item5xx = count(r.itemStatuses, (c) => c >= 500);
    // If the batch answer's shape ever changes so items can't be counted, fall back to requests × size.
    s.itemsPerSec = (itemsSeen ? s.itemsOk : s.ok * cfg.batchSize) / seconds;
  }
  return s;
}

// ───────────────────────────── setup ─────────────────────────────

function newestSourceMtime(dir) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p)) if (!e.startsWith(".") && e !== "node_modules") walk(path.join(p, e));
    } else if (/\.(tsx?|mjs|js|css|json|sql)$/.test(p) && !/\.test\.tsx?$/.test(p)) newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ["app", "lib", "db", "components", "proxy.ts", "instrumentation.ts", "next.config.ts", "package.json", "package-lock.json"]) walk(path.join(dir, p));
  return newest;
}

/** Copies the tracked and untracked (not ignored) files, and hard-links node_modules, into a temp folder. */
function makeSnapshot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-bench-app-"));
  started.snapshotDir = dir;
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  let copied = 0;
  for (const rel of listed.stdout.split("\0").filter(Boolean)) {
    const from = path.join(REPO, rel);
    if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, rel));
    copied++;
  }
  // Hard links: instant and no extra space. Turbopack refuses a node_modules symlinked from outside the project.
  const cp = spawnSync("cp", ["-al", path.join(REPO, "node_modules"), path.join(dir, "node_modules")]);
  if (cp.status !== 0) throw new Error(`could not link node_modules: ${cp.stderr}`);
  log(`  snapshot of the working tree (${copied} files) in ${dir}`);
  return dir;
}

async function ensureBuild(appDir) {
  const buildId = path.join(appDir, ".next", "BUILD_ID");
  if (fs.existsSync(buildId)) {
    const stale = newestSourceMtime(appDir) > fs.statSync(buildId).mtimeMs;
    if (!stale) return log("  production build: present and newer than the sources");
    if (opt["skip-build"]) {
      note("the production build is older than some sources (--skip-build: serving it anyway)");
      return;
    }
    log("  production build: older than the sources, rebuilding");
  } else log("  production build: none yet, building");
  log(`  next build … (a few minutes on 2 cores; log: ${path.join(logDir, "next-build.log")})`);
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.NODE_ENV;
  const t0 = Date.now();
  const r = await runLogged("next-build", path.join(appDir, "node_modules/.bin/next"), ["build"], { cwd: appDir, env, timeoutMs: 20 * 60_000 });
  if (r.code !== 0) throw new Error(`next build failed (exit ${r.code}):\n${r.tail}`);
  log(`  built in ${Math.round((Date.now() - t0) / 1000)} s`);
}

async function createDatabase(appDir, withApp) {
  const admin = postgres(pgUrl.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${opt.database} with (force)`);
    await admin.unsafe(`create database ${opt.database}`);
    started.database = true;
  } finally {
    await admin.end({ timeout: 2 });
  }
  if (!withApp) return;
  const env = { ...process.env, DATABASE_URL: dbUrl, DEMO_API_KEY };
  delete env.NODE_ENV;
  const tsx = path.join(appDir, "node_modules/.bin/tsx");
  for (const script of ["db-migrate", "db-seed"]) {
    const r = await runLogged(script, tsx, ["--conditions=react-server", `scripts/${script}.ts`], { cwd: appDir, env, timeoutMs: 5 * 60_000 });
    if (r.code !== 0) throw new Error(`${script} failed (exit ${r.code}):\n${r.tail}`);
  }
}

/** One submission and one 2-item batch before loading the API, so a broken API is reported, not benchmarked. */
async function probeApi(base) {
  const headers = { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" };
  const item = (n) => ({ taskType: "refund.issue", title: `Bench probe ${n}`, action: { orderId: `A-${n}`, amount: 12.5 }, confidence: 0.9, amount: { value: 12.5, currency: "USD" } });
  const probes = [
    ["POST /api/v1/reviews", `${base}/api/v1/reviews`, { ...headers, "idempotency-key": `bench-probe-${Date.now()}` }, item(1), 201],
    ["POST /api/v1/reviews/batch", `${base}/api/v1/reviews/batch`, headers, { items: [item(2), { ...item(3), idempotencyKey: `bench-probe-b-${Date.now()}` }] }, 200],
  ];
  const problems = {};
  for (const [name, url, h, body, want] of probes) {
    try {
      const res = await fetch(url, { method: "POST", headers: h, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.status !== want) problems[name] = `HTTP ${res.status}: ${text.slice(0, 400)}`;
      else if (name.endsWith("batch") && !/"status":201/.test(text)) problems[name] = `items not created: ${text.slice(0, 400)}`;
    } catch (e) {
      problems[name] = e.message;
    }
  }
  return problems;
}

// ───────────────────────────── the run ─────────────────────────────

const PHASES = {
  bare: { title: "bare node:http + postgres.js insert", unit: "req/s", mode: "bare", table: "bare_inserts" },
  health: { title: "GET /api/health (framework ceiling)", unit: "req/s", mode: "get" },
  single: { title: "POST /api/v1/reviews (1 submission)", unit: "req/s", mode: "single", table: "reviews" },
  batch: { title: `POST /api/v1/reviews/batch (${cfg.batchSize} items)`, unit: "items/s", mode: "batch", table: "reviews" },
};

async function main() {
  const info = machine();
  const load = { start: os.loadavg().map((l) => l.toFixed(2)).join(" ") };
  log(`Countersign agent-API benchmark — ${info.date}`);
  log(`  ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, ${info.wrk}; load average ${load.start}`);
  log(`  ${cfg.connections} connections, ${cfg.threads} wrk threads, ${cfg.warmup} s warm-up + ${cfg.duration} s (batch ${cfg.batchDuration} s) × ${cfg.repeats}; logs in ${logDir}`);

  if (spawnSync("wrk", ["--version"]).error) throw new Error("wrk is not installed (Debian: apt-get install -y wrk)");

  const results = Object.fromEntries(cfg.phases.map((p) => [p, []]));
  const skipped = {};
  const wantApp = cfg.phases.some((p) => p !== "bare");
  const wantApi = cfg.phases.some((p) => p === "single" || p === "batch");
  let appDir = opt["app-dir"] ? path.resolve(opt["app-dir"]) : REPO;
  let pgVersion = "?";

  // Database first: the bare server needs it too.
  log("setup");
  {
    const admin = postgres(pgUrl.toString(), { max: 1, onnotice: () => {} });
    try {
      pgVersion = (await admin`show server_version`)[0].server_version;
    } finally {
      await admin.end({ timeout: 2 });
    }
  }
  let appReady = wantApp;
  try {
    if (wantApp && opt.snapshot) appDir = makeSnapshot();
    await createDatabase(appDir, wantApp);
    log(`  database ${opt.database}: created${wantApp ? ", migrated, seeded" : ""} (PostgreSQL ${pgVersion})`);
  } catch (e) {
    // The bare phase needs only an empty database.
    note(`app setup failed: ${e.message}`);
    appReady = false;
    if (!started.database) throw e;
  }
  if (appReady) {
    try {
      await ensureBuild(appDir);
    } catch (e) {
      note(e.message);
      appReady = false;
    }
  }

  const taken = new Set();
  const targets = {};
  if (cfg.phases.includes("bare")) {
    const port = await freePort(3400, 3499, taken);
    taken.add(port);
    const server = startServer("bare-insert-server", process.execPath, [path.join(HERE, "bare-insert-server.mjs")], {
      cwd: REPO,
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port) },
    });
    // Any status means it listens; a GET answers 405.
    await waitForHttp(`http://127.0.0.1:${port}/`, server, 30_000);
    targets.bare = `http://127.0.0.1:${port}/`;
    log(`  bare server on :${port}`);
  }

  let app = null;
  const samplers = [];
  let startApp = null;
  if (wantApp && appReady) {
    const port = await freePort(3400, 3499, taken);
    taken.add(port);
    const env = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: dbUrl,
      AUTH_SECRET: "bench-auth-secret-0123456789abcdefghijklmn",
      AUDIT_HMAC_KEY: "bench-audit-key-not-for-production-0123456789abcdef",
      API_RATE_LIMIT_PER_MINUTE: "100000000",
    };
    const base = `http://127.0.0.1:${port}`;
    let starts = 0;
    startApp = async () => {
      if (app) {
        await stop(app.child);
        started.servers = started.servers.filter((s) => s !== app);
      }
      starts++;
      app = startServer(`next-start-${starts}`, path.join(appDir, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { cwd: appDir, env });
      const t0 = Date.now();
      const status = await waitForHttp(`${base}/api/health`, app, 90_000);
      if (status !== 200) throw new Error(`GET /api/health answered ${status} (is the build older than the route?)`);
      samplers.push(memorySampler(app.child.pid));
      return (Date.now() - t0) / 1000;
    };
    try {
      const seconds = await startApp();
      log(`  app (next start) on :${port}, ready in ${seconds.toFixed(1)} s`);
      targets.health = `${base}/api/health`;
      if (wantApi) {
        const problems = await probeApi(base);
        for (const [name, problem] of Object.entries(problems)) note(`probe ${name} failed — ${problem}`);
        if (!problems["POST /api/v1/reviews"]) targets.single = `${base}/api/v1/reviews`;
        if (!problems["POST /api/v1/reviews/batch"]) targets.batch = `${base}/api/v1/reviews/batch`;
      }
    } catch (e) {
      note(e.message);
    }
  }
  for (const p of cfg.phases) if (!targets[p]) skipped[p] = p === "bare" ? "server did not start" : appReady ? "the app or this endpoint did not work (see notes)" : "the app could not be set up (see notes)";

  // Rounds interleave the phases, so a burst of noise from a neighbour hits all of them, not one.
  const active = cfg.phases.filter((p) => targets[p]);
  const mon = postgres(dbUrl, { max: 1, onnotice: () => {} });
  started.monitor = mon;
  const drains = [];
  const restarts = [];
  // wrk stops at its deadline but the server goes on with what it was sent. The bare server drains in
  // moments; an app still busy after 10 s (e.g. 32 abandoned batches of 100) is restarted instead of
  // waited for, so the leftovers don't run into the next phase.
  const settle = async (phase, where) => {
    const isApp = phase !== "bare" && startApp;
    const ms = await quiesce(mon, isApp ? 10_000 : 240_000);
    if (ms !== null) {
      if (ms > 2000) drains.push({ where, seconds: ms / 1000 });
      return;
    }
    if (!isApp) return note(`the database was still busy 240 s ${where}; went on anyway`);
    restarts.push(where);
    await startApp();
    if ((await quiesce(mon, 60_000)) === null) note(`the database was still busy after restarting the app ${where}`);
  };
  for (let round = 1; round <= cfg.repeats; round++) {
    log(`round ${round}/${cfg.repeats}`);
    for (const phase of active) {
      const { mode, table } = PHASES[phase];
      const seconds = phase === "batch" ? cfg.batchDuration : cfg.duration;
      const env = { BENCH_TOKEN: DEMO_API_KEY };
      try {
        // A full batch warm-up would leave 32 × 100 items behind; a light one warms the same code.
        if (phase === "batch") await wrk(targets[phase], mode, cfg.warmup, { ...env, BENCH_BATCH_SIZE: "10" }, { connections: 2, threads: 1 });
        else await wrk(targets[phase], mode, cfg.warmup, env);
        await settle(phase, `after the ${phase} warm-up`);
        const before = table ? await committedRows(mon, table) : null;
        const waits = waitSampler(mon);
        const cpu = app && phase !== "bare" ? cpuWindow(app.child.pid) : null;
        const raw = await wrk(targets[phase], mode, seconds, env);
        const cpuUse = cpu?.();
        const after = table ? await committedRows(mon, table) : null;
        const s = summarize(phase, raw);
        s.waits = await waits.stop();
        await settle(phase, `after the ${phase} run`);
        // Rows committed during the window, whether or not their request finished inside it.
        if (before !== null && after !== null) s.committedPerSec = (after - before) / (raw.durationUs / 1e6);
        // A batch can take longer than the window; then the server-side count is the only measure.
        if (phase === "batch" && s.committedPerSec !== undefined) s.itemsPerSec = s.committedPerSec;
        // The app's CPU per request (per item for batches): what a like-for-like ratio of work looks like.
        const done = phase === "batch" ? (s.itemsPerSec ?? 0) * (raw.durationUs / 1e6) : s.requests;
        if (cpuUse) s.cpu = { ...cpuUse, appMsPerUnit: done ? (1000 * cpuUse.appSeconds) / done : null };
        results[phase].push(s);
        const rate = phase === "batch" ? `${s.itemsPerSec.toFixed(0)} items/s (${s.rps.toFixed(2)} batches/s done)` : `${s.rps.toFixed(0)} req/s`;
        const bad = [s.c4xx && `${s.c4xx}×4xx`, s.c5xx && `${s.c5xx}×5xx`, s.item4xx && `${s.item4xx} items 4xx`, s.item5xx && `${s.item5xx} items 5xx`, s.socketErrors && `${s.socketErrors} socket errors/timeouts`].filter(Boolean);
        const latency = s.requests ? `p50 ${s.p50ms.toFixed(1)} ms  p99 ${s.p99ms.toFixed(1)} ms` : `no request completed within ${seconds} s`;
        const top = s.waits.slice(0, 2).map((w) => `${w.wait} ${w.sessions.toFixed(1)}`).join(", ");
        log(`  ${phase.padEnd(6)} ${rate.padEnd(36)} ${latency}${bad.length ? `  [${bad.join(", ")}]` : ""}${top ? `  db: ${top}` : ""}`);
        if (s.sample && bad.length) log(`         first error: ${s.sample.slice(0, 300)}`);
      } catch (e) {
        note(`${phase} round ${round}: ${e.message}`);
      }
    }
  }

  const peaks = samplers.map((m) => m.peak()).filter(Boolean);
  const peak = peaks.length ? peaks.reduce((a, b) => (b.hwmMiB > a.hwmMiB ? b : a)) : null;
  if (peak) peak.instances = peaks.length;
  load.end = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  if (app && app.child.exitCode !== null) note(`the app exited during the run (${app.child.exitCode}):\n${logTail(app.log)}`);
  const appLogs = fs.readdirSync(logDir).filter((f) => f.startsWith("next-start-"));
  const appErrors = appLogs.flatMap((f) => fs.readFileSync(path.join(logDir, f), "utf8").split("\n").filter((l) => /error|\[api /i.test(l))).slice(0, 5);
  if (appErrors.length) note(`the app logged errors, e.g.:\n    ${appErrors.join("\n    ")}`);

  return { info, load, pgVersion, results, skipped, peak, appDir, drains, restarts };
}

// ───────────────────────────── the report ─────────────────────────────

function render({ info, load, pgVersion, results, skipped, peak, appDir, drains, restarts }) {
  const f0 = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const spread = (xs, f = f0) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  const rateOf = (phase, s) => (phase === "batch" ? s.itemsPerSec : s.rps);

  const rows = [];
  for (const phase of Object.keys(results)) {
    const runs = results[phase];
    if (!runs.length) {
      rows.push(`| ${PHASES[phase].title} | — | — | — | — | — | ${skipped[phase] ?? "no run succeeded"} |`);
      continue;
    }
    const rates = runs.map((s) => rateOf(phase, s));
    const sum = (k) => runs.reduce((n, s) => n + (s[k] ?? 0), 0);
    const errs = [
      `${sum("c4xx")} / ${sum("c5xx")}`,
      phase === "batch" ? ` (items: ${sum("item4xx")} / ${sum("item5xx")})` : "",
      sum("socketErrors") ? `; ${sum("socketErrors")} socket errors/timeouts` : "",
    ].join("");
    const extra = phase === "batch" ? ` (${f0(median(runs.map((s) => s.rps)))} batches/s completed)` : "";
    // Latency only from runs in which some request completed (a batch can outlast the window).
    const timed = runs.filter((s) => s.requests > 0);
    const lat = (k) => (timed.length ? `${f0(median(timed.map((s) => s[k])))} (${spread(timed.map((s) => s[k]))})` : "— (none completed)");
    const runsCell = timed.length === runs.length ? `${runs.length}` : `${runs.length} (${timed.length} with a completed request)`;
    rows.push(`| ${PHASES[phase].title} | **${f0(median(rates))}** ${PHASES[phase].unit}${extra} | ${spread(rates)} | ${lat("p50ms")} | ${lat("p99ms")} | ${runsCell} | ${errs} |`);
  }

  const ratio = (num, den, target, label) => {
    const a = results[num] ?? [];
    const b = results[den] ?? [];
    if (!a.length || !b.length) return `| ${label} | — | — | ≥ ${target} | not measured |`;
    const ra = a.map((s) => rateOf(num, s));
    const rb = b.map((s) => rateOf(den, s));
    const value = median(ra) / median(rb);
    // Per-round ratios show how much of the spread is shared noise (both sides slowed together).
    const perRound = ra.slice(0, rb.length).map((x, i) => x / rb[i]);
    return `| ${label} | **${value.toFixed(2)}** | ${perRound.length ? spread(perRound, (x) => x.toFixed(2)) : "—"} | ≥ ${target} | ${value >= target ? "met" : "missed"} |`;
  };

  const lines = [
    "# Agent API benchmark",
    "",
    "Generated by `npm run bench:api` (`e2e/load/run.mjs`). Figures from one run on a shared machine; a benchmark, not a test: nothing here fails CI.",
    "",
    `- Date: ${info.date}`,
    `- Machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB memory, ${info.os}`,
    `- Node ${info.node}, PostgreSQL ${pgVersion} (127.0.0.1), load generator ${info.wrk}`,
    `- Load: ${cfg.connections} connections, ${cfg.threads} wrk threads; each run ${cfg.warmup} s warm-up + ${cfg.duration} s measured (batch ${cfg.batchDuration} s); ${cfg.repeats} rounds, phases interleaved in each round`,
    `- Load average (1/5/15 min) at start: ${load.start}; at end: ${load.end}`,
    `- App: \`next start\` (production build) from ${appDir === REPO ? "the working tree" : `\`${appDir}\``}, \`API_RATE_LIMIT_PER_MINUTE=100000000\`; bodies ~1.1 KB \`refund.issue\` submissions (approve_before_action), unique \`Idempotency-Key\` per request or item`,
    "",
    "| phase | median | min–max | p50 ms (min–max) | p99 ms (min–max) | runs | 4xx / 5xx |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows,
    "",
    "| ratio (of medians) | value | per round min–max | target | |",
    "|---|---:|---:|---:|---|",
    ratio("single", "health", "0.5", "single submissions ÷ framework ceiling"),
    ratio("batch", "bare", "1.0", "batch items/s ÷ bare single-insert server"),
    "",
    peak
      ? `Peak memory of the app: VmHWM ${peak.hwmMiB.toFixed(0)} MiB (pid ${peak.pid}, \`${peak.label}\`); the process tree's sampled RSS peaked at ${peak.treePeakMiB.toFixed(0)} MiB over ${peak.processes} process(es).`
      : "Peak memory of the app: not measured (the app did not run).",
  ];
  const waitLines = [];
  for (const [phase, runs] of Object.entries(results)) {
    if (!PHASES[phase].table || !runs.length) continue;
    const sums = new Map();
    for (const s of runs) for (const w of s.waits ?? []) sums.set(w.wait, (sums.get(w.wait) ?? 0) + w.sessions / runs.length);
    const top = [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
    if (top.length) waitLines.push(`- ${phase}: ${top.map(([w, n]) => `${w} ${n.toFixed(1)}`).join(", ")}`);
  }
  const cpuRows = Object.keys(results)
    .filter((phase) => results[phase].some((r) => r.cpu))
    .map((phase) => {
      const runs = results[phase].filter((r) => r.cpu);
      const pct = (k) => `${(100 * median(runs.map((r) => r.cpu[k]))).toFixed(0)}%`;
      const perUnit = runs.map((r) => r.cpu.appMsPerUnit).filter((x) => x !== null);
      return `| ${PHASES[phase].title} | ${pct("app")} | ${pct("postgres")} | ${pct("other")} | ${pct("idle")} | ${perUnit.length ? median(perUnit).toFixed(2) : "—"} ${phase === "batch" ? "per item" : "per request"} |`;
    });
  if (cpuRows.length) {
    lines.push(
      "",
      `Where the machine's CPU went during the measured windows (share of all ${info.cores} cores, medians over the rounds; from /proc):`,
      "",
      "| phase | app | PostgreSQL | other (wrk, kernel, …) | idle | app CPU ms |",
      "|---|---:|---:|---:|---:|---:|",
      ...cpuRows,
    );
  }
  if (waitLines.length) {
    lines.push(
      "",
      "Where the database time went (busy sessions of the bench database, sampled 4×/s during the measured windows: average number of sessions in each wait state; `Client:ClientRead` is PostgreSQL waiting on the app):",
      ...waitLines,
    );
  }
  if (results.batch?.length) {
    lines.push("", "Batch items/s count the `reviews` rows committed during the measured window (server side), so a batch still running at the deadline counts for the items it finished; completed batches/s is what wrk saw.");
  }
  if (restarts?.length) {
    lines.push("", `The app was restarted ${restarts.length} time(s) because it was still working on requests wrk had abandoned at its deadline 10 s later (${[...new Set(restarts)].join("; ")}); the peak memory above is the largest of its ${peak?.instances ?? "?"} instance(s).`);
  }
  if (drains?.length) {
    const worst = drains.reduce((a, b) => (b.seconds > a.seconds ? b : a));
    lines.push("", `Between runs the benchmark waits for the database to go idle (the server keeps working on requests wrk abandoned at its deadline): ${drains.length} waits over 2 s, the longest ${worst.seconds.toFixed(0)} s (${worst.where}).`);
  }
  if (notes.length) lines.push("", "Notes:", ...notes.map((n) => `- ${n.replaceAll("\n", "\n  ")}`));
  return lines.join("\n") + "\n";
}

let exitCode = 0;
try {
  const outcome = await main();
  // After Ctrl-C the signal handler cleans up and exits; a half-run must not overwrite the report.
  if (interrupted) await new Promise(() => {});
  const report = render(outcome);
  log("");
  log(report);
  if (!opt["no-report"]) {
    fs.writeFileSync(REPORT, report);
    log(`written to ${path.relative(process.cwd(), REPORT)}`);
  }
  if (!Object.values(outcome.results).some((r) => r.length)) exitCode = 1;
} catch (e) {
  console.error(`benchmark could not run: ${e.message}`);
  exitCode = 1;
} finally {
  await cleanup();
}
if (exitCode || notes.length) console.error(`logs kept in ${logDir}`);
else fs.rmSync(logDir, { recursive: true, force: true });
process.exit(exitCode);
