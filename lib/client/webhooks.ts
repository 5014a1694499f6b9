import { verifySignature } from "@/lib/security/webhook-signature";
import type { WebhookEvent } from "./types";

/**
 * Receiving Countersign webhooks (Standard Webhooks). The verifier is the server's own signing module,
 * re-exported rather than re-implemented, so sender and receiver can't drift apart.
 */
export { verifySignature };

export type WebhookHeaders = Parameters<typeof verifySignature>[0]["headers"];

export class WebhookVerificationError extends Error {
  constructor(message = "The webhook signature or timestamp did not verify.") {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/**
 * Verifies a delivery and returns its parsed body; throws `WebhookVerificationError` when the signature
 * doesn't match or the timestamp is more than `toleranceSeconds` (default 300) away from now. Pass the
 * raw body exactly as received: re-serialized JSON will not verify. Deliveries can repeat (retries), so
 * dedupe on the `webhook-id` header.
 */
export function parseWebhook(params: { headers: WebhookHeaders; body: string | Uint8Array; secret: string; toleranceSeconds?: number; now?: Date }): WebhookEvent {
  if (!verifySignature(params)) throw new WebhookVerificationError();
  const text = typeof params.body === "string" ? params.body : new TextDecoder().decode(params.body);
  return JSON.parse(text) as WebhookEvent;
}
