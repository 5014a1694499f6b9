import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { parseWebhook, verifySignature, WebhookVerificationError } from "./index";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ type: "review.decided", timestamp: "2025-01-01T00:00:00.000Z", data: { review: { id: "r1", status: "approved" } } });

/** Signed by the reference Standard Webhooks implementation, as a receiver would get it. */
function delivery(at = new Date()) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = new Webhook(secret).sign("msg_1", at, body);
  return { "webhook-id": "msg_1", "webhook-timestamp": timestamp, "webhook-signature": signature };
}

describe("webhook verification from the client", () => {
  it("verifies a Standard Webhooks signature and parses the event", () => {
    const headers = delivery();
    expect(verifySignature({ headers, body, secret })).toBe(true);
    const event = parseWebhook({ headers: new Headers(headers), body, secret });
    expect(event.type).toBe("review.decided");
    expect(event.data).toEqual({ review: { id: "r1", status: "approved" } });
  });

  it("refuses a changed body, another secret, and an old timestamp", () => {
    const headers = delivery();
    expect(() => parseWebhook({ headers, body: body.replace("approved", "rejected"), secret })).toThrow(WebhookVerificationError);
    expect(() => parseWebhook({ headers, body, secret: `whsec_${randomBytes(32).toString("base64")}` })).toThrow(WebhookVerificationError);
    const stale = delivery(new Date(Date.now() - 10 * 60 * 1000));
    expect(() => parseWebhook({ headers: stale, body, secret })).toThrow(WebhookVerificationError);
  });
});
