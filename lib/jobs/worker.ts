import "server-only";
import { getDb } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { chainAuditLog } from "@/db/queries/audit";
import { pruneIdempotencyKeys } from "@/db/queries/idempotency";
import { pruneRateLimits } from "@/db/queries/rate-limit";
import { expireDueReviews } from "@/db/queries/reviews";
import { stepDownRegressedTaskTypes } from "@/lib/jobs/step-down";
import { disableFailingEndpoints } from "@/db/queries/webhook-endpoints";
import { auditHmacKey } from "@/lib/security/audit-key";
import { env } from "@/lib/config/env";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver";

const TICK_MS = 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
const STEP_DOWN_EVERY_MS = 10 * 60 * 1000;
// The threshold is days, so a few minutes' lateness doesn't matter.
const FAILING_ENDPOINTS_EVERY_MS = 5 * 60 * 1000;
const HOUR = 3600 * 1000;

/** Runs `task` every `everyMs`, never two at once; a database outage is expected now and then and retried. */
function every(everyMs: number, task: () => Promise<unknown>): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await task();
    } catch (e) {
      if (!isDatabaseUnavailable(e)) console.error("[worker]", e);
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The background work every instance runs: expire due reviews (fail closed), link new audit entries
 * into their organization's hash chain, deliver due webhooks from the outbox, and now and then prune
 * idempotency keys (kept 48 h) and old rate-limit windows, step regressing task types back where
 * an organization asked for it, and disable webhook endpoints that have failed for days.
 * Instances cooperate through SKIP LOCKED, so running it everywhere does nothing twice.
 */
export function startBackgroundWork(): () => void {
  // Separate loops: a slow webhook receiver must not hold up the expiry sweep.
  const stops = [
    every(TICK_MS, () => expireDueReviews(getDb())),
    every(TICK_MS, () => chainAuditLog(getDb(), { key: auditHmacKey() })),
    every(TICK_MS, () => deliverDueWebhooks(getDb(), { allowlist: env().WEBHOOK_ALLOWLIST })),
    every(STEP_DOWN_EVERY_MS, () => stepDownRegressedTaskTypes(getDb())),
    every(FAILING_ENDPOINTS_EVERY_MS, () => disableFailingEndpoints(getDb())),
    every(PRUNE_EVERY_MS, async () => {
      await pruneIdempotencyKeys(getDb(), new Date(Date.now() - 48 * HOUR));
      await pruneRateLimits(getDb(), new Date(Date.now() - HOUR));
    }),
  ];
  return () => stops.forEach((stop) => stop());
}
