// `npm run bench:instances [-- --decided 200 --expiring 100 --reviewers 40 --items 400 --ports 3483,3484 --receiver-port 3485]` —
// issue 8, scenario 4: two `next start` processes on one PostgreSQL share claims, the outbox and the
// expiry sweep, and live updates cross between them.
//
// Both instances run the background worker (expiry, delivery) against one scratch database on the
// machine's PostgreSQL. Agents submit, alternating between the instances:
//   - `--decided` auto-approved items (route.adjust, confident) with a callbackUrl: each owes the
//     receiver exactly one signed review.decided;
//   - `--expiring` items that wait for a person (a new task type: approve-before-action) with
//     expiresInSeconds 10 (the least allowed) and a callbackUrl: each must expire once — one audit entry, one rollup count,
//     one review.expired at the receiver — though both instances sweep.
// A reviewer is signed in on each instance with the queue's live stream open, and one item's own stream
// is open on the instance that did not take it.
// Then `--reviewers` reviewers, half signed in on each instance, race over `--items` items of a fresh
// organization (the reviewer race of e2e/race/reviewer-race.ts): claims made on one instance hold on the other.
// Verdict: nothing delivered, expired or decided twice, nothing missed; each queue stream saw the
// submissions made on the other instance; the item stream saw its item expire. Exits non-zero when it fails.
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { register } from "tsx/esm/api";
import { Processes, reportVerdict, runScenario, scratchDatabase, signIn, sleep, startSeededApp, stopper, webhookReceiver } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-instances.md");
const KEY = "cs_live_instances_key_0123456789abcdefghijklmnopqrs";
const SECRET = "whsec_dHdvLWluc3RhbmNlcy1zY2VuYXJpby1zZWNyZXQ=";

const { values: opt } = parseArgs({
  options: {
    decided: { type: "string", default: "200" },
    expiring: { type: "string", default: "100" },
    reviewers: { type: "string", default: "40" },
    items: { type: "string", default: "400" },
    ports: { type: "string", default: "3483,3484" },
    "receiver-port": { type: "string", default: "3485" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const ports = opt.ports.split(",");
const bases = ports.map((p) => `http://127.0.0.1:${p}`);
const receiverPort = Number(opt["receiver-port"]);
const receiverUrl = `http://127.0.0.1:${receiverPort}`;
const processes = new Processes("instances");

/** Reads a server-sent event stream in the background; `events` fills as they come. */
function openStream(url, cookie) {
  const events = [];
  const controller = new AbortController();
  const done = (async () => {
    const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = buffer.slice(0, end).split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
        buffer = buffer.slice(end + 2);
        if (data) events.push({ at: Date.now(), ...JSON.parse(data) });
      }
    }
  })().catch((e) => (e.name === "AbortError" ? undefined : Promise.reject(e)));
  return { events, close: () => (controller.abort(), done) };
}

async function submit(base, body, key) {
  const res = await fetch(`${base}/api/v1/reviews`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });
  const answer = await res.json();
  if (res.status !== 201) throw new Error(`${base} answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  return answer;
}

async function main() {
  const scratch = await scratchDatabase(opt["pg-url"], `countersign_instances_${process.pid}`);
  const env = {
    ...process.env,
    DATABASE_URL: scratch.url,
    AUTH_SECRET: "instances-secret-not-for-production-0123456789abcdef",
    AUDIT_HMAC_KEY: "instances-audit-key-not-for-production-0123456789abcdef",
    SIGNUP_ENABLED: "true",
    DEMO_API_KEY: KEY,
    DEMO_WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWLIST: `127.0.0.1:${receiverPort}`,
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    NODE_ENV: "production",
  };
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  const receiver = webhookReceiver(SECRET, receiverPort);
  await receiver.listen();
  const streams = [];
  const stopAll = stopper(async () => {
    await Promise.all(streams.map((s) => s.close().catch(() => {})));
    await receiver.close();
    await processes.stopAll();
    await sql.end({ timeout: 2 });
    await scratch.drop();
  });
  try {
    const servers = await startSeededApp(processes, REPO, env, ports);
    const cookies = await Promise.all(bases.map((b) => signIn(b, "reviewer@acme.test", "countersign")));
    const queueStreams = bases.map((b, i) => openStream(`${b}/api/queue/events`, cookies[i]));
    streams.push(...queueStreams);
    await sleep(1000);

    // Items that wait for a person and expire in 10 s, alternating instances; one item's stream on the other instance.
    const expiring = [];
    for (let i = 0; i < Number(opt.expiring); i++) {
      const via = i % 2;
      const review = await submit(bases[via], { taskType: "scenario.expiring", title: `Expiring ${i}`, action: { n: i }, expiresInSeconds: 10, callbackUrl: `${receiverUrl}/expired/${i}` }, `expiring-${i}`);
      if (review.status !== "pending") throw new Error(`an expiring item is ${review.status}, not pending`);
      expiring.push({ id: review.id, via, at: Date.now() });
      if (i === 0) streams.push(Object.assign(openStream(`${bases[1]}/api/queue/events?review=${review.id}`, cookies[1]), { itemId: review.id }));
    }
    const decided = [];
    for (let i = 0; i < Number(opt.decided); i++) {
      const via = i % 2;
      const review = await submit(
        bases[via],
        { taskType: "route.adjust", title: `Decided ${i}`, action: { routeId: `R-${i}`, vehicleId: "V-1", stopsAdded: 1, stopsRemoved: 0, etaChangeMinutes: 2 }, confidence: 0.99, callbackUrl: `${receiverUrl}/decided/${i}` },
        `decided-${i}`,
      );
      if (review.status !== "approved") throw new Error(`an auto-approved item is ${review.status}`);
      decided.push({ id: review.id, via, at: Date.now() });
    }

    // Until every item expired and the outbox to the receiver is empty (at most two minutes).
    let state;
    for (const until = Date.now() + 120_000; Date.now() < until; await sleep(1000)) {
      [state] = await sql`select
          (select count(*)::int from reviews where status = 'pending' and id = any(${expiring.map((e) => e.id)}::uuid[])) as pending,
          (select count(*)::int from webhook_deliveries where status <> 'delivered' and url like ${`${receiverUrl}/%`}) as undelivered`;
      if (state.pending === 0 && state.undelivered === 0) break;
    }
    await sleep(3000); // a second sweep or a duplicate delivery would show up here

    // With everything quiet, one submission on each instance in turn: the other's queue stream must hear it.
    const crossed = [];
    for (const via of [0, 1]) {
      const before = queueStreams[1 - via].events.length;
      await submit(bases[via], { taskType: "scenario.expiring", title: `Probe ${via}`, action: { probe: via } }, `probe-${via}`);
      await sleep(2000);
      crossed.push(queueStreams[1 - via].events.length - before);
    }
    await Promise.all(streams.map((s) => s.close()));

    // Reviewers on both instances race over one queue.
    register();
    const { runReviewerRace } = await import("../race/reviewer-race.ts");
    const race = await runReviewerRace({ bases, databaseUrl: scratch.url, reviewers: Number(opt.reviewers), items: Number(opt.items), repo: REPO, log: (line) => console.log(line) });
    for (const p of race.problems.slice(0, 20)) console.log(`  ✗ ${p}`);

    const successesById = new Map();
    const idsByReview = new Map();
    for (const s of receiver.seen.filter((s) => s.verified)) {
      successesById.set(s.id, (successesById.get(s.id) ?? 0) + 1);
      const key = `${s.type} ${s.reviewId}`;
      idsByReview.set(key, new Set([...(idsByReview.get(key) ?? []), s.id]));
    }
    const once = (type, items) => items.filter((it) => idsByReview.get(`${type} ${it.id}`)?.size === 1).length;
    const twice = [...successesById].filter(([, n]) => n > 1).length;
    const expiredIds = expiring.map((e) => e.id);
    const [db] = await sql`select
        (select count(*)::int from reviews where status = 'expired' and id = any(${expiredIds}::uuid[])) as expired,
        (select count(*)::int from audit_log where action = 'review.expired' and target_id = any(${expiredIds})) as audits,
        (select coalesce(sum(expired), 0)::int from daily_rollups r join task_types t on t.id = r.task_type_id where t.key = 'scenario.expiring') as rolled`;
    const item = streams.find((s) => s.itemId);
    const itemExpired = item.events.some((e) => e.status === "expired");
    const checks = [
      [`each of ${decided.length} auto-approvals delivered its review.decided exactly once`, once("review.decided", decided) === decided.length],
      [`each of ${expiring.length} items expired once: ${db.expired} expired, ${db.audits} audit entries, ${db.rolled} counted in the rollups, ${once("review.expired", expiring)} review.expired delivered`, db.expired === expiring.length && db.audits === expiring.length && db.rolled === expiring.length && once("review.expired", expiring) === expiring.length],
      [`no message answered 2xx twice (${twice}); every delivery verified (${receiver.seen.filter((s) => !s.verified).length} not)`, twice === 0 && receiver.seen.every((s) => s.verified)],
      [`a submission on either instance reached the other's live queue stream (${crossed.join(" and ")} events)`, crossed.every((n) => n > 0)],
      [`an item submitted on one instance was seen expiring by its stream on the other`, itemExpired],
      ...race.checks.map(([label, ok]) => [`reviewers on both instances: ${label}`, ok]),
    ];
    reportVerdict(REPORT, REPO, {
      title: "Two instances on one PostgreSQL",
      setup: `Two \`next start\` processes (ports ${ports.join(", ")}), each with its worker; ${decided.length} auto-approved items with callbacks and ${expiring.length} items expiring after 10 s, submitted alternately to each; then ${opt.reviewers} reviewers, half on each instance, race over ${opt.items} items.`,
      figures: [`Receiver: ${receiver.seen.length} requests`, ...race.figures],
      checks,
      servers,
    });
  } finally {
    await stopAll();
  }
}

await runScenario(processes, main);
