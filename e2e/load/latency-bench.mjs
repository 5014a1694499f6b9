// `npm run bench:latency` — the waits people and agents feel (issue 18), measured one at a time:
//   submit   an agent's auto-approved submission: POST /api/v1/reviews round trip (route.adjust,
//            flag-on-exception, confidence above its threshold)
//   wait     a reviewer presses `a` in Chromium → the agent's GET /api/v1/reviews/{id}?wait=30 returns
//   next     a reviewer presses `a` → the next item's page is painted (its title in the heading)
//   webhook  a reviewer presses `a` → the signed review.decided webhook reaches a loopback receiver
// beside a baseline measured in the same run: GET /api/health, one request at a time. Every figure is
// taken twice: on a quiet app, and with --background submitters (wrk, default 16 connections) posting
// submissions all the time. p50/p90/p99 over --samples each (default 60), and each p50 ÷ the health p50.
//
// Prints figures and writes REPORT-latency.md; never fails on a timing (a benchmark is not a test). It
// exits non-zero only when it could not measure at all. It stops what it started, also on Ctrl-C.
//
// Needs PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, trust auth), wrk
// (apt-get install -y wrk) and Debian's Chromium. Serves the production build of --app-dir (default:
// this checkout; built when missing). Options: node e2e/load/latency-bench.mjs --help
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { chromiumPath } from "../../scripts/chromium-path.mjs";
import { machine, median, percentile, Processes, scratchDatabase, signIn, sleep, startSeededApp, stop } from "./lib.mjs";

const HERE = import.meta.dirname;
const REPO = path.resolve(HERE, "../..");
const REPORT = path.join(HERE, "REPORT-latency.md");
const KEY = "cs_live_latency_key_0123456789abcdefghijklmnopqrstuv";
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const { values: opt } = parseArgs({
  options: {
    samples: { type: "string", default: "60" },
    background: { type: "string", default: "16" },
    port: { type: "string", default: "3491" },
    "receiver-port": { type: "string", default: "3492" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    "app-dir": { type: "string", default: REPO },
    "no-report": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});

if (opt.help) {
  console.log(`node e2e/load/latency-bench.mjs [options]
  --samples N          samples per figure and load (default 60, at least 50 recommended)
  --background N       wrk connections submitting during the loaded pass (default 16; 0 skips that pass)
  --port N             the app's port (default 3491); --receiver-port N the webhook receiver's (default 3492)
  --pg-url URL         PostgreSQL server (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --app-dir DIR        serve the production build in DIR (default this checkout; built when missing)
  --no-report          print only, don't write REPORT-latency.md`);
  process.exit(0);
}

const samples = Math.max(5, Number(opt.samples));
const base = `http://127.0.0.1:${opt.port}`;
const receiverPort = Number(opt["receiver-port"]);
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const processes = new Processes("latency");
const cleanups = [];
let interrupted = false;
process.on("SIGINT", () => {
  interrupted = true;
  console.log("\nInterrupted: stopping what the run started…");
});

/** A receiver that resolves a promise per review id when its signed review.decided arrives. */
function decidedReceiver() {
  const verifier = new Webhook(SECRET);
  const waiting = new Map();
  const arrived = new Map();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const at = performance.now();
      let event = null;
      try {
        event = verifier.verify(body, req.headers);
      } catch {
        /* unsigned or tampered: not counted */
      }
      res.writeHead(event ? 204 : 400).end();
      const id = event?.type === "review.decided" ? event.data?.review?.id : null;
      if (!id) return;
      arrived.set(id, at);
      waiting.get(id)?.(at);
    });
  });
  return {
    listen: () => new Promise((resolve) => server.listen(receiverPort, "127.0.0.1", resolve)),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
    /** Resolves to the arrival time (performance.now()) of the review's decided webhook, or null after timeoutMs. */
    arrival: (id, timeoutMs) =>
      arrived.has(id)
        ? Promise.resolve(arrived.get(id))
        : new Promise((resolve) => {
            const timer = setTimeout(() => (waiting.delete(id), resolve(null)), timeoutMs);
            waiting.set(id, (at) => (clearTimeout(timer), waiting.delete(id), resolve(at)));
          }),
  };
}

async function submit(body) {
  const res = await fetch(`${base}/api/v1/reviews`, { method: "POST", headers: { ...auth, "idempotency-key": crypto.randomUUID() }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`submission answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

async function timeHealth(n) {
  const xs = [];
  for (let i = 0; i < n && !interrupted; i++) {
    const t = performance.now();
    const res = await fetch(`${base}/api/health`);
    await res.arrayBuffer();
    xs.push(performance.now() - t);
  }
  return xs;
}

async function timeAutoApproved(n, label) {
  const xs = [];
  // route.adjust samples 5% of its auto-approvals for a person's audit: those are submitted but not counted.
  for (let i = 0; xs.length < n && i < 3 * n && !interrupted; i++) {
    const t = performance.now();
    const review = await submit({
      taskType: "route.adjust",
      title: `Latency ${label} ${i}`,
      action: { routeId: `R-${100 + (i % 300)}`, vehicleId: "V-42", stopsAdded: 1, stopsRemoved: 0, etaChangeMinutes: 6 },
      confidence: 0.97,
    });
    if (review.status === "approved") xs.push(performance.now() - t);
  }
  if (xs.length === 0) throw new Error("no route.adjust submission at confidence 0.97 was auto-approved");
  return xs;
}

/** Items only a person may decide, more urgent than anything else in the queue, each owing a webhook. */
const probes = new Set();
async function fillQueue(n, label) {
  for (let i = 0; i < n; i++) {
    const review = await submit({
      taskType: "ticket.tag",
      title: `Latency probe ${label} ${i}`,
      action: { ticketId: `T-${label}-${i}`, tags: ["billing"] },
      draft: "Tagged as billing: the customer asks about a charge.",
      confidence: 0.9,
      priority: "urgent",
      callbackUrl: `http://127.0.0.1:${receiverPort}/hooks/${label}/${i}`,
    });
    probes.add(review.id);
  }
}

const idInPath = (url) => /\/queue\/([0-9a-f-]{36})(?:$|[?#])/.exec(url)?.[1] ?? null;

/** The reviewer decides `n` of our probes with `a`, one after the other, timing what each wait feels like. */
async function timeDecisions(page, receiver, n, label) {
  await fillQueue(n + 2, label);
  await page.goto(`${base}/queue`);
  await page.getByRole("button", { name: /Next item/ }).click();
  await page.waitForURL((u) => idInPath(u.toString()) !== null, { timeout: 30_000 });
  const wait = [];
  const next = [];
  const webhook = [];
  for (let i = 0; i < n && !interrupted; i++) {
    const id = idInPath(page.url());
    if (!probes.has(id)) throw new Error(`the next item (${id}) is not one of the benchmark's own urgent items`);
    const title = (await page.locator("h1").first().textContent())?.trim();
    if (!/^Latency probe/.test(title ?? "")) throw new Error(`the item page shows "${title}", not a probe`);
    await page.getByRole("button", { name: /^Approve/ }).first().waitFor();
    const waiting = fetch(`${base}/api/v1/reviews/${id}?wait=30`, { headers: auth }).then(async (res) => {
      const at = performance.now();
      const body = await res.json();
      return { at, status: body.status };
    });
    // Let the long poll reach the server and subscribe, so what is timed is the wake, not a late first read.
    await sleep(150);
    const arrival = receiver.arrival(id, 15_000);
    const t0 = performance.now();
    await page.keyboard.press("a");
    const painted = page
      .waitForFunction((prev) => {
        const h1 = document.querySelector("h1");
        return location.pathname.startsWith("/queue/") && !location.pathname.includes(prev) && h1 && /^Latency probe/.test(h1.textContent ?? "");
      }, id, { polling: "raf", timeout: 15_000 })
      .then(() => performance.now());
    const [w, p, a] = await Promise.all([waiting, painted, arrival]);
    if (w.status !== "approved") throw new Error(`the agent's wait answered ${w.status} for ${id}`);
    wait.push(w.at - t0);
    next.push(p - t0);
    if (a !== null) webhook.push(a - t0);
  }
  return { wait, next, webhook };
}

function startBackground(connections) {
  const wrk = spawn("wrk", ["-t", "2", "-c", String(connections), "-d", "3600", "-s", path.join(HERE, "wrk-script.lua"), `${base}/api/v1/reviews`], {
    env: { ...process.env, BENCH_MODE: "single", BENCH_TOKEN: KEY, BENCH_RUN_ID: `latency-${Date.now()}`, BENCH_TASK_TYPE: "refund.issue" },
    stdio: "ignore",
    detached: true,
  });
  return wrk;
}

const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const stats = (xs) => (xs.length ? { n: xs.length, p50: median(xs), p90: percentile(xs, 90), p99: percentile(xs, 99) } : null);

async function pass(page, receiver, label) {
  const health = stats(await timeHealth(Math.max(samples, 100)));
  const submit = stats(await timeAutoApproved(samples, label));
  const d = await timeDecisions(page, receiver, samples, label);
  return { health, submit, wait: stats(d.wait), next: stats(d.next), webhook: stats(d.webhook) };
}

function table(result, label) {
  const rows = [
    ["health (baseline)", result.health],
    ["auto-approved submission", result.submit],
    ["`a` → agent's `?wait=` returns", result.wait],
    ["`a` → next item painted", result.next],
    ["`a` → webhook received", result.webhook],
  ];
  return [
    `### ${label}`,
    "",
    "| measurement | n | p50 ms | p90 ms | p99 ms | p50 ÷ health p50 |",
    "|---|---|---|---|---|---|",
    ...rows.map(([name, s]) => (s ? `| ${name} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p90)} | ${fmt(s.p99)} | ${(s.p50 / result.health.p50).toFixed(1)} |` : `| ${name} | 0 | – | – | – | – |`)),
    "",
  ];
}

async function main() {
  const scratch = await scratchDatabase(opt["pg-url"], `countersign_latency_${process.pid}`);
  cleanups.push(scratch.drop);
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: scratch.url,
    AUTH_SECRET: "latency-secret-not-for-production-0123456789abcdef",
    AUTH_TRUST_HOST: "true",
    AUDIT_HMAC_KEY: "latency-audit-key-not-for-production-0123456789abcdef",
    DEMO_API_KEY: KEY,
    DEMO_WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWLIST: `127.0.0.1:${receiverPort}`,
  };
  const receiver = decidedReceiver();
  await receiver.listen();
  cleanups.push(receiver.close);
  console.log("Migrating, seeding and starting the app…");
  await startSeededApp(processes, opt["app-dir"], env, [Number(opt.port)]);

  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const [name, value] = (await signIn(base, "reviewer@acme.test", "countersign")).split(/=(.*)/s);
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();

  console.log(`Quiet: ${samples} samples each…`);
  const quiet = await pass(page, receiver, "quiet").catch(async (e) => {
    await page.screenshot({ path: "/tmp/latency-failure.png" }).catch(() => {});
    throw e;
  });
  let loaded = null;
  const connections = Number(opt.background);
  if (connections > 0 && !interrupted) {
    console.log(`With ${connections} submitters in the background…`);
    const wrk = startBackground(connections);
    cleanups.push(() => stop(wrk));
    await sleep(3000);
    loaded = await pass(page, receiver, "loaded");
    await stop(wrk);
  }

  const m = machine(REPO);
  const lines = [
    "# Latency: what reviewers and agents wait for",
    "",
    `${m.date}, commit ${m.commit}; ${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}; load average at the end ${m.load}.`,
    "One agent and one reviewer (Chromium, 1440 × 900), PostgreSQL, the webhook receiver on loopback. Times from the",
    "reviewer's keypress (or the request's start) to what the person or agent sees; the baseline is GET /api/health.",
    "",
    ...table(quiet, "Quiet"),
    ...(loaded ? table(loaded, `With ${connections} submitters in the background`) : []),
  ];
  console.log(lines.join("\n"));
  if (!opt["no-report"]) fs.writeFileSync(REPORT, lines.join("\n"));
}

try {
  await main();
} catch (e) {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
  await processes.stopAll();
}
