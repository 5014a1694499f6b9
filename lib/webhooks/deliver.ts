import "server-only";
import type { Db } from "@/db/client";
import { claimDueDeliveries, ensureOrganizationWebhookSecret, recordDeliveryAttempt, type ClaimedDelivery } from "@/db/queries/webhooks";
import { decryptSecret } from "@/lib/security/crypto";
import { postToCheckedAddress } from "./pinned-post";
import { nextAttemptAfter } from "./schedule";
import { signatureHeader } from "../security/webhook-signature";
import { checkWebhookTarget, type LookupAddresses } from "./ssrf";

export type DeliverOptions = {
  /** `host:port` entries exempt from the private-address refusal (WEBHOOK_ALLOWLIST). */
  allowlist: readonly string[];
  /** Deliveries claimed per pass. */
  limit?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** How long a claim hides its rows from other workers; must outlast a DNS check plus a send. */
  leaseSeconds?: number;
  timeoutMs?: number;
  /** The resolver for the send-time check, whose answer is the only address connected to. */
  lookup?: LookupAddresses;
  /**
   * The worker's clock for choosing due rows and scheduling retries (tests move it). The signed
   * `webhook-timestamp` is always the real send time: receivers check it against their own clocks.
   */
  now?: Date;
};

export type DeliverResult = { attempted: number; delivered: number; failed: number; retrying: number };

const DEFAULTS = { limit: 20, concurrency: 8, leaseSeconds: 60, timeoutMs: 10_000 };
const USER_AGENT = "Countersign-Webhooks/1";

type Outcome = { ok: boolean; status: number | null; error: string | null; permanent: boolean };

/** Sealed secrets for this delivery, opened: the endpoint's (and its unexpired previous one) or the org's. */
async function signingSecrets(db: Db, delivery: ClaimedDelivery): Promise<string[]> {
  if (delivery.endpointId) {
    if (!delivery.endpointSecretEncrypted) throw new Error("The endpoint has no signing secret.");
    return [delivery.endpointSecretEncrypted, delivery.endpointPreviousSecretEncrypted].filter((s): s is string => !!s).map(decryptSecret);
  }
  const sealed = delivery.organizationSecretEncrypted ?? (await ensureOrganizationWebhookSecret(db, delivery.organizationId));
  return [decryptSecret(sealed)];
}

async function send(db: Db, delivery: ClaimedDelivery, options: DeliverOptions, timeoutMs: number): Promise<Outcome> {
  if (delivery.endpointId && delivery.endpointDisabled) return { ok: false, status: null, error: "The endpoint was disabled.", permanent: true };
  // Checked again at send time: the name may resolve elsewhere now than when the URL was accepted.
  const target = await checkWebhookTarget(delivery.url, { allowlist: options.allowlist, lookup: options.lookup, requireHttps: delivery.endpointId !== null });
  if (!target.ok) return { ok: false, status: null, error: `Refused: ${target.reason}`, permanent: target.permanent };
  let secrets: string[];
  try {
    secrets = await signingSecrets(db, delivery);
  } catch (e) {
    console.error(`[webhooks] no usable signing secret for delivery ${delivery.id}`, e);
    return { ok: false, status: null, error: "The signing secret couldn't be read.", permanent: false };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await postToCheckedAddress(target, {
    headers: {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      "webhook-id": delivery.messageId,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signatureHeader(delivery.messageId, timestamp, delivery.body, secrets),
    },
    body: delivery.body,
    timeoutMs,
  });
  if (!response.ok) return { ok: false, status: null, error: response.error, permanent: false };
  // A redirect could lead anywhere, including inside our network: it counts as a failure.
  if (response.status >= 300 && response.status < 400) {
    return { ok: false, status: response.status, error: `Redirect (${response.status}) not followed: the URL must answer 2xx itself.`, permanent: false };
  }
  if (response.status < 200 || response.status >= 300) return { ok: false, status: response.status, error: `HTTP ${response.status}`, permanent: false };
  return { ok: true, status: response.status, error: null, permanent: false };
}

/**
 * One pass of the outbox: claim due deliveries, send each (a few at a time), record every attempt and
 * schedule retries (see `RETRY_DELAYS_SECONDS`). Bad targets and bad responses are recorded, never
 * thrown; only a failure to reach the database propagates (the caller's loop retries next tick).
 *
 * A target refused at send time is a failed attempt, retried on the usual schedule when the refusal
 * came from DNS (the answer can change, or the allow-list be fixed), and failed at once when the URL
 * itself can never be sent to (bad scheme, credentials, a literal private IP, a disabled endpoint).
 */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions): Promise<DeliverResult> {
  const limit = options.limit ?? DEFAULTS.limit;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const claimed = await claimDueDeliveries(db, { limit, leaseSeconds: options.leaseSeconds ?? DEFAULTS.leaseSeconds, now: options.now });
  const result: DeliverResult = { attempted: 0, delivered: 0, failed: 0, retrying: 0 };

  const deliverOne = async (delivery: ClaimedDelivery) => {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await send(db, delivery, options, timeoutMs);
    } catch (e) {
      console.error(`[webhooks] delivery ${delivery.id} crashed`, e);
      outcome = { ok: false, status: null, error: "Internal error while sending.", permanent: false };
    }
    const durationMs = performance.now() - started;
    const now = options.now ?? new Date();
    const nextAttemptAt = outcome.ok || outcome.permanent ? null : nextAttemptAfter(delivery.attempts + 1, now);
    result.attempted += 1;
    try {
      const recorded = await recordDeliveryAttempt(db, {
        id: delivery.id,
        organizationId: delivery.organizationId,
        ok: outcome.ok,
        status: outcome.status,
        error: outcome.error,
        durationMs,
        nextAttemptAt,
        now,
      });
      if (!recorded) return;
    } catch (e) {
      // The lease brings the row back, so the message is retried rather than lost.
      console.error(`[webhooks] couldn't record delivery ${delivery.id}`, e);
      return;
    }
    if (outcome.ok) result.delivered += 1;
    else if (nextAttemptAt) result.retrying += 1;
    else result.failed += 1;
    if (!outcome.ok) {
      const next = nextAttemptAt ? `retry at ${nextAttemptAt.toISOString()}` : "giving up";
      console.warn(`[webhooks] ${delivery.event} ${delivery.messageId} attempt ${delivery.attempts + 1} failed (${outcome.error}); ${next}`);
    }
  };

  const queue = [...claimed];
  const workers = Array.from({ length: Math.min(options.concurrency ?? DEFAULTS.concurrency, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await deliverOne(next);
  });
  await Promise.all(workers);
  return result;
}
