import { describe, expect, it } from "vitest";
import { addressBucket, clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

const request = (peer: string | null, forwardedFor?: string) => {
  const headers = new Headers();
  if (peer !== null) headers.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  return headers;
};

describe("clientAddress", () => {
  it("with no trusted proxy, is the peer whatever X-Forwarded-For says", () => {
    expect(clientAddress(request("198.51.100.7"), 0)).toBe("198.51.100.7");
    for (const spoofed of ["203.0.113.1", "203.0.113.1, 198.51.100.7", "10.0.0.1, 203.0.113.9", "not an address", ""]) {
      expect(clientAddress(request("198.51.100.7", spoofed), 0)).toBe("198.51.100.7");
    }
  });

  it("with one trusted proxy, is the right-most X-Forwarded-For entry: the one the proxy appended", () => {
    // The proxy at 10.0.0.2 received the client's own header "1.1.1.1" and appended the client's address.
    expect(clientAddress(request("10.0.0.2", "1.1.1.1, 203.0.113.50"), 1)).toBe("203.0.113.50");
    expect(clientAddress(request("10.0.0.2", "203.0.113.50"), 1)).toBe("203.0.113.50");
  });

  it("with two trusted proxies, is the second entry from the right", () => {
    // client 203.0.113.50 → CDN (appends it) → load balancer 10.0.0.3 (appends the CDN's 192.0.2.10) → app.
    expect(clientAddress(request("10.0.0.3", "6.6.6.6, 203.0.113.50, 192.0.2.10"), 2)).toBe("203.0.113.50");
    expect(clientAddress(request("10.0.0.3", "203.0.113.50,192.0.2.10"), 2)).toBe("203.0.113.50");
  });

  it("falls back to the peer when the chain is shorter than the trusted hops or the entry isn't an address", () => {
    // Someone reached the app directly, past the proxies, with a header of their own.
    expect(clientAddress(request("203.0.113.66", "1.2.3.4"), 2)).toBe("203.0.113.66");
    expect(clientAddress(request("203.0.113.66"), 1)).toBe("203.0.113.66");
    expect(clientAddress(request("10.0.0.2", "1.1.1.1, evil"), 1)).toBe("10.0.0.2");
  });

  it("is null when the peer is unknown (served without scripts/server.mjs), even with a header to offer", () => {
    expect(clientAddress(request(null, "203.0.113.1"), 0)).toBeNull();
    expect(clientAddress(request("garbage", "203.0.113.1"), 0)).toBeNull();
  });

  it("normalizes IPv4-mapped IPv6, brackets and case", () => {
    expect(clientAddress(request("::ffff:198.51.100.7"), 0)).toBe("198.51.100.7");
    expect(clientAddress(request("10.0.0.2", "[2001:DB8::1]"), 1)).toBe("2001:db8::1");
  });
});

describe("addressBucket", () => {
  it("counts IPv4 addresses one by one", () => {
    expect(addressBucket("198.51.100.7")).toBe("198.51.100.7");
  });

  it("counts an IPv6 address by its /64, however it is written", () => {
    expect(addressBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:0db8:0001:0002:ffff::")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("::1")).toBe("0:0:0:0::/64");
  });
});
