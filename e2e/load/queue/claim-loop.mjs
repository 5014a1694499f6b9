// The load loop shared by the two claim workers (claim-bare.mjs, claim-app.ts), so the bare statement
// and the app's claimNext are driven the same way: N callers in one process, each claiming again as
// soon as its previous claim returns, first for a warm-up, then — once the orchestrator has reset the
// claims and says "go" on stdin — for the measured window. Prints one `BENCH_JSON {...}` line.
import readline from "node:readline";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function settings() {
  const num = (name, fallback) => {
    const n = Number(process.env[name] ?? fallback);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number`);
    return n;
  };
  const scopes = JSON.parse(process.env.BENCH_SCOPES ?? "[]");
  if (!process.env.BENCH_DB_URL || !scopes.length) throw new Error("BENCH_DB_URL and BENCH_SCOPES are required");
  return {
    url: process.env.BENCH_DB_URL,
    scopes,
    callers: Math.round(num("BENCH_CALLERS", 16)),
    warmup: num("BENCH_WARMUP", 3),
    duration: num("BENCH_DURATION", 10),
    leaseMinutes: Math.round(num("BENCH_LEASE_MINUTES", 10)),
  };
}

/** Waits for the orchestrator's "go" (it resets the claims the warm-up made in between). */
function waitForGo() {
  if (process.env.BENCH_NO_HANDSHAKE === "1") return Promise.resolve();
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin });
    rl.on("line", (line) => {
      if (line.trim() === "go") {
        rl.close();
        // An open stdin would keep the process alive after its report.
        process.stdin.destroy();
        resolve();
      }
    });
  });
}

/**
 * Runs `callers` concurrent loops of `claim(i)` (i: the caller's index; it resolves truthy when it
 * claimed an item, falsy when nothing was free). Resolves to the measured window's summary.
 */
export async function runClaimers({ callers, warmup, duration }, claim) {
  const window = async (seconds, record) => {
    const until = performance.now() + seconds * 1000;
    const loop = async (i) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const claimed = await claim(i);
          record?.ok(performance.now() - t0, Boolean(claimed));
        } catch (e) {
          record?.error(e);
          // A broken statement must not spin: it is reported, not benchmarked.
          await sleep(50);
        }
      }
    };
    await Promise.all(Array.from({ length: callers }, (_, i) => loop(i)));
  };

  if (warmup > 0) await window(warmup, null);
  console.log("BENCH_WARM");
  await waitForGo();

  const latencies = [];
  const perSecond = [];
  let empty = 0;
  let errors = 0;
  let firstError = null;
  const t0 = performance.now();
  const record = {
    ok(ms, claimed) {
      if (!claimed) {
        empty++;
        return;
      }
      latencies.push(ms);
      const second = Math.floor((performance.now() - t0) / 1000);
      perSecond[second] = (perSecond[second] ?? 0) + 1;
    },
    error(e) {
      errors++;
      firstError ??= String(e?.message ?? e).slice(0, 400);
    },
  };
  await window(duration, record);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
  return {
    seconds: elapsed,
    claims: latencies.length,
    claimsPerSec: latencies.length / elapsed,
    p50ms: pct(50),
    p99ms: pct(99),
    maxMs: latencies.at(-1) ?? null,
    empty,
    errors,
    firstError,
    // Claims in each whole second of the window: shows whether the rate falls as claimed items pile up.
    perSecond: Array.from({ length: Math.floor(elapsed) }, (_, i) => perSecond[i] ?? 0),
  };
}

export function report(summary) {
  console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
}
