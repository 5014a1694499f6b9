// `node e2e/load/queue-bench.mjs` — the reviewer queue under load, on 1,000,000 reviews (5% pending),
// in one run, each figure beside its reference point:
//   bare    the claim statement claimNext sends, run by 16 postgres.js callers (16 connections), one
//           reviewer each: the database's limit for a claim (queue/claim-bare.mjs)
//   app     the app's claimNext called by 16 concurrent callers in one Node process, over the app's
//           own client and Scopes (queue/claim-app.ts, run with tsx --conditions=react-server)
//   health  GET /api/health of the production app: a constant route handler, the framework ceiling
//   next    "Next item": the server action nextItemAction POSTed to /queue by signed-in reviewers
//   ttfb    time to first byte of GET /queue, signed in, one request at a time
// Ratios: app ÷ bare (target ≥ 0.8), next ÷ health (target ≥ 0.5); ttfb p95 target < 200 ms.
// Claims consume the queue, so the claims are reset (and the table vacuumed) before each measured
// window: every window starts from the same 50,000 free items.
//
// Prints figures and writes REPORT-queue.md; never fails on a timing (a benchmark is not a test). It
// exits non-zero only when it could not measure at all. Everything it starts (database, build copy,
// servers, workers) it also stops, on success, on failure and on Ctrl-C.
//
// Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, trust auth) and wrk
// (Debian: apt-get install -y wrk). Options: node e2e/load/queue-bench.mjs --help
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { median, memorySampler, signIn, sleep, stop } from "./lib.mjs";
import { CLAIM_SQL, claimParams, normalizeSql } from "./queue/claim-statement.mjs";

const HERE = import.meta.dirname;
const REPO = path.resolve(HERE, "../..");
const REPORT = path.join(HERE, "REPORT-queue.md");
const DEMO_PASSWORD = "countersign";
const ACTION_NAME = "nextItemAction";
const QUEUE_PREDICATE = `needs_human and reviewed_at is null and status in ('pending', 'approved')`;

const { values: opt } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    "pending-share": { type: "string", default: "0.05" },
    repeats: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    callers: { type: "string", default: "16" },
    connections: { type: "string", default: "16" },
    threads: { type: "string", default: "2" },
    "ttfb-requests": { type: "string", default: "200" },
    phases: { type: "string", default: "bare,app,health,next,ttfb" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432" },
    database: { type: "string", default: "countersign_bench_queue" },
    "app-dir": { type: "string" },
    "keep-snapshot": { type: "boolean", default: false },
    worktree: { type: "boolean", default: false },
    "app-node-args": { type: "string" },
    "no-report": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opt.help) {
  console.log(`node e2e/load/queue-bench.mjs [options]
  --rows N            reviews in the database (default 1000000)
  --pending-share X   share of them pending, i.e. in the queue (default 0.05)
  --repeats N         rounds; each runs every phase once, the median and min–max are reported (default 3)
  --duration S        measured seconds per run (default 10); --warmup S before each (default 3)
  --callers N         concurrent claimers in phases bare and app (default 16), one reviewer each
  --connections N     wrk connections in phases health and next (default 16); --threads N (default 2)
  --ttfb-requests N   at most N GET /queue requests per round for the time to first byte, one at a
                      time for --duration seconds, at least 20 (default 200)
  --phases LIST       any of bare,app,health,next,ttfb (default all five)
  --pg-url URL        PostgreSQL server, no database (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432)
  --database NAME     the scratch database, created and dropped (default countersign_bench_queue)
  --app-dir DIR       use the app (and its production build) in DIR instead of building a copy; without
                      it the committed code (HEAD) is copied to a temp folder and built there, so the
                      shared .next is never touched and others' half-written files can't break the build
  --worktree          copy the working tree (tracked and untracked files, as they are now) instead of HEAD
  --app-node-args=S   node flags for next start only, e.g. to profile the app under the load:
                      --app-node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" (written when it stops)
  --keep-snapshot     keep that copy (then rerun with --app-dir <the folder it prints>)
  --no-report         print only; don't rewrite e2e/load/REPORT-queue.md`);
  process.exit(0);
}

const num = (name, { int = true, max = Infinity } = {}) => {
  const n = Number(opt[name]);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a positive number${max < Infinity ? ` up to ${max}` : ""}`);
  return int ? Math.round(n) : n;
};
const cfg = {
  rows: num("rows"),
  pendingShare: num("pending-share", { int: false, max: 0.5 }),
  repeats: num("repeats"),
  duration: num("duration", { int: false }),
  warmup: num("warmup", { int: false }),
  callers: num("callers"),
  connections: num("connections"),
  threads: num("threads"),
  ttfbRequests: num("ttfb-requests"),
  phases: opt.phases.split(",").map((p) => p.trim()).filter(Boolean),
};
const ALL_PHASES = ["bare", "app", "health", "next", "ttfb"];
for (const p of cfg.phases) if (!ALL_PHASES.includes(p)) throw new Error(`unknown phase ${p}`);
if (!/^[a-z_][a-z0-9_]*$/.test(opt.database)) throw new Error("--database must be a plain lowercase identifier");
const wantHttp = cfg.phases.some((p) => ["health", "next", "ttfb"].includes(p));
const reviewerCount = Math.max(cfg.callers, wantHttp ? cfg.connections : 0);

// ───────────────────────────── bookkeeping of what we started ─────────────────────────────

const started = { children: new Set(), database: false, snapshotDir: null, conns: new Set() };
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-queue-bench-"));
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

function connect(url, max = 1) {
  const sql = postgres(url, { max, onnotice: () => {} });
  started.conns.add(sql);
  return sql;
}
async function disconnect(sql) {
  started.conns.delete(sql);
  await sql.end({ timeout: 2 }).catch(() => {});
}

/** Every child runs in its own process group (detached), so stopping it stops what it started too. */
function startChild(name, cmd, args, { cwd, env, stdin = "ignore" }) {
  const file = path.join(logDir, `${name}.log`);
  const out = fs.openSync(file, "a");
  const child = spawn(cmd, args, { cwd, env, stdio: [stdin, stdin === "pipe" ? "pipe" : out, out], detached: true });
  fs.closeSync(out);
  started.children.add(child);
  child.on("exit", () => started.children.delete(child));
  return { name, child, log: file };
}

let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const child of [...started.children]) await stop(child, 3000);
    for (const sql of [...started.conns]) await disconnect(sql);
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

/** Runs a command to completion with its output in a log file; resolves to { code, tail, text }. */
function runLogged(name, cmd, args, { cwd, env, timeoutMs }) {
  const { child, log: file } = startChild(name, cmd, args, { cwd, env });
  return new Promise((resolve) => {
    const timer = setTimeout(() => stop(child, 2000), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const text = fs.readFileSync(file, "utf8");
      resolve({ code: code ?? (signal ? 128 : 1), tail: text.trim().split("\n").slice(-15).join("\n"), text, file });
    });
  });
}

const logTail = (file, lines = 20) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n") : "");

async function waitForHttp(url, server, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited (${server.child.exitCode}) before answering:\n${logTail(server.log)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 500) return res.status;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(250);
  }
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs / 1000} s (${last}):\n${logTail(server.log)}`);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function machine() {
  const cpus = os.cpus();
  const wrkVersion = spawnSync("wrk", ["--version"], { encoding: "utf8" }).stdout?.split("\n")[0]?.replace(/\s+Copyright.*/, "") ?? "?";
  const git = (...args) => spawnSync("git", args, { cwd: REPO, encoding: "utf8" }).stdout?.trim() ?? "";
  return {
    cpu: cpus[0]?.model ?? "?",
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    wrk: wrkVersion,
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain").split("\n").filter(Boolean).length,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}

// ───────────────────────────── the database ─────────────────────────────

/**
 * The bulk data: `rows` reviews over 42 days in the demo organization's five task types (and so its
 * two workspaces), one statement from generate_series. The newest items are the pending ones, as in
 * a queue people keep up with: two in three of the last 3/2 × share of the rows (5% of all when the
 * share is 5%), with a realistic mix of priorities. The rest are decided (approved, one in 17
 * rejected), out of the queue. No decision rows: nothing measured here reads them.
 */
async function bulkReviews(sql) {
  const pendingFrom = Math.floor(cfg.rows * (1 - 1.5 * cfg.pendingShare));
  // Foreign keys are satisfied by construction; skipping their triggers and building the secondary
  // indexes after the load (from their own definitions) makes a million rows take seconds.
  await sql`set session_replication_role = replica`;
  await sql`set synchronous_commit = off`;
  await sql`set maintenance_work_mem = '256MB'`;
  const indexes = await sql`select c.relname as name, pg_get_indexdef(i.indexrelid) as def from pg_index i
    join pg_class c on c.oid = i.indexrelid where i.indrelid = 'reviews'::regclass and not i.indisprimary and not i.indisunique`;
  for (const { name } of indexes) await sql.unsafe(`drop index "${name}"`);
  await sql`
    with tt as (
      select array_agg(t.id order by t.key) as ids, array_agg(t.workspace_id order by t.key) as ws, array_agg(t.mode order by t.key) as modes,
        array_agg(t.key order by t.key) as keys, (array_agg(t.organization_id))[1] as org
      from task_types t join organizations o on o.id = t.organization_id where o.slug = 'acme'
    ), g as (
      select i, 1 + (i * 7) % array_length(tt.ids, 1) as k,
        now() - interval '42 days' + (i::float8 / ${cfg.rows}) * interval '42 days' as created,
        (i > ${pendingFrom} and i % 3 <> 0) as pending,
        case when i % 20 = 0 then 'urgent' when i % 20 < 4 then 'high' when i % 20 < 6 then 'low' else 'normal' end as priority
      from generate_series(1, ${cfg.rows}::int) i, tt
    )
    insert into reviews (organization_id, workspace_id, task_type_id, status, mode, needs_human, blocking, routing_reasons, title, action, context,
      confidence, amount_value, amount_currency, priority, external_id, sla_due_at, created_at, updated_at, decided_at, reviewed_at)
    select tt.org, tt.ws[g.k], tt.ids[g.k],
      case when g.pending then 'pending' when i % 17 = 0 then 'rejected' else 'approved' end,
      tt.modes[g.k], true, true, array['mode:' || tt.modes[g.k]],
      'Bench item ' || i || ' for ' || tt.keys[g.k],
      jsonb_build_object('orderId', 'A-' || lpad((i % 1000000)::text, 6, '0'), 'customerId', 'C-' || (i % 100000), 'amount', (i % 40000) / 100.0, 'reason', 'damaged'),
      jsonb_build_object('ticketId', 'T-' || i, 'previousRefunds90d', i % 3,
        'customerMessage', 'The item arrived damaged and I would like a refund to my original payment method, please.'),
      0.5 + (i % 50) / 100.0, (i % 40000) / 100.0, 'USD', g.priority, 'bench-' || i,
      g.created + interval '4 hours', g.created, g.created,
      case when g.pending then null else g.created + interval '20 minutes' end,
      case when g.pending then null else g.created + interval '20 minutes' end
    from g, tt`;
  for (const { def } of indexes) await sql.unsafe(def);
  await sql`set session_replication_role = origin`;
}

/**
 * Reviewers for the load, members of both workspaces with the demo password (the hash is copied from
 * the demo reviewer, so no hashing here): bench-reviewer-01@acme.test, …
 */
async function benchReviewers(sql, n) {
  await sql`
    with src as (select u.password_hash, m.organization_id from users u join memberships m on m.user_id = u.id where u.email = 'reviewer@acme.test'),
    nu as (
      insert into users (email, name, password_hash)
      select format('bench-reviewer-%s@acme.test', lpad(n::text, 2, '0')), format('Bench Reviewer %s', n), src.password_hash from src, generate_series(1, ${n}::int) n
      returning id
    ), m as (
      insert into memberships (organization_id, user_id, role) select src.organization_id, nu.id, 'reviewer' from src, nu returning user_id, organization_id
    )
    insert into workspace_members (organization_id, workspace_id, user_id)
    select m.organization_id, w.id, m.user_id from m join workspaces w on w.organization_id = m.organization_id`;
  return sql`select u.email, u.id as "userId", m.organization_id as "organizationId" from users u join memberships m on m.user_id = u.id
    where u.email like 'bench-reviewer-%' order by u.email`;
}

async function createDatabase(appDir) {
  const admin = connect(pgUrl.toString());
  try {
    await admin.unsafe(`drop database if exists ${opt.database} with (force)`);
    await admin.unsafe(`create database ${opt.database}`);
    started.database = true;
  } finally {
    await disconnect(admin);
  }
  const env = { ...process.env, DATABASE_URL: dbUrl };
  delete env.NODE_ENV;
  const tsx = path.join(appDir, "node_modules/.bin/tsx");
  for (const script of ["db-migrate", "db-seed"]) {
    const r = await runLogged(script, tsx, ["--conditions=react-server", `scripts/${script}.ts`], { cwd: appDir, env, timeoutMs: 5 * 60_000 });
    if (r.code !== 0) throw new Error(`${script} failed (exit ${r.code}):\n${r.tail}`);
  }
  const sql = connect(dbUrl);
  try {
    const t0 = Date.now();
    await bulkReviews(sql);
    const reviewers = await benchReviewers(sql, reviewerCount);
    await sql`vacuum analyze`;
    const [counts] = await sql.unsafe(`select count(*)::int as total, (count(*) filter (where ${QUEUE_PREDICATE}))::int as queued,
      pg_size_pretty(pg_total_relation_size('reviews')) as size from reviews`);
    return { reviewers, ...counts, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await disconnect(sql);
  }
}

/** Gives every claimed item of the queue back, then vacuums, so each window starts from the same queue. */
async function resetClaims(sql) {
  const t0 = Date.now();
  const rows = await sql.unsafe(`update reviews set claimed_by = null, lease_expires_at = null where claimed_by is not null and ${QUEUE_PREDICATE}`);
  await sql`vacuum reviews`;
  return { released: rows.count, seconds: (Date.now() - t0) / 1000 };
}

const claimedCount = async (sql) => (await sql.unsafe(`select count(*)::int as n from reviews where claimed_by is not null and ${QUEUE_PREDICATE}`))[0].n;

/** EXPLAIN ANALYZE of the claim statement for one reviewer, rolled back so nothing is claimed. */
async function explainClaim(sql, scope, text = CLAIM_SQL) {
  let plan = [];
  try {
    await sql.begin(async (tx) => {
      plan = (await tx.unsafe(`explain (analyze, buffers, costs off) ${text}`, claimParams(scope, 10))).map((r) => r["QUERY PLAN"]);
      throw new Error("rollback");
    });
  } catch (e) {
    if (e.message !== "rollback") throw e;
  }
  return plan;
}

/** One line about a plan: how long, and whether the queue index gave the order or everything was sorted. */
function planSummary(plan) {
  const text = plan.join("\n");
  const ms = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
  const sort = /Sort Method: ([^\n]+)/.exec(text)?.[1]?.trim();
  const at = plan.findIndex((l) => /Index Scan using reviews_queue_idx on reviews /.test(l));
  const parts = [`${ms ?? "?"} ms`];
  if (at >= 0) {
    const [, rows, loops] = /rows=(\d+) loops=(\d+)\)/.exec(plan[at]) ?? [0, 0, 1];
    // The node's own detail lines follow it, indented deeper, until the next node.
    const detail = [];
    for (const l of plan.slice(at + 1)) {
      if (/^\s*->/.test(l)) break;
      detail.push(l);
    }
    const removed = Number(/Rows Removed by Filter: (\d+)/.exec(detail.join("\n"))?.[1] ?? 0) * Number(loops);
    parts.push(`reviews_queue_idx gave ${Number(rows) * Number(loops)} row(s)${removed ? ` after skipping ${removed} held or claimed` : ""}${Number(loops) > 1 ? ` (${loops} scans)` : ""}`);
  }
  else if (/Seq Scan on reviews/.test(text)) parts.push("sequential scan of reviews");
  parts.push(sort ? `then sorted them all (${sort}) before LIMIT 1` : "in index order (no sort)");
  return parts.join(", ");
}

/**
 * Samples the bench database's busy sessions 4×/s: what they wait on, which statements they run (a
 * poor man's profile of where the database time goes), and how busy the other databases are.
 */
function waitSampler(mon) {
  const counts = new Map();
  const queries = new Map();
  let samples = 0;
  let others = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await mon`select datname = current_database() as ours, coalesce(wait_event_type || ':' || wait_event, 'on CPU') as w,
          left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 160) as q
        from pg_stat_activity
        where pid <> pg_backend_pid() and state in ('active', 'idle in transaction') and backend_type = 'client backend'`.catch(() => []);
      samples++;
      for (const { ours, w, q } of rows) {
        if (!ours) {
          others++;
          continue;
        }
        counts.set(w, (counts.get(w) ?? 0) + 1);
        queries.set(q, (queries.get(q) ?? 0) + 1);
      }
      await sleep(250);
    }
  })();
  const share = (map, n) => [...map.entries()].map(([key, c]) => ({ key, sessions: c / n })).sort((a, b) => b.sessions - a.sessions);
  return {
    async stop() {
      running = false;
      await loop;
      const n = Math.max(1, samples);
      return {
        waits: share(counts, n).map(({ key, sessions }) => ({ wait: key, sessions })),
        queries: share(queries, n).slice(0, 5).map(({ key, sessions }) => ({ query: key, sessions })),
        otherSessions: others / n,
      };
    },
  };
}

// ───────────────────────────── phases (1) and (2): claim workers ─────────────────────────────

/**
 * Starts a claim worker, lets it warm up, resets the claims it made, then lets it measure. The
 * worker runs its callers in its own process, so the orchestrator's monitoring doesn't share its
 * event loop.
 */
async function claimPhase(kind, { appDir, scopes, mon, sql }) {
  const env = {
    ...process.env,
    BENCH_DB_URL: dbUrl,
    BENCH_SCOPES: JSON.stringify(scopes),
    BENCH_CALLERS: String(cfg.callers),
    BENCH_WARMUP: String(cfg.warmup),
    BENCH_DURATION: String(cfg.duration),
  };
  delete env.NODE_ENV;
  const worker =
    kind !== "app"
      ? startChild(`claim-${kind}`, process.execPath, [path.join(HERE, "queue/claim-bare.mjs")], { cwd: REPO, env, stdin: "pipe" })
      : startChild(`claim-app`, path.join(appDir, "node_modules/.bin/tsx"), ["--conditions=react-server", "e2e/load/queue/claim-app.ts"], { cwd: appDir, env, stdin: "pipe" });
  const memory = memorySampler(worker.child.pid);
  const lines = readline.createInterface({ input: worker.child.stdout });
  const exited = new Promise((resolve) => worker.child.on("exit", (code) => resolve(code)));
  const next = (prefix, timeoutMs) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} worker: no ${prefix} within ${timeoutMs / 1000} s:\n${logTail(worker.log)}`)), timeoutMs);
      const onLine = (line) => {
        fs.appendFileSync(worker.log, `${line}\n`);
        if (!line.startsWith(prefix)) return;
        clearTimeout(timer);
        lines.off("line", onLine);
        resolve(line.slice(prefix.length).trim());
      };
      lines.on("line", onLine);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${kind} worker exited (${code}) before ${prefix}:\n${logTail(worker.log)}`));
      });
    });
  try {
    await next("BENCH_WARM", (cfg.warmup + 120) * 1000);
    const reset = await resetClaims(sql);
    const waits = waitSampler(mon);
    worker.child.stdin.end("go\n");
    const result = JSON.parse(await next("BENCH_JSON", (cfg.duration + 120) * 1000));
    const db = await waits.stop();
    await exited;
    return { ...result, rate: result.claimsPerSec, ...db, reset, memory: memory.peak() };
  } finally {
    memory.peak();
    await stop(worker.child, 2000);
  }
}

// ───────────────────────────── phases (3) and (4): HTTP ─────────────────────────────

/**
 * The server action's id from the production build's manifest, found by its export name (the module
 * that defines it has moved before: app/(app)/queue/actions.ts, then lib/actions/queue.ts).
 */
function findAction(appDir) {
  const file = path.join(appDir, ".next/server/server-reference-manifest.json");
  if (!fs.existsSync(file)) throw new Error(`no ${path.relative(appDir, file)} in the build`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  const found = Object.entries(manifest.node ?? {})
    .filter(([, entry]) => (entry.exportedName ?? entry.name) === ACTION_NAME)
    .map(([id, entry]) => ({ id, filename: entry.filename ?? "?" }));
  if (!found.length) throw new Error(`no server action named ${ACTION_NAME} in the build's server-reference-manifest.json: is it exported and used by a page yet?`);
  if (found.length > 1) note(`${found.length} server actions are named ${ACTION_NAME} (${found.map((f) => f.filename).join(", ")}); calling the one in ${found[0].filename}`);
  return found[0];
}

/**
 * How a client calls `nextItemAction(prevState, formData)` (useActionState): a POST to the page with
 * `Next-Action: <id>` and the arguments encoded by React's encodeReply. With a FormData argument that
 * is multipart/form-data: the argument list in field `0` as `[null,"$K1"]` (prevState null, then a
 * reference to FormData 1), whose fields are parts named `_1_<name>` sent before field `0` (the
 * server decodes `0` as soon as it arrives). "Next item" from the queue sends no fields.
 */
const BOUNDARY = "----countersignbench";
const ACTION_BODY = [`--${BOUNDARY}`, 'Content-Disposition: form-data; name="0"', "", '[null,"$K1"]', `--${BOUNDARY}--`, ""].join("\r\n");
const ACTION_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

async function callAction(base, actionId, cookie) {
  const res = await fetch(`${base}/queue`, {
    method: "POST",
    redirect: "manual",
    headers: { "next-action": actionId, "content-type": ACTION_TYPE, accept: "text/x-component", cookie },
    body: ACTION_BODY,
  });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

/** One wrk run; resolves to its BENCH_JSON summary plus the first odd body it saw, if any. */
function wrk(url, mode, seconds, env) {
  return new Promise((resolve, reject) => {
    const args = ["-t", String(cfg.threads), "-c", String(cfg.connections), "-d", `${seconds}s`, "--timeout", "30s", "-s", path.join(HERE, "queue/wrk-queue.lua"), url];
    const child = spawn("wrk", args, { env: { ...process.env, BENCH_MODE: mode, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    started.children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => {
      started.children.delete(child);
      const json = /^BENCH_JSON (.*)$/m.exec(out)?.[1];
      if (code !== 0 || !json) return reject(new Error(`wrk exited ${code}: ${err || out}`.slice(0, 800)));
      const r = JSON.parse(json);
      r.sample = /^BENCH_SAMPLE (.*)$/m.exec(out)?.[1] ?? null;
      resolve(r);
    });
  });
}

function summarizeWrk(r) {
  const seconds = r.durationUs / 1e6;
  const count = (test) => Object.entries(r.statuses).reduce((n, [code, c]) => n + (test(Number(code)) ? c : 0), 0);
  return {
    requests: r.requests,
    rate: r.requests / seconds,
    seconds,
    p50ms: r.latencyUs.p50 / 1000,
    p99ms: r.latencyUs.p99 / 1000,
    c2xx: count((c) => c < 300),
    c4xx: count((c) => c >= 400 && c < 500),
    c5xx: count((c) => c >= 500),
    socketErrors: r.errors.connect + r.errors.read + r.errors.write + r.errors.timeout,
    results: r.results,
    sample: r.sample,
  };
}

/**
 * Time to first byte of one page, one request at a time on a kept-alive connection: for the measured
 * duration, at least 20 and at most `count` requests.
 */
async function ttfb(base, pathname, cookie, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(pathname, base);
  const once = () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get(url, { agent, headers: { cookie, accept: "text/html" } }, (res) => {
        let first = null;
        let bytes = 0;
        res.on("data", (chunk) => {
          // Headers arrive with or before the first body byte; Next sends them when the shell is ready.
          first ??= performance.now() - t0;
          bytes += chunk.length;
        });
        res.on("end", () => resolve({ status: res.status ?? res.statusCode, firstMs: first ?? performance.now() - t0, totalMs: performance.now() - t0, bytes }));
      });
      req.on("error", reject);
      req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
    });
  try {
    for (let i = 0; i < 5; i++) await once();
    const runs = [];
    const until = performance.now() + cfg.duration * 1000;
    while (runs.length < count && (runs.length < 20 || performance.now() < until)) runs.push(await once());
    const bad = runs.filter((r) => r.status !== 200);
    const first = runs.map((r) => r.firstMs).sort((a, b) => a - b);
    const total = runs.map((r) => r.totalMs).sort((a, b) => a - b);
    return {
      requests: runs.length,
      p50ms: percentile(first, 50),
      p95ms: percentile(first, 95),
      totalP50ms: percentile(total, 50),
      totalP95ms: percentile(total, 95),
      bytes: Math.round(median(runs.map((r) => r.bytes))),
      non200: bad.length,
      firstBadStatus: bad[0]?.status ?? null,
    };
  } finally {
    agent.destroy();
  }
}

// ───────────────────────────── setup of the app ─────────────────────────────

/**
 * Copies the app into a temp folder — HEAD by default, or with --worktree the tracked and untracked
 * (not ignored) files as they are now — and hard-links node_modules.
 */
function makeSnapshot() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-queue-bench-app-"));
  started.snapshotDir = dir;
  if (!opt.worktree) {
    const archive = spawnSync("sh", ["-c", `git archive HEAD | tar -x -C "${dir}"`], { cwd: REPO, encoding: "utf8" });
    if (archive.status !== 0) throw new Error(`git archive HEAD failed: ${archive.stderr}`);
    linkModules(dir);
    log(`  copy of HEAD in ${dir}`);
    return dir;
  }
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
  linkModules(dir);
  log(`  snapshot of the working tree (${copied} files) in ${dir}`);
  return dir;
}

/** Hard links: instant and no extra space. Turbopack refuses a node_modules symlinked from outside the project. */
function linkModules(dir) {
  const cp = spawnSync("cp", ["-al", path.join(REPO, "node_modules"), path.join(dir, "node_modules")]);
  if (cp.status !== 0) throw new Error(`could not link node_modules: ${cp.stderr}`);
}

function build(appDir) {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  delete env.NODE_ENV;
  return runLogged("next-build", path.join(appDir, "node_modules/.bin/next"), ["build"], { cwd: appDir, env, timeoutMs: 20 * 60_000 });
}

/** claimNext's statement as the app renders it today, to check that the bare copy is still the same. */
async function renderedClaimSql(appDir) {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const r = await runLogged("claim-sql", path.join(appDir, "node_modules/.bin/tsx"), ["--conditions=react-server", "e2e/load/queue/claim-app.ts", "--print-sql"], { cwd: appDir, env, timeoutMs: 120_000 });
  const line = /^BENCH_SQL (.*)$/m.exec(r.text)?.[1];
  if (r.code !== 0 || !line) throw new Error(`could not render claimNext's SQL (exit ${r.code}):\n${r.tail}`);
  return JSON.parse(line);
}

// ───────────────────────────── the run ─────────────────────────────

const PHASES = {
  bare: { title: "(1) bare claim statement, 16 postgres.js connections", unit: "claims/s" },
  app: { title: "(2) claimNext, 16 callers in one Node process", unit: "claims/s" },
  health: { title: "GET /api/health (framework ceiling)", unit: "req/s" },
  next: { title: "(3) POST /queue → nextItemAction (server action)", unit: "req/s" },
};

async function main() {
  const info = machine();
  const load = { start: os.loadavg().map((l) => l.toFixed(2)).join(" ") };
  log(`Countersign queue benchmark — ${info.date}`);
  log(`  ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, ${info.wrk}; load average ${load.start}`);
  log(`  ${cfg.rows} reviews (${cfg.pendingShare * 100}% pending); ${cfg.callers} claimers, ${cfg.connections} HTTP connections; ${cfg.warmup} s warm-up + ${cfg.duration} s × ${cfg.repeats}; logs in ${logDir}`);
  if (wantHttp && spawnSync("wrk", ["--version"]).error) throw new Error("wrk is not installed (Debian: apt-get install -y wrk)");

  const results = Object.fromEntries(cfg.phases.map((p) => [p, []]));
  const skipped = {};
  let pgVersion = "?";
  {
    const admin = connect(pgUrl.toString());
    try {
      pgVersion = (await admin`show server_version`)[0].server_version;
    } finally {
      await disconnect(admin);
    }
  }

  log("setup");
  let appDir = opt["app-dir"] ? path.resolve(opt["app-dir"]) : REPO;
  if (!opt["app-dir"] && (wantHttp || cfg.phases.includes("app"))) appDir = makeSnapshot();
  // The build (CPU) and the data (database) go side by side: nothing is measured yet.
  const building = wantHttp && !opt["app-dir"] ? build(appDir) : null;
  if (building) log(`  next build … in the background (log: ${path.join(logDir, "next-build.log")})`);
  const data = await createDatabase(appDir);
  log(`  database ${opt.database}: ${data.total} reviews, ${data.queued} in the queue, ${data.size}, loaded in ${data.seconds.toFixed(0)} s; ${data.reviewers.length} bench reviewers`);
  const scopes = data.reviewers.map(({ organizationId, userId }) => ({ organizationId, userId }));

  const sql = connect(dbUrl);
  const mon = connect(dbUrl);

  // Is the bare copy still the statement claimNext sends?
  let drift = null;
  try {
    const rendered = await renderedClaimSql(appDir);
    drift = normalizeSql(rendered.sql) === normalizeSql(CLAIM_SQL) ? { same: true } : { same: false, rendered: rendered.sql };
    if (!drift.same) note("the bare claim statement (queue/claim-statement.mjs) is no longer the SQL claimNext renders: phase (1) measures the old statement; copy the new text (see the report)");
  } catch (e) {
    note(e.message);
  }

  // The plan of a claim, on the fresh queue and behind leases held on the first items.
  const plans = {};
  plans.fresh = await explainClaim(sql, scopes[0]);
  log(`  claim plan: ${planSummary(plans.fresh)}`);
  const ahead = Math.min(5000, Math.floor(data.queued / 2));
  await sql.unsafe(`update reviews set claimed_by = $1, lease_expires_at = now() + interval '10 minutes' where id in
    (select id from reviews where organization_id = $2 and ${QUEUE_PREDICATE} order by priority_rank desc, created_at asc limit ${ahead})`, [scopes[1].userId, scopes[1].organizationId]);
  plans.behind = { ahead, plan: await explainClaim(sql, scopes[0]) };
  log(`  claim plan behind ${ahead} held leases: ${planSummary(plans.behind.plan)}`);
  await resetClaims(sql);

  // The app.
  let app = null;
  let base = null;
  let actionId = null;
  let cookies = [];
  let appMemory = null;
  let actionProbe = null;
  let actionFile = null;
  if (wantHttp) {
    try {
      if (building) {
        const r = await building;
        if (r.code !== 0) throw new Error(`next build failed (exit ${r.code}):\n${r.tail}`);
        log("  built");
      }
      const port = await freePort(3500, 3599, new Set());
      base = `http://127.0.0.1:${port}`;
      const env = {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(port),
        DATABASE_URL: dbUrl,
        AUTH_SECRET: "bench-auth-secret-0123456789abcdefghijklmn",
        AUDIT_HMAC_KEY: "bench-audit-key-not-for-production-0123456789abcdef",
      };
      const nodeArgs = opt["app-node-args"]?.split(/\s+/).filter(Boolean) ?? [];
      app = startChild("next-start", process.execPath, [...nodeArgs, path.join(appDir, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: appDir, env });
      const t0 = Date.now();
      const status = await waitForHttp(`${base}/api/health`, app, 90_000);
      if (status !== 200) throw new Error(`GET /api/health answered ${status}`);
      appMemory = memorySampler(app.child.pid);
      log(`  app (next start) on :${port}, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      for (const r of data.reviewers.slice(0, cfg.connections)) cookies.push(await signIn(base, r.email, DEMO_PASSWORD));
      log(`  ${cookies.length} reviewers signed in`);
    } catch (e) {
      note(e.message);
      app = null;
    }
    if (app && cfg.phases.includes("next")) {
      try {
        const action = findAction(appDir);
        actionId = action.id;
        actionFile = action.filename;
        actionProbe = await callAction(base, actionId, cookies[0]);
        if (actionProbe.status !== 200 || !/"ok":true/.test(actionProbe.body) || !/"id":"/.test(actionProbe.body)) {
          throw new Error(`probe of ${ACTION_NAME} answered ${actionProbe.status} ${actionProbe.type}: ${actionProbe.body.slice(0, 400)}`);
        }
        log(`  ${ACTION_NAME} (${actionFile}): id ${actionId}, probe claimed an item`);
      } catch (e) {
        note(e.message);
        actionId = null;
      }
      await resetClaims(sql);
    }
  }
  if (cfg.phases.includes("health") && !app) skipped.health = "the app did not start (see notes)";
  if (cfg.phases.includes("ttfb") && !app) skipped.ttfb = "the app did not start (see notes)";
  if (cfg.phases.includes("next") && !actionId) skipped.next = app ? `${ACTION_NAME} could not be called (see notes)` : "the app did not start (see notes)";

  // Rounds interleave the phases, so a burst of noise from a neighbour hits all of them, not one.
  for (let round = 1; round <= cfg.repeats; round++) {
    log(`round ${round}/${cfg.repeats}`);
    for (const phase of cfg.phases) {
      if (skipped[phase]) continue;
      try {
        let s;
        if (phase === "bare" || phase === "app") {
          s = await claimPhase(phase, { appDir, scopes, mon, sql });
          const trend = s.perSecond.length > 1 ? `  per second ${s.perSecond[0]} → ${s.perSecond.at(-1)}` : "";
          const bad = [s.errors && `${s.errors} errors: ${s.firstError}`, s.empty && `${s.empty} found nothing`].filter(Boolean);
          log(`  ${phase.padEnd(6)} ${s.rate.toFixed(1).padStart(8)} claims/s  p50 ${s.p50ms?.toFixed(1)} ms  p99 ${s.p99ms?.toFixed(1)} ms${trend}${bad.length ? `  [${bad.join("; ")}]` : ""}`);
        } else if (phase === "health" || phase === "next") {
          const env = phase === "next" ? { BENCH_ACTION_ID: actionId, BENCH_COOKIES: cookies.join("|"), BENCH_ACTION_BODY: ACTION_BODY, BENCH_ACTION_TYPE: ACTION_TYPE } : {};
          const url = phase === "next" ? `${base}/queue` : `${base}/api/health`;
          const mode = phase === "next" ? "action" : "get";
          await wrk(url, mode, cfg.warmup, env);
          if (phase === "next") await resetClaims(sql);
          const before = phase === "next" ? await claimedCount(sql) : null;
          const waits = waitSampler(mon);
          s = summarizeWrk(await wrk(url, mode, cfg.duration, env));
          Object.assign(s, await waits.stop());
          if (phase === "next") s.claimsPerSec = ((await claimedCount(sql)) - before) / s.seconds;
          const bad = [s.c4xx && `${s.c4xx}×4xx`, s.c5xx && `${s.c5xx}×5xx`, s.socketErrors && `${s.socketErrors} socket errors/timeouts`, phase === "next" && s.results.claimed !== s.requests && `${s.requests - s.results.claimed} without a claim`].filter(Boolean);
          const extra = phase === "next" ? `  (${s.claimsPerSec.toFixed(1)} claims/s in the database)` : "";
          log(`  ${phase.padEnd(6)} ${s.rate.toFixed(1).padStart(8)} req/s     p50 ${s.p50ms.toFixed(1)} ms  p99 ${s.p99ms.toFixed(1)} ms${extra}${bad.length ? `  [${bad.join(", ")}]` : ""}`);
          if (s.sample && bad.length) log(`         first odd answer: ${s.sample.slice(0, 300)}`);
        } else if (phase === "ttfb") {
          const waits = waitSampler(mon);
          s = await ttfb(base, "/queue", cookies[0], cfg.ttfbRequests);
          Object.assign(s, await waits.stop());
          log(`  ttfb   GET /queue: first byte p50 ${s.p50ms.toFixed(1)} ms  p95 ${s.p95ms.toFixed(1)} ms; whole page p50 ${s.totalP50ms.toFixed(1)} ms (${(s.bytes / 1024).toFixed(0)} KiB)${s.non200 ? `  [${s.non200} × HTTP ${s.firstBadStatus}]` : ""}`);
        }
        results[phase].push(s);
      } catch (e) {
        note(`${phase} round ${round}: ${e.message}`);
      }
    }
  }

  const peak = appMemory?.peak() ?? null;
  load.end = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  if (app && app.child.exitCode !== null) note(`the app exited during the run (${app.child.exitCode}):\n${logTail(app.log)}`);
  if (app) {
    const errors = fs.readFileSync(app.log, "utf8").split("\n").filter((l) => /error|\[action /i.test(l)).slice(0, 5);
    if (errors.length) note(`the app logged errors, e.g.:\n    ${errors.join("\n    ")}`);
  }
  await disconnect(mon);
  await disconnect(sql);
  return { info, load, pgVersion, data, results, skipped, peak, appDir, drift, plans, actionId, actionFile, actionProbe };
}

// ───────────────────────────── the report ─────────────────────────────

function render({ info, load, pgVersion, data, results, skipped, peak, appDir, drift, plans, actionId, actionFile, actionProbe }) {
  const f0 = (x) => (x === null || x === undefined ? "—" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  const spread = (xs, f = f0) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  const cell = (runs, k) => {
    const xs = runs.map((s) => s[k]).filter((x) => typeof x === "number");
    return xs.length ? `${f0(median(xs))} (${spread(xs)})` : "—";
  };

  const rows = [];
  for (const phase of ["bare", "app", "health", "next"]) {
    if (!(phase in results)) continue;
    const runs = results[phase];
    if (!runs.length) {
      rows.push(`| ${PHASES[phase].title} | — | — | — | — | — | ${skipped[phase] ?? "no run succeeded"} |`);
      continue;
    }
    const rates = runs.map((s) => s.rate);
    const sum = (k) => runs.reduce((n, s) => n + (s[k] ?? 0), 0);
    let remarks;
    if (phase !== "health" && phase !== "next") {
      remarks = [`${sum("errors")} errors`, sum("empty") ? `${sum("empty")} found nothing` : "", `per second, first → last: ${runs.map((s) => `${s.perSecond[0] ?? "—"} → ${s.perSecond.at(-1) ?? "—"}`).join(", ")}`].filter(Boolean).join("; ");
    } else {
      remarks = [`4xx/5xx ${sum("c4xx")}/${sum("c5xx")}`, sum("socketErrors") ? `${sum("socketErrors")} socket errors` : ""];
      if (phase === "next") {
        const claimed = runs.reduce((n, s) => n + s.results.claimed, 0);
        remarks.push(`${claimed} of ${sum("requests")} answers claimed an item`, `claims committed ${f0(median(runs.map((s) => s.claimsPerSec)))}/s`);
      }
      remarks = remarks.filter(Boolean).join("; ");
    }
    rows.push(`| ${PHASES[phase].title} | **${f0(median(rates))}** ${PHASES[phase].unit} | ${spread(rates)} | ${cell(runs, "p50ms")} | ${cell(runs, "p99ms")} | ${runs.length} | ${remarks} |`);
  }

  const ratio = (num, den, target, label) => {
    const a = results[num] ?? [];
    const b = results[den] ?? [];
    if (!a.length || !b.length) return `| ${label} | — | — | ≥ ${target} | not measured |`;
    const ra = a.map((s) => s.rate);
    const rb = b.map((s) => s.rate);
    const value = median(ra) / median(rb);
    const perRound = ra.slice(0, rb.length).map((x, i) => x / rb[i]);
    return `| ${label} | **${value.toFixed(2)}** | ${perRound.length ? spread(perRound, (x) => x.toFixed(2)) : "—"} | ≥ ${target} | ${value >= target ? "met" : "missed"} |`;
  };
  const t = results.ttfb ?? [];
  const ttfbLine = !("ttfb" in results)
    ? null
    : t.length
      ? `| (4) GET /queue, time to first byte, p95 | **${f0(median(t.map((s) => s.p95ms)))} ms** | ${spread(t.map((s) => s.p95ms))} | < 200 ms | ${median(t.map((s) => s.p95ms)) < 200 ? "met" : "missed"} |`
      : `| (4) GET /queue, time to first byte, p95 | — | — | < 200 ms | ${skipped.ttfb ?? "not measured"} |`;

  const lines = [
    "# Reviewer queue benchmark",
    "",
    "Generated by `node e2e/load/queue-bench.mjs` (issue 4). Figures from one run on a shared machine; a benchmark, not a test: nothing here fails CI. Ratios are taken within the run, so the noise of neighbours mostly cancels.",
    "",
    `- Date: ${info.date}; commit ${info.commit}${opt.worktree && info.dirty ? ` plus ${info.dirty} uncommitted path(s) of the working tree (a copy of it was measured)` : ""}`,
    `- Machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB memory, ${info.os}`,
    `- Node ${info.node}, PostgreSQL ${pgVersion} (127.0.0.1, default settings), load generator ${info.wrk}`,
    `- Load average (1/5/15 min) at start: ${load.start}; at end: ${load.end}`,
    `- Data: ${data.total.toLocaleString("en")} reviews (${data.size} with indexes), ${data.queued.toLocaleString("en")} in the queue (pending, the newest, priorities 5% urgent / 15% high / 70% normal / 10% low), demo organization, 2 workspaces, 5 task types; loaded in ${data.seconds.toFixed(0)} s`,
    `- Load: ${cfg.callers} claimers in phases (1) and (2), each a different reviewer (reviewer role, member of both workspaces); ${cfg.connections} wrk connections (${cfg.threads} threads) in the HTTP phases, every request the session of the next of ${cfg.connections} signed-in reviewers in turn; each run ${cfg.warmup} s warm-up + ${cfg.duration} s measured; ${cfg.repeats} rounds, phases interleaved in each round`,
    "- Before every measured claim window (and after its warm-up) all claims are given back and the table vacuumed, so each window starts from the same free queue.",
    `- App: \`next start\` (production build) of ${opt["app-dir"] ? `\`${appDir}\`` : opt.worktree ? "a copy of the working tree" : `a copy of commit ${info.commit}`}, the app's default pool of 10 connections`,
    "",
    "| phase | median | min–max | p50 ms (min–max) | p99 ms (min–max) | runs | |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows,
  ];
  if (t.length) {
    lines.push(
      `| (4) GET /queue signed in, one request at a time, ${Math.round(median(t.map((s) => s.requests)))} a round (median) | first byte p50 **${cell(t, "p50ms")}** ms, p95 **${cell(t, "p95ms")}** ms | | whole page p50 ${cell(t, "totalP50ms")} ms, p95 ${cell(t, "totalP95ms")} ms | | ${t.length} | ${(median(t.map((s) => s.bytes)) / 1024).toFixed(0)} KiB of HTML; ${t.reduce((n, s) => n + s.non200, 0)} non-200 |`,
    );
  }
  lines.push(
    "",
    "| ratio / target | value | per round min–max | target | |",
    "|---|---:|---:|---:|---|",
    ...(cfg.phases.includes("app") && cfg.phases.includes("bare") ? [ratio("app", "bare", "0.8", "(2) claimNext ÷ (1) bare statement")] : []),
    ...(cfg.phases.includes("next") && cfg.phases.includes("health") ? [ratio("next", "health", "0.5", "(3) next item over HTTP ÷ framework ceiling")] : []),
  );
  if (ttfbLine) lines.push(ttfbLine);
  lines.push(
    "",
    peak ? `Peak memory of the app: VmHWM ${peak.hwmMiB.toFixed(0)} MiB (\`${peak.label}\`).` : "Peak memory of the app: not measured (the app did not run).",
  );
  const appRuns = results.app ?? [];
  const workerPeak = appRuns.map((s) => s.memory?.hwmMiB ?? 0).reduce((a, b) => Math.max(a, b), 0);
  if (workerPeak) lines.push(`Peak memory of the claimNext worker of phase (2) (tsx, one process): VmHWM ${workerPeak.toFixed(0)} MiB.`);

  // The claim's plan: the finding that explains the claim rates.
  lines.push("", "## The claim statement's plan", "");
  if (drift?.same) lines.push("The bare statement of phase (1) is, whitespace aside, the SQL `claimNext` renders in the measured code.");
  else if (drift) lines.push("**The bare statement of phase (1) is no longer the SQL `claimNext` renders**; update `e2e/load/queue/claim-statement.mjs` to:", "", "```sql", drift.rendered, "```");
  lines.push(
    "",
    `EXPLAIN (ANALYZE, BUFFERS) of the claim for one reviewer, rolled back — on the fresh queue: ${planSummary(plans.fresh)}; behind ${plans.behind.ahead} leases held on the first items: ${planSummary(plans.behind.plan)}.`,
    "",
    "<details><summary>Plan on the fresh queue</summary>",
    "",
    "```",
    ...plans.fresh,
    "```",
    "",
    "</details>",
  );

  const waitLines = [];
  for (const [phase, runs] of Object.entries(results)) {
    if (!runs.length) continue;
    const sums = new Map();
    for (const s of runs) for (const w of s.waits ?? []) sums.set(w.wait, (sums.get(w.wait) ?? 0) + w.sessions / runs.length);
    const top = [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
    const others = median(runs.map((s) => s.otherSessions ?? 0));
    if (top.length) waitLines.push(`- ${phase}: ${top.map(([w, n]) => `${w} ${n.toFixed(1)}`).join(", ")}${others >= 0.1 ? ` (other databases: ${others.toFixed(1)} busy sessions)` : ""}`);
  }
  if (waitLines.length) {
    lines.push(
      "",
      "Where the database time went (busy sessions of the bench database, sampled 4×/s during the measured windows: average number of sessions in each wait state; `Client:ClientRead` is PostgreSQL waiting on its client; busy sessions of other databases on the same server are neighbours' load):",
      ...waitLines,
    );
    if (waitLines.some((l) => l.includes("Lock:object"))) {
      lines.push(
        "",
        "`Lock:object` here is the lock on the database object that PostgreSQL takes at commit for a transaction that sent a NOTIFY, held until its commit is flushed to disk: transactions that notify commit one at a time, database-wide (pg_locks shows it as `object`, `pg_database`, AccessExclusiveLock).",
      );
    }
  }
  const statementLines = [];
  for (const phase of ["next", "ttfb"]) {
    const runs = results[phase] ?? [];
    if (!runs.length) continue;
    const sums = new Map();
    for (const s of runs) for (const q of s.queries ?? []) sums.set(q.query, (sums.get(q.query) ?? 0) + q.sessions / runs.length);
    const top = [...sums.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    if (top.length) statementLines.push(`- ${phase}:`, ...top.map(([q, n]) => `  - ${n.toFixed(2)} sessions: \`${q.replaceAll("`", "'")}\``));
  }
  if (statementLines.length) lines.push("", "The statements the database was busiest with (same samples; average number of sessions running each):", ...statementLines);
  if (actionId) {
    lines.push(
      "",
      "## How phase (3) calls the server action",
      "",
      `\`POST /queue\` with \`Next-Action: <id of ${ACTION_NAME} (${actionFile}) in .next/server/server-reference-manifest.json>\`, \`Accept: text/x-component\`, the reviewer's \`authjs.session-token\` cookie, and the arguments \`(prevState, formData)\` as React's encodeReply sends them: \`Content-Type: ${ACTION_TYPE}\` with one field \`0\` = \`[null,"$K1"]\` (prevState null, then FormData 1, whose fields would be parts named \`_1_<name>\` placed before field \`0\`; none here). The answer is \`text/x-component\` (RSC), e.g.:`,
      "",
      "```",
      (actionProbe?.body ?? "").slice(0, 400),
      "```",
    );
  }
  const resets = Object.values(results).flat().map((s) => s.reset?.seconds).filter((x) => typeof x === "number");
  if (resets.length) lines.push("", `Resetting the claims and vacuuming between warm-up and measured window took ${f0(median(resets))} s (median).`);
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
  console.error(`benchmark could not run: ${e.stack ?? e.message}`);
  exitCode = 1;
} finally {
  await cleanup();
}
if (exitCode || notes.length) console.error(`logs kept in ${logDir}`);
else fs.rmSync(logDir, { recursive: true, force: true });
process.exit(exitCode);
