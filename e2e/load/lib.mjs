// Shared by the benchmark scripts in e2e/load: child processes in their own process groups (stopped
// with what they started), waiting for HTTP, signing in over Auth.js's credentials flow, statistics,
// and the machine's description for a report.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** The p-th percentile of a sample (nearest rank). */
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export function machine(repo) {
  const cpus = os.cpus();
  const git = (...args) => spawnSync("git", args, { cwd: repo, encoding: "utf8" }).stdout?.trim() ?? "";
  return {
    cpu: cpus[0]?.model ?? "?",
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    commit: git("rev-parse", "--short", "HEAD"),
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    load: os.loadavg().map((l) => l.toFixed(1)).join(" "),
  };
}

/** Children of one run, each in its own process group with its output in a log file. */
export class Processes {
  constructor(label) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `countersign-${label}-`));
    this.children = new Set();
  }

  start(name, cmd, args, { cwd, env }) {
    const log = path.join(this.dir, `${name}.log`);
    const out = fs.openSync(log, "a");
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", out, out], detached: true });
    fs.closeSync(out);
    this.children.add(child);
    child.on("exit", () => this.children.delete(child));
    return { name, child, log };
  }

  /** Runs a command to completion; resolves to { code, text }. */
  run(name, cmd, args, { cwd, env, timeoutMs = 30 * 60_000 }) {
    const p = this.start(name, cmd, args, { cwd, env });
    return new Promise((resolve) => {
      const timer = setTimeout(() => stop(p.child), timeoutMs);
      p.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        resolve({ code: code ?? (signal ? 128 : 1), text: fs.readFileSync(p.log, "utf8") });
      });
    });
  }

  tail(p, lines = 20) {
    return fs.existsSync(p.log) ? fs.readFileSync(p.log, "utf8").trim().split("\n").slice(-lines).join("\n") : "";
  }

  async stopAll() {
    for (const child of [...this.children]) await stop(child);
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to the child's process group, SIGKILL after a grace period. */
export async function stop(child, graceMs = 5000) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const until = Date.now() + graceMs;
  while (Date.now() < until && alive(child.pid)) await sleep(100);
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* already gone */
  }
}

export async function waitForHttp(url, server, processes, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited (${server.child.exitCode}) before answering:\n${processes.tail(server)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await sleep(250);
  }
  throw new Error(`${server.name} did not answer ${url} within ${timeoutMs / 1000} s (${last}):\n${processes.tail(server)}`);
}

/** Signs a user in by the credentials flow and answers the session cookie (`name=value`). */
export async function signIn(base, email, password) {
  const cookieOf = (res) => res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = await csrf.json();
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/` }),
  });
  await res.arrayBuffer();
  const session = cookieOf(res).find((c) => /^(__Secure-)?authjs\.session-token=./.test(c));
  if (!session) throw new Error(`sign-in of ${email} answered ${res.status} ${res.headers.get("location") ?? ""} without a session cookie`);
  return session;
}

/**
 * A PostgreSQL cluster of the run's own (initdb in a temp folder, its own port and socket folder), for
 * scenarios that stop and start the server: the machine's shared PostgreSQL is never touched. The
 * server refuses to run as root, so as root it runs as the `postgres` user.
 */
export class PrivatePostgres {
  constructor(processes, port) {
    this.processes = processes;
    this.port = port;
    const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a)) : [];
    if (versions.length === 0) throw new Error("PostgreSQL's server binaries are not in /usr/lib/postgresql/<version>/bin");
    this.bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "countersign-pg-"));
    this.data = path.join(this.dir, "data");
  }

  as(cmd, args) {
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(asRoot ? "runuser" : cmd, asRoot ? ["-u", "postgres", "--", cmd, ...args] : args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  async init() {
    if (process.getuid?.() === 0) spawnSync("chown", ["-R", "postgres:postgres", this.dir]);
    this.as(`${this.bin}/initdb`, ["-D", this.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
  }

  async start() {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
    this.as(`${this.bin}/pg_ctl`, ["-D", this.data, "-o", options, "-l", path.join(this.dir, "server.log"), "-w", "-t", "60", "start"]);
  }

  /** "fast" cuts sessions mid-statement, as a restart or failover does; "immediate" is a crash. */
  async stop(mode = "fast") {
    this.as(`${this.bin}/pg_ctl`, ["-D", this.data, "-m", mode, "-w", "-t", "60", "stop"]);
  }

  url(database) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async destroy() {
    try {
      await this.stop("immediate");
    } catch {
      /* not running */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The app as the scenarios run it: `.next` built when missing, the database in `env.DATABASE_URL`
 * migrated and seeded, then `next start` on each port (one process each), answering. Resolves to the
 * servers, in the order of `ports`, each sampling its memory from then on (`server.memory`).
 */
export async function startSeededApp(processes, repo, env, ports) {
  if (!fs.existsSync(path.join(repo, ".next/BUILD_ID"))) {
    console.log("Building the app (no build found)…");
    const build = await processes.run("build", "node_modules/.bin/next", ["build"], { cwd: repo, env: { ...env, NODE_ENV: undefined } });
    if (build.code !== 0) throw new Error(`next build failed:\n${build.text.slice(-2000)}`);
  }
  for (const script of ["scripts/db-migrate.ts", "scripts/db-seed.ts"]) {
    const r = await processes.run(path.basename(script), "node_modules/.bin/tsx", ["--conditions=react-server", script], { cwd: repo, env: { SEED_FORCE: "1", ...env } });
    if (r.code !== 0) throw new Error(`${script} failed:\n${r.text.slice(-2000)}`);
  }
  const servers = ports.map((port, i) => processes.start(ports.length > 1 ? `next-${i}` : "next", "node_modules/.bin/next", ["start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"], { cwd: repo, env: { ...env, PORT: String(port) } }));
  await Promise.all(servers.map((server, i) => waitForHttp(`http://127.0.0.1:${ports[i]}/login`, server, processes, 120_000)));
  for (const server of servers) server.memory = memorySampler(server.child.pid);
  return servers;
}

/**
 * A scenario's verdict: writes `file` (title, the machine, what ran, figures with the peak memory of
 * each of `servers`, each check as PASS or FAIL, the verdict), prints it, and sets a failing exit code
 * when a check failed.
 */
export function reportVerdict(file, repo, { title, setup, figures, checks, servers = [] }) {
  const m = machine(repo);
  for (const server of servers) {
    const peak = server.memory?.peak();
    if (peak) figures = [...figures, `Peak memory of ${server.name}: VmHWM ${peak.hwmMiB.toFixed(0)} MiB (\`${peak.label}\`); its process tree's sampled RSS peaked at ${peak.treePeakMiB.toFixed(0)} MiB`];
  }
  const passed = checks.every(([, ok]) => ok);
  const lines = [
    `# ${title}`,
    "",
    `${m.date}, commit ${m.commit}; ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at the end ${m.load}.`,
    setup,
    "",
    ...figures.map((f) => `- ${f}`),
    "",
    ...checks.map(([label, ok]) => `- ${ok ? "PASS" : "FAIL"}: ${label}`),
    "",
    `Verdict: ${passed ? "PASS" : "FAIL"}`,
    "",
  ];
  fs.writeFileSync(file, lines.join("\n"));
  console.log(lines.join("\n"));
  if (!passed) process.exitCode = 1;
}

/** A scratch database on the server of `pgUrl` (a URL naming any database): its URL, and a drop for the end. */
export async function scratchDatabase(pgUrl, name) {
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end({ timeout: 2 });
    },
  };
}

function procStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
    return { rss: kb("VmRSS"), hwm: kb("VmHWM"), label: cmdline.slice(0, 60) };
  } catch {
    return null;
  }
}

function processTree(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/**
 * Samples a process tree's memory once a second. peak() stops and gives the process with the largest
 * VmHWM (peak RSS), with the tree's largest sampled total RSS beside it.
 */
export function memorySampler(rootPid) {
  const perPid = new Map();
  let treePeak = 0;
  const sample = () => {
    let total = 0;
    for (const pid of processTree(rootPid)) {
      const s = procStatus(pid);
      if (!s) continue;
      total += s.rss;
      const prev = perPid.get(pid);
      perPid.set(pid, { label: s.label, rss: Math.max(prev?.rss ?? 0, s.rss), hwm: Math.max(prev?.hwm ?? 0, s.hwm) });
    }
    treePeak = Math.max(treePeak, total);
  };
  sample();
  // Never what keeps a script alive: a run that forgets to read the peak still exits.
  const timer = setInterval(sample, 1000).unref();
  return {
    peak() {
      sample();
      clearInterval(timer);
      const biggest = [...perPid.entries()].sort((a, b) => b[1].hwm - a[1].hwm)[0];
      return biggest ? { pid: biggest[0], label: biggest[1].label, hwmMiB: biggest[1].hwm / 1024, treePeakMiB: treePeak / 1024, processes: perPid.size } : null;
    },
  };
}

/** Each process's CPU ticks (user + system) and name, from /proc. */
function processTicks() {
  const out = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(entry), { comm, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** The machine's CPU ticks so far: all of them, and the idle ones (idle + iowait), over every core. */
function machineTicks() {
  const [, ...values] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  return { total: values.slice(0, 8).reduce((a, b) => a + b, 0), idle: values[3] + values[4] };
}

/**
 * Where the machine's CPU goes while something runs: `const end = cpuWindow(appPid)` before, `end()`
 * after. Answers each part's share of the machine (all cores: 1.0 is every core busy the whole
 * window) — the app's process tree, PostgreSQL's processes, everything else busy, idle — and the app's
 * CPU seconds. Processes that start or stop during the window count for what /proc shows at its ends.
 */
export function cpuWindow(appPid) {
  const before = { machine: machineTicks(), procs: processTicks() };
  return () => {
    const after = { machine: machineTicks(), procs: processTicks() };
    const app = new Set(processTree(appPid));
    const parts = { app: 0, postgres: 0 };
    for (const [pid, { comm, ticks }] of after.procs) {
      const part = app.has(pid) ? "app" : comm.startsWith("postgres") ? "postgres" : null;
      if (part) parts[part] += Math.max(0, ticks - (before.procs.get(pid)?.ticks ?? 0));
    }
    const total = after.machine.total - before.machine.total;
    const idle = after.machine.idle - before.machine.idle;
    const share = (ticks) => (total > 0 ? ticks / total : 0);
    // Everything else busy: other processes (a load generator that has exited by now among them), and the kernel's own work.
    const other = Math.max(0, total - idle - parts.app - parts.postgres);
    // Linux counts ticks at USER_HZ = 100 a second.
    return { app: share(parts.app), postgres: share(parts.postgres), other: share(other), idle: share(idle), appSeconds: parts.app / 100 };
  };
}

/**
 * A scenario's clean-up (stop what it started, drop its database) as one function that runs once,
 * whether its `finally` calls it or Ctrl-C or a kill arrives first: then it exits 130 or 143 after.
 */
export function stopper(stop) {
  let done;
  const run = () => (done ??= Promise.resolve().then(stop).catch((e) => console.error(`clean-up: ${e.message}`)));
  const onSignal = (signal) => {
    console.error(`\n${signal}: stopping what the run started…`);
    run().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return async () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await run();
  };
}

/**
 * The agents' webhook receiver on 127.0.0.1:`port`: verifies each delivery with the standardwebhooks
 * package and records it in `seen` ({ at, id (webhook-id), type, reviewId, verified, status }). It answers
 * 204 to a delivery that verifies, 400 to one that doesn't, or what `status()` names instead (a failing
 * receiver). It refuses connections until `listen()`.
 */
export function webhookReceiver(secret, port, { status = () => null } = {}) {
  const verifier = new Webhook(secret);
  const seen = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      let event = null;
      try {
        event = verifier.verify(body, req.headers);
      } catch {
        /* recorded as unverified */
      }
      const answer = status() ?? (event ? 204 : 400);
      seen.push({ at: Date.now(), id: req.headers["webhook-id"], type: event?.type ?? null, reviewId: event?.data?.review?.id ?? null, verified: event !== null, status: answer });
      res.writeHead(answer).end();
    });
  });
  return {
    seen,
    listen: () => (server.listening ? Promise.resolve() : new Promise((resolve) => server.listen(port, "127.0.0.1", resolve))),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

/** Runs a scenario's `main`; when it can't run, prints why, stops what it started and exits 1. */
export async function runScenario(processes, main) {
  await main().catch(async (e) => {
    console.error(e.stack ?? e.message);
    await processes.stopAll();
    process.exitCode = 1;
  });
}
