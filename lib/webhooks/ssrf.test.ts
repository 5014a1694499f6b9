import { afterEach, describe, expect, it, vi } from "vitest";
import { checkWebhookTarget, checkWebhookTargets, isForbiddenAddress, quickCheckWebhookTarget, type LookupAddresses } from "./ssrf";

describe("isForbiddenAddress", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this network"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["100.64.0.1", "CGNAT"],
    ["100.127.255.255", "CGNAT"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.10", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.5", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["192.0.0.8", "IETF protocol assignments"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback, long form"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local with a zone"],
    ["febf:ffff::1", "link-local, top of the range"],
    ["fc00::1", "ULA"],
    ["fd12:3456:789a::1", "ULA"],
    ["ff02::1", "multicast"],
    ["fec0::1", "site-local"],
    ["::ffff:127.0.0.1", "IPv4-mapped loopback"],
    ["::ffff:7f00:1", "IPv4-mapped loopback, hex form"],
    ["::ffff:10.0.0.1", "IPv4-mapped private"],
    ["::ffff:169.254.169.254", "IPv4-mapped metadata"],
    ["::127.0.0.1", "IPv4-compatible (deprecated)"],
    ["64:ff9b::a00:1", "NAT64 of 10.0.0.1"],
    ["2002:7f00:1::", "6to4 of 127.0.0.1"],
    ["2001:db8::1", "documentation"],
    ["2001::1", "Teredo"],
    ["3fff::1", "documentation (RFC 9637)"],
    ["100::1", "discard-only"],
    ["[::1]", "bracketed loopback"],
    ["example.com", "not an IP at all"],
    ["", "empty"],
    ["999.1.1.1", "invalid"],
  ])("refuses %s (%s)", (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "172.15.255.255",
    "172.32.0.1",
    "100.63.255.255",
    "100.128.0.1",
    "169.253.255.255",
    "192.169.0.1",
    "223.255.255.255",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2001:4860:4860::8888",
  ])("allows the public address %s", (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

describe("quickCheckWebhookTarget", () => {
  it.each([
    ["ftp://example.com/hook", /http or https/],
    ["file:///etc/passwd", /http or https/],
    ["javascript:alert(1)", /http or https/],
    ["not a url", /valid/],
    ["/relative/path", /valid/],
    ["https://user:pass@example.com/hook", /user name or password/],
    ["https://user@example.com/hook", /user name or password/],
    ["http://localhost:3000/hook", /non-public/],
    ["http://LOCALHOST./hook", /non-public/],
    ["http://api.localhost/hook", /non-public/],
    ["http://127.0.0.1/hook", /non-public/],
    ["http://2130706433/hook", /non-public/],
    ["http://0x7f.1/hook", /non-public/],
    ["http://[::1]:8080/hook", /non-public/],
    ["http://[::ffff:169.254.169.254]/latest", /non-public/],
    ["http://169.254.169.254/latest/meta-data", /non-public/],
    ["http://10.0.0.5/hook", /non-public/],
    [`https://example.com/${"a".repeat(2100)}`, /longer/],
  ])("refuses %s", (url, reason) => {
    const verdict = quickCheckWebhookTarget(url, []);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason).toMatch(reason);
  });

  it("passes public names and IPs without resolving them", () => {
    expect(quickCheckWebhookTarget("https://hooks.example.com/countersign", []).ok).toBe(true);
    expect(quickCheckWebhookTarget("http://8.8.8.8:8080/x", []).ok).toBe(true);
  });

  it("lets an allow-listed host:port through, with the port defaulted from the scheme", () => {
    expect(quickCheckWebhookTarget("http://localhost:4000/hook", ["localhost:4000"]).ok).toBe(true);
    expect(quickCheckWebhookTarget("http://localhost:4001/hook", ["localhost:4000"]).ok).toBe(false);
    expect(quickCheckWebhookTarget("http://localhost/hook", ["localhost:80"]).ok).toBe(true);
    expect(quickCheckWebhookTarget("https://localhost/hook", ["localhost:80"]).ok).toBe(false);
    expect(quickCheckWebhookTarget("https://127.0.0.1/hook", ["127.0.0.1:443"]).ok).toBe(true);
    expect(quickCheckWebhookTarget("http://[::1]:4000/hook", ["[::1]:4000"]).ok).toBe(true);
    // Credentials and schemes are refused even when allow-listed.
    expect(quickCheckWebhookTarget("http://u:p@localhost:4000/hook", ["localhost:4000"]).ok).toBe(false);
  });
});

const fakeDns =
  (answers: Record<string, string[]>): LookupAddresses =>
  async (host) => {
    const found = answers[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("checkWebhookTarget", () => {
  it("refuses localhost through real DNS, and allows it when allow-listed", async () => {
    const refused = await checkWebhookTarget("http://localhost:4000/hook", { allowlist: [] });
    expect(refused).toMatchObject({ ok: false, permanent: true });
    const allowed = await checkWebhookTarget("http://localhost:4000/hook", { allowlist: ["localhost:4000"] });
    expect(allowed.ok).toBe(true);
    if (allowed.ok) {
      expect(allowed.addresses.length).toBeGreaterThan(0);
      expect(allowed.addresses.every(isForbiddenAddress)).toBe(true);
    }
  });

  it("handles literal IPs without DNS", async () => {
    expect(await checkWebhookTarget("http://127.0.0.1:4000/", { allowlist: [] })).toMatchObject({ ok: false });
    const pub = await checkWebhookTarget("https://1.1.1.1/hook", { allowlist: [], lookup: fakeDns({}) });
    expect(pub).toMatchObject({ ok: true, addresses: ["1.1.1.1"] });
    const v6 = await checkWebhookTarget("https://[2606:4700:4700::1111]/hook", { allowlist: [], lookup: fakeDns({}) });
    expect(v6).toMatchObject({ ok: true, addresses: ["2606:4700:4700::1111"] });
    expect(await checkWebhookTarget("http://127.0.0.1:4000/", { allowlist: ["127.0.0.1:4000"] })).toMatchObject({ ok: true, addresses: ["127.0.0.1"] });
  });

  it("refuses a name when ANY of its addresses is non-public, as a retryable refusal", async () => {
    const lookup = fakeDns({ "mixed.example": ["93.184.216.34", "10.0.0.7"], "public.example": ["93.184.216.34", "2606:2800:220:1::1"], "internal.example": ["fd00::5"] });
    expect(await checkWebhookTarget("https://mixed.example/hook", { allowlist: [], lookup })).toMatchObject({ ok: false, permanent: false });
    expect(await checkWebhookTarget("https://internal.example/hook", { allowlist: [], lookup })).toMatchObject({ ok: false, permanent: false });
    const ok = await checkWebhookTarget("https://public.example/hook", { allowlist: [], lookup });
    expect(ok).toMatchObject({ ok: true, addresses: ["93.184.216.34", "2606:2800:220:1::1"] });
    if (ok.ok) expect(ok.url.pathname).toBe("/hook");
    expect(await checkWebhookTarget("https://mixed.example/hook", { allowlist: ["mixed.example:443"], lookup })).toMatchObject({ ok: true });
  });

  it("refuses an unresolvable host with a clear reason", async () => {
    const lookup = fakeDns({});
    const verdict = await checkWebhookTarget("https://nowhere.example/hook", { allowlist: [], lookup });
    expect(verdict).toMatchObject({ ok: false, permanent: false });
    if (!verdict.ok) expect(verdict.reason).toMatch(/doesn't resolve/);
    const failing: LookupAddresses = async () => {
      throw Object.assign(new Error("temporary"), { code: "EAI_AGAIN" });
    };
    const later = await checkWebhookTarget("https://flaky.example/hook", { allowlist: [], lookup: failing });
    if (!later.ok) expect(later.reason).toMatch(/EAI_AGAIN/);
    expect(later.ok).toBe(false);
    // Real resolver, reserved TLD (RFC 6761): never resolves.
    expect(await checkWebhookTarget("https://countersign-test.invalid/hook", { allowlist: [] })).toMatchObject({ ok: false });
  });

  it("refuses bad schemes and credentials as permanent", async () => {
    expect(await checkWebhookTarget("gopher://example.com/", { allowlist: [] })).toMatchObject({ ok: false, permanent: true });
    expect(await checkWebhookTarget("https://a:b@example.com/", { allowlist: [] })).toMatchObject({ ok: false, permanent: true });
  });

  it("with requireHttps, refuses plain http unless the target is allow-listed", async () => {
    const lookup = fakeDns({ "hooks.example": ["93.184.216.34"] });
    const refused = await checkWebhookTarget("http://hooks.example/in", { allowlist: [], lookup, requireHttps: true });
    expect(refused).toMatchObject({ ok: false, permanent: true });
    if (!refused.ok) expect(refused.reason).toMatch(/https/);
    expect(await checkWebhookTarget("https://hooks.example/in", { allowlist: [], lookup, requireHttps: true })).toMatchObject({ ok: true });
    expect(await checkWebhookTarget("http://127.0.0.1:3199/in", { allowlist: ["127.0.0.1:3199"], requireHttps: true })).toMatchObject({ ok: true });
    // Without the option (item callbacks), http to a public host stays allowed.
    expect(await checkWebhookTarget("http://hooks.example/in", { allowlist: [], lookup })).toMatchObject({ ok: true });
  });
});

describe("resolver load", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("stops waiting for a lookup after 3 s and refuses the URL (fail closed)", async () => {
    vi.useFakeTimers();
    const never: LookupAddresses = () => new Promise(() => {});
    let settled: Awaited<ReturnType<typeof checkWebhookTarget>> | undefined;
    void checkWebhookTarget("https://slow.example/hook", { allowlist: [], lookup: never }).then((v) => (settled = v));
    await vi.advanceTimersByTimeAsync(2900);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toMatchObject({ ok: false, permanent: false });
    if (settled && !settled.ok) expect(settled.reason).toMatch(/couldn't be resolved right now/);
  });

  it("checks a batch of 100 URLs with at most 8 lookups at a time, each name once", async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const lookup: LookupAddresses = async (host) => {
      asked.push(host);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return [{ address: "93.184.216.34", family: 4 }];
    };
    const urls = Array.from({ length: 100 }, (_, i) => `https://cb-${i}.example/hook`);
    const verdicts = await checkWebhookTargets([...urls, ...urls.slice(0, 10)], { allowlist: [], lookup });
    expect([...verdicts.keys()].sort()).toEqual([...urls].sort());
    expect([...verdicts.values()].every((v) => v.ok)).toBe(true);
    expect(asked).toHaveLength(100);
    expect(most).toBe(8);
  });

  it("keeps checking the rest of a batch while some lookups hang, and refuses only those", async () => {
    vi.useFakeTimers();
    const lookup: LookupAddresses = (host) => (host.startsWith("hang") ? new Promise(() => {}) : Promise.resolve([{ address: "93.184.216.34", family: 4 }]));
    const urls = [...Array.from({ length: 8 }, (_, i) => `https://hang-${i}.example/`), ...Array.from({ length: 20 }, (_, i) => `https://ok-${i}.example/`)];
    const pending = checkWebhookTargets(urls, { allowlist: [], lookup });
    await vi.advanceTimersByTimeAsync(3000);
    const verdicts = await pending;
    expect(urls.filter((u) => verdicts.get(u)?.ok)).toEqual(urls.slice(8));
  });
});
