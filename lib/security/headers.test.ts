import { describe, expect, it } from "vitest";
import { createNonce, FORWARDED_HTTPS, pageContentSecurityPolicy, SECURITY_HEADERS } from "./headers";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("a page's Content-Security-Policy", () => {
  it("runs only scripts holding the nonce (and what they load), and forbids framing, plugins, <base> and foreign form targets", () => {
    const policy = directives(pageContentSecurityPolicy("abc123=="));
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
  });

  it("allows eval only for React's development build", () => {
    expect(pageContentSecurityPolicy("n")).not.toContain("unsafe-eval");
    expect(directives(pageContentSecurityPolicy("n", true)).get("script-src")).toContain("'unsafe-eval'");
  });

  it("gets 128 fresh random bits per request", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, "base64")).toHaveLength(16);
  });
});

describe("the headers every response carries", () => {
  it("deny framing and sniffing, and refuse powerful features", () => {
    const byName = Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value]));
    expect(byName["X-Frame-Options"]).toBe("DENY");
    expect(byName["X-Content-Type-Options"]).toBe("nosniff");
    expect(byName["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(byName["Permissions-Policy"]).toMatch(/(^|, )camera=\(\)(, |$)/);
  });

  it("count a request as https when the first proxy hop says so", () => {
    const https = new RegExp(`^${FORWARDED_HTTPS}$`);
    expect(["https", "https, http", "https,http"].map((v) => https.test(v))).toEqual([true, true, true]);
    expect(["http", "http, https", "httpsx"].map((v) => https.test(v))).toEqual([false, false, false]);
  });
});
