// `npm run bench:restart [-- --agents 16 --seconds 30 --outage 6 --port 3480 --pg-port 5499]` —
// issue 8, scenario 1: PostgreSQL restarts while agents submit.
//
// Starts a private PostgreSQL cluster (initdb in a temp folder, its own port: the machine's shared
// server is never touched), migrates and seeds it, serves the app with `next start`, and lets agents
// submit with an Idempotency-Key each, retrying with the same key on anything but a 201 (after
// Retry-After when there is one). A third of the way in, PostgreSQL stops (fast shutdown: sessions
// cut mid-statement) and starts again `--outage` seconds later. New submissions stop at `--seconds`;
// the agents then finish what they hold. Verdict:
//   - every acknowledged submission exists exactly once (its key's externalId, the id it was told),
//     and nothing exists that was never acknowledged;
//   - during the outage the API answered 503 with Retry-After: never a hang (no answer in 10 s), never
//     another 5xx;
//   - the app recovered by itself: the same server process took submissions again.
// Prints the figures; exits non-zero only when the verdict fails or it could not run.
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { median, percentile, PrivatePostgres, Processes, reportVerdict, runScenario, sleep, startSeededApp, stopper } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-restart.md");
const KEY = "cs_live_restart_key_0123456789abcdefghijklmnopqrstuv";
const HANG_MS = 10_000;

const { values: opt } = parseArgs({
  options: {
    agents: { type: "string", default: "16" },
    seconds: { type: "string", default: "30" },
    outage: { type: "string", default: "6" },
    port: { type: "string", default: "3480" },
    "pg-port": { type: "string", default: "5499" },
  },
});
const agents = Number(opt.agents);
const seconds = Number(opt.seconds);
const outageSeconds = Number(opt.outage);
const base = `http://127.0.0.1:${opt.port}`;
const processes = new Processes("restart");

/** Every answer (or failure to answer) the agents saw, with when it came. */
const answers = [];
/** key → the review id its 201 named. */
const acked = new Map();
const tried = new Set();
let outage = { stoppedAt: null, startedAt: null };

async function submitOnce(key, n) {
  const started = Date.now();
  try {
    const res = await fetch(`${base}/api/v1/reviews`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ taskType: "ticket.tag", title: `Restart ${n}`, action: { ticketId: `T-${n}`, tags: ["billing"] }, externalId: key, confidence: 0.7 }),
      // Waits well past what counts as a hang, to tell how long a hang lasts.
      signal: AbortSignal.timeout(6 * HANG_MS),
    });
    const text = await res.text();
    const ms = Date.now() - started;
    const answer = { at: started, ms, status: ms > HANG_MS ? "hang" : res.status, answered: res.status, retryAfter: res.headers.get("retry-after"), problem: (res.headers.get("content-type") ?? "").includes("problem+json") };
    answers.push(answer);
    return { ...answer, body: text };
  } catch (e) {
    const answer = { at: started, ms: Date.now() - started, status: e.name === "TimeoutError" ? "hang" : "network", error: e.cause?.code ?? e.name };
    answers.push(answer);
    return answer;
  }
}

/** One agent: a new key after each acknowledgement, the same key until then. */
async function agent(id, until, giveUpAt) {
  for (let n = 0; Date.now() < until; n++) {
    const key = `restart-${id}-${n}`;
    tried.add(key);
    for (;;) {
      const a = await submitOnce(key, `${id}-${n}`);
      if (a.answered === 201 || a.answered === 200) {
        acked.set(key, JSON.parse(a.body).id);
        break;
      }
      if (Date.now() > giveUpAt) return;
      const wait = a.retryAfter ? Math.min(2, Number(a.retryAfter)) * 1000 : 300;
      await sleep(wait);
    }
  }
}

async function main() {
  const pg = new PrivatePostgres(processes, Number(opt["pg-port"]));
  let sql;
  const stopAll = stopper(async () => {
    await sql?.end({ timeout: 2 });
    await processes.stopAll();
    await pg.destroy();
  });
  await pg.init();
  await pg.start();
  const url = pg.url("countersign");
  const admin = postgres(pg.url("postgres"), { max: 1, onnotice: () => {} });
  await admin.unsafe("create database countersign");
  await admin.end();
  const env = {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: "restart-secret-not-for-production-0123456789abcdef",
    AUDIT_HMAC_KEY: "restart-audit-key-not-for-production-0123456789abcdef",
    DEMO_API_KEY: KEY,
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    NODE_ENV: "production",
  };
  try {
    const [server] = await startSeededApp(processes, REPO, env, [opt.port]);
    sql = postgres(url, { max: 1, onnotice: () => {} });

    const t0 = Date.now();
    const until = t0 + seconds * 1000;
    console.log(`${agents} agents submit for ${seconds} s; PostgreSQL stops at ${Math.round(seconds / 3)} s for ${outageSeconds} s.`);
    const restart = (async () => {
      await sleep((seconds / 3) * 1000);
      outage.stoppedAt = Date.now();
      await pg.stop("fast");
      await sleep(outageSeconds * 1000);
      await pg.start();
      outage.startedAt = Date.now();
    })();
    await Promise.all([restart, ...Array.from({ length: agents }, (_, i) => agent(i, until, until + 60_000))]);
    const serverAlive = server.child.exitCode === null;

    // What the database holds for the run's keys.
    const rows = await sql`select external_id, id::text, count(*) over (partition by external_id)::int as copies from reviews where external_id like 'restart-%'`;
    const stored = new Map(rows.map((r) => [r.external_id, r]));
    const missing = [...acked].filter(([key]) => !stored.has(key));
    const wrongId = [...acked].filter(([key, id]) => stored.has(key) && stored.get(key).id !== id);
    const duplicated = rows.filter((r) => r.copies > 1).map((r) => r.external_id);
    const unacknowledged = rows.filter((r) => !acked.has(r.external_id)).map((r) => r.external_id);

    const during = answers.filter((a) => a.at >= outage.stoppedAt && a.at <= outage.startedAt);
    const tally = (list) => Object.entries(list.reduce((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {})).map(([s, n]) => `${s}: ${n}`).join(", ");
    const hangs = answers.filter((a) => a.status === "hang");
    const other5xx = answers.filter((a) => a.answered >= 500 && a.answered !== 503);
    const bare503 = answers.filter((a) => a.status === 503 && (!a.retryAfter || !a.problem));
    const firstAfter = answers.find((a) => a.at >= outage.startedAt && a.answered === 201);
    const recoveredMs = firstAfter ? firstAfter.at + firstAfter.ms - outage.startedAt : null;
    const okMs = answers.filter((a) => a.answered === 201).map((a) => a.ms);

    const checks = [
      [`every acknowledged submission exists exactly once (${acked.size} acknowledged)`, missing.length === 0 && wrongId.length === 0 && duplicated.length === 0],
      [`nothing exists that was never acknowledged`, unacknowledged.length === 0],
      [`the outage was answered 503 with Retry-After and problem+json (${during.filter((a) => a.status === 503).length} such answers)`, during.some((a) => a.status === 503) && bare503.length === 0],
      [`no hang (no answer within ${HANG_MS / 1000} s): ${hangs.length}`, hangs.length === 0],
      [`no other 5xx: ${other5xx.length}`, other5xx.length === 0],
      [`the same server process took submissions again ${recoveredMs === null ? "(never)" : `${(recoveredMs / 1000).toFixed(1)} s after PostgreSQL was back`}`, serverAlive && recoveredMs !== null],
    ];
    reportVerdict(REPORT, REPO, {
      title: "Restart under load",
      setup: `${agents} agents for ${seconds} s against \`next start\` on a private PostgreSQL cluster (port ${opt["pg-port"]}), stopped (fast shutdown) after ${Math.round(seconds / 3)} s and started again ${outageSeconds} s later.`,
      figures: [
        `Requests: ${answers.length} (${tally(answers)}); keys: ${tried.size}, acknowledged ${acked.size}`,
        `During the outage: ${during.length} answers (${tally(during) || "none"})`,
        `Slowest answer: ${(Math.max(...answers.map((a) => a.ms)) / 1000).toFixed(1)} s`,
        `Hangs: ${hangs.map((a) => `started ${((a.at - outage.stoppedAt) / 1000).toFixed(1)} s after the stop, answered ${a.answered ?? a.error} after ${(a.ms / 1000).toFixed(1)} s`).join("; ") || "none"}`,
        `Accepted submissions: median ${okMs.length ? median(okMs).toFixed(0) : "–"} ms, p99 ${okMs.length ? percentile(okMs, 99).toFixed(0) : "–"} ms`,
        `Missing ${missing.length}, wrong id ${wrongId.length}, duplicated ${duplicated.length}, unacknowledged ${unacknowledged.length}`,
      ],
      checks,
      servers: [server],
    });
  } finally {
    await stopAll();
  }
}

await runScenario(processes, main);
