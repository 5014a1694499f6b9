// `npm run bench:receiver [-- --items 200 --down 15 --failing 15 --port 3481 --receiver-port 3482]` —
// issue 8, scenario 3: the agents' webhook receiver is down, then answers 500, then recovers.
//
// Serves the app (`next start`, a scratch database on the machine's PostgreSQL) with the receiver's
// address allow-listed. Agents submit `--items` auto-approved items (route.adjust, confident), each
// with a callbackUrl on the receiver, so each one owes it exactly one signed `review.decided`. The
// receiver refuses connections for `--down` seconds (it isn't listening), answers 500 for `--failing`
// seconds, then verifies each delivery with the standardwebhooks package and answers 204.
//
// The retry schedule is hours long (5 s, 5 min, 30 min, …), so the script moves time forward instead
// of waiting: every second it makes pending deliveries due now (`next_attempt_at = now()`), as if
// their wait were over. Everything else — claiming, signing, recording attempts — is the app's own.
//
// Verdict: every item's event arrived and verified; its webhook-id was the same on every attempt;
// no event was answered 2xx twice; the outbox shows each delivery `delivered` with its attempts
// recorded. Prints the figures; exits non-zero only when the verdict fails or it could not run.
import path from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { Processes, reportVerdict, runScenario, scratchDatabase, sleep, startSeededApp, stopper, webhookReceiver } from "./lib.mjs";

const REPO = path.resolve(import.meta.dirname, "../..");
const REPORT = path.join(import.meta.dirname, "REPORT-receiver.md");
const KEY = "cs_live_receiver_key_0123456789abcdefghijklmnopqrstu";
const SECRET = "whsec_cmVjZWl2ZXItZG93bi1zY2VuYXJpby1zZWNyZXQh";

const { values: opt } = parseArgs({
  options: {
    items: { type: "string", default: "200" },
    down: { type: "string", default: "15" },
    failing: { type: "string", default: "15" },
    port: { type: "string", default: "3481" },
    "receiver-port": { type: "string", default: "3482" },
    "pg-url": { type: "string", default: process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const items = Number(opt.items);
const base = `http://127.0.0.1:${opt.port}`;
const receiverPort = Number(opt["receiver-port"]);
const processes = new Processes("receiver");

async function main() {
  const scratch = await scratchDatabase(opt["pg-url"], `countersign_receiver_${process.pid}`);
  const env = {
    ...process.env,
    DATABASE_URL: scratch.url,
    AUTH_SECRET: "receiver-secret-not-for-production-0123456789abcdef",
    AUDIT_HMAC_KEY: "receiver-audit-key-not-for-production-0123456789abcdef",
    DEMO_API_KEY: KEY,
    DEMO_WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOWLIST: `127.0.0.1:${receiverPort}`,
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    NODE_ENV: "production",
  };
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  // Down (not listening) until listen(), then failing (500) until `failing` is cleared, then up.
  let failing = true;
  const hook = webhookReceiver(SECRET, receiverPort, { status: () => (failing ? 500 : null) });
  let forward;
  const stopAll = stopper(async () => {
    clearInterval(forward);
    await hook.close().catch(() => {});
    await processes.stopAll();
    await sql.end({ timeout: 2 });
    await scratch.drop();
  });
  try {
    const servers = await startSeededApp(processes, REPO, env, [opt.port]);

    const t0 = Date.now();
    // Time moves forward: pending deliveries to the receiver are due at once.
    forward = setInterval(() => {
      sql`update webhook_deliveries set next_attempt_at = now() where status = 'pending' and next_attempt_at > now() and url like ${`http://127.0.0.1:${receiverPort}/%`}`.catch(() => {});
    }, 1000);

    console.log(`Submitting ${items} auto-approved items whose callbacks go to a receiver that is down…`);
    const reviewIds = [];
    for (let i = 0; i < items; i += 20) {
      const batch = Array.from({ length: Math.min(20, items - i) }, (_, j) => ({
        taskType: "route.adjust",
        title: `Receiver ${i + j}`,
        action: { routeId: `R-${i + j}`, vehicleId: "V-1", stopsAdded: 1, stopsRemoved: 0, etaChangeMinutes: 3 },
        confidence: 0.99,
        callbackUrl: `http://127.0.0.1:${receiverPort}/hooks/${i + j}`,
      }));
      const res = await fetch(`${base}/api/v1/reviews/batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ items: batch }),
      });
      const answer = await res.json();
      if (res.status !== 200) throw new Error(`batch answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      for (const r of answer.results) {
        if (r.status !== 201 || r.review.status !== "approved") throw new Error(`an item wasn't auto-approved: ${JSON.stringify(r).slice(0, 300)}`);
        reviewIds.push(r.review.id);
      }
    }
    await sleep(Math.max(0, Number(opt.down) * 1000 - (Date.now() - t0)));
    console.log("The receiver answers 500…");
    await hook.listen();
    await sleep(Number(opt.failing) * 1000);
    console.log("The receiver is back…");
    failing = false;
    const upAt = Date.now();

    // Until the outbox is empty for the receiver (or three minutes pass).
    let left;
    for (const until = Date.now() + 180_000; Date.now() < until; await sleep(1000)) {
      [{ left }] = await sql`select count(*)::int as left from webhook_deliveries where status <> 'delivered' and url like ${`http://127.0.0.1:${receiverPort}/%`}`;
      if (left === 0) break;
    }
    clearInterval(forward);
    await sleep(2000); // a late duplicate would show up here
    const deliveredIn = (Date.now() - upAt) / 1000;

    const outbox = await sql`select d.message_id, d.status, d.attempts, d.payload->>'reviewId' as review_id,
        (select count(*)::int from webhook_attempts a where a.delivery_id = d.id) as recorded
      from webhook_deliveries d where d.url like ${`http://127.0.0.1:${receiverPort}/%`}`;
    const successes = new Map();
    const idsByReview = new Map();
    for (const s of hook.seen) {
      if (s.status >= 200 && s.status < 300) successes.set(s.id, (successes.get(s.id) ?? 0) + 1);
      if (s.reviewId) idsByReview.set(s.reviewId, new Set([...(idsByReview.get(s.reviewId) ?? []), s.id]));
    }
    const delivered = reviewIds.filter((id) => [...(idsByReview.get(id) ?? [])].some((m) => successes.has(m)));
    const unstableIds = [...idsByReview].filter(([, ids]) => ids.size > 1);
    const twice = [...successes].filter(([, n]) => n > 1);
    const unverified = hook.seen.filter((s) => !s.verified);
    const failedAttempts = hook.seen.filter((s) => s.status === 500).length;
    const attempts = outbox.map((o) => o.attempts);
    const checks = [
      [`every item's review.decided arrived and verified (${delivered.length} of ${reviewIds.length})`, delivered.length === reviewIds.length && unverified.length === 0],
      [`one webhook-id per item across its retries (${unstableIds.length} items with more)`, unstableIds.length === 0],
      [`no event answered 2xx twice (${twice.length})`, twice.length === 0],
      [`the outbox has one delivered message per item, every attempt recorded`, outbox.length === reviewIds.length && outbox.every((o) => o.status === "delivered" && o.recorded === o.attempts)],
      [`the receiver saw retries while failing (${failedAttempts} answered 500)`, failedAttempts > 0],
    ];
    reportVerdict(REPORT, REPO, {
      title: "Webhook receiver down, failing, recovered",
      setup: `${items} auto-approved items with callbacks; the receiver refused connections for ${opt.down} s, answered 500 for ${opt.failing} s, then verified and answered 204. Pending deliveries were made due every second (the real schedule waits 5 s, 5 min, 30 min, …).`,
      figures: [
        `Requests the receiver saw: ${hook.seen.length} (500: ${failedAttempts}, 2xx: ${hook.seen.filter((s) => s.status < 300).length}, unverified: ${unverified.length})`,
        `Attempts per delivery (outbox): min ${Math.min(...attempts)}, max ${Math.max(...attempts)}; ${left === 0 ? `all delivered ${deliveredIn.toFixed(1)} s after the receiver came back` : `${left} still not delivered after 3 minutes`}`,
      ],
      checks,
      servers,
    });
  } finally {
    await stopAll();
  }
}

await runScenario(processes, main);
