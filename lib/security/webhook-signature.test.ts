import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signatureFor, signatureHeader, verifySignature } from "./webhook-signature";

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const body = JSON.stringify({ type: "review.decided", timestamp: "2025-01-01T00:00:00.000Z", data: { review: { id: "r1", note: "naïve ✓" } } });

function headersFor(msgId: string, timestamp: number, signature: string) {
  return { "webhook-id": msgId, "webhook-timestamp": String(timestamp), "webhook-signature": signature };
}

describe("signatureFor / signatureHeader", () => {
  it("signs what the standardwebhooks package verifies", () => {
    const secret = newSecret();
    const ts = nowSeconds();
    const signature = signatureFor({ msgId: "msg_1", timestamp: ts, body, secret });
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headersFor("msg_1", ts, signature))).toEqual(JSON.parse(body));
  });

  it("produces exactly the package's signature", () => {
    const secret = newSecret();
    const ts = 1_700_000_000;
    expect(signatureFor({ msgId: "msg_x", timestamp: ts, body, secret })).toBe(new Webhook(secret).sign("msg_x", new Date(ts * 1000), body));
  });

  it("signs with every secret during a rotation, and each alone verifies", () => {
    const [oldSecret, newOne] = [newSecret(), newSecret()];
    const ts = nowSeconds();
    const header = signatureHeader("msg_2", ts, body, [newOne, oldSecret]);
    expect(header.split(" ")).toHaveLength(2);
    for (const secret of [oldSecret, newOne]) {
      expect(() => new Webhook(secret).verify(body, headersFor("msg_2", ts, header))).not.toThrow();
      expect(verifySignature({ headers: headersFor("msg_2", ts, header), body, secret })).toBe(true);
    }
    expect(verifySignature({ headers: headersFor("msg_2", ts, header), body, secret: newSecret() })).toBe(false);
  });

  it("refuses an unusable secret or an empty list", () => {
    expect(() => signatureFor({ msgId: "m", timestamp: 1, body, secret: "whsec_" })).toThrow(/whsec_/);
    expect(() => signatureHeader("m", 1, body, [])).toThrow();
  });
});

describe("verifySignature", () => {
  it("verifies what the standardwebhooks package signs", () => {
    const secret = newSecret();
    const ts = nowSeconds();
    const signature = new Webhook(secret).sign("msg_3", new Date(ts * 1000), body);
    expect(verifySignature({ headers: headersFor("msg_3", ts, signature), body, secret })).toBe(true);
    expect(verifySignature({ headers: headersFor("msg_3", ts, signature), body: Buffer.from(body), secret })).toBe(true);
  });

  it("accepts a Headers object and any header casing", () => {
    const secret = newSecret();
    const ts = nowSeconds();
    const signature = signatureFor({ msgId: "msg_4", timestamp: ts, body, secret });
    expect(verifySignature({ headers: new Headers(headersFor("msg_4", ts, signature)), body, secret })).toBe(true);
    const upper = { "Webhook-Id": "msg_4", "Webhook-Timestamp": String(ts), "Webhook-Signature": signature };
    expect(verifySignature({ headers: upper, body, secret })).toBe(true);
  });

  it("fails on any tampering", () => {
    const secret = newSecret();
    const ts = nowSeconds();
    const signature = signatureFor({ msgId: "msg_5", timestamp: ts, body, secret });
    const ok = headersFor("msg_5", ts, signature);
    expect(verifySignature({ headers: ok, body, secret })).toBe(true);
    expect(verifySignature({ headers: ok, body: body.replace("r1", "r2"), secret })).toBe(false);
    expect(verifySignature({ headers: ok, body: `${body} `, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-id": "msg_6" }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-timestamp": String(ts - 1) }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-signature": signature.replace("v1,", "v2,") }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-signature": `${signature}x` }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-signature": "v1," }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { ...ok, "webhook-signature": "" }, body, secret })).toBe(false);
    expect(verifySignature({ headers: { "webhook-id": "msg_5", "webhook-timestamp": String(ts) }, body, secret })).toBe(false);
    expect(verifySignature({ headers: ok, body, secret: newSecret() })).toBe(false);
    // The package agrees that what we reject is bad.
    expect(() => new Webhook(secret).verify(body.replace("r1", "r2"), ok)).toThrow();
  });

  it("rejects stale and future timestamps outside the tolerance", () => {
    const secret = newSecret();
    const now = new Date("2025-06-01T12:00:00Z");
    const at = (offset: number) => {
      const ts = Math.floor(now.getTime() / 1000) + offset;
      return headersFor("msg_7", ts, signatureFor({ msgId: "msg_7", timestamp: ts, body, secret }));
    };
    expect(verifySignature({ headers: at(-300), body, secret, now })).toBe(true);
    expect(verifySignature({ headers: at(300), body, secret, now })).toBe(true);
    expect(verifySignature({ headers: at(-301), body, secret, now })).toBe(false);
    expect(verifySignature({ headers: at(301), body, secret, now })).toBe(false);
    expect(verifySignature({ headers: at(-3600), body, secret, now, toleranceSeconds: 7200 })).toBe(true);
    const garbled = { ...at(0), "webhook-timestamp": "1.7e9" };
    expect(verifySignature({ headers: garbled, body, secret, now })).toBe(false);
  });

  it("finds the matching entry among several signatures", () => {
    const secret = newSecret();
    const ts = nowSeconds();
    const header = `v1a,zzz v1,${randomBytes(32).toString("base64")} ${signatureFor({ msgId: "msg_8", timestamp: ts, body, secret })}`;
    expect(verifySignature({ headers: headersFor("msg_8", ts, header), body, secret })).toBe(true);
  });
});
