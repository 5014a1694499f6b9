import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, newWebhookSecret, sha256Hex } from "./crypto";

process.env.AUTH_SECRET ??= "unit-test-secret-0123456789abcdef0123456789";

describe("secrets at rest", () => {
  it("round-trips and never stores the plaintext", () => {
    const secret = newWebhookSecret();
    const sealed = encryptSecret(secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(decryptSecret(sealed)).toBe(secret);
    expect(encryptSecret(secret)).not.toBe(sealed);
  });

  it("refuses a tampered value", () => {
    const sealed = encryptSecret("whsec_abc");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("whsec_abd").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });

  it("makes Standard Webhooks secrets of 32 random bytes", () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), "base64")).toHaveLength(32);
  });

  it("hashes with SHA-256", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
