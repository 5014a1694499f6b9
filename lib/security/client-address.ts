import { isIP } from "node:net";

/**
 * The header scripts/server.mjs sets on every request to the address of the TCP peer, after removing
 * any copy the client sent. `next start` alone can't tell the app that address: Next fills
 * X-Forwarded-For from the socket only when the client sent none, and passes a client's own header
 * through untouched, so under `next start` every address below is the client's to choose.
 */
export const PEER_ADDRESS_HEADER = "x-countersign-peer-address";

/** `::ffff:203.0.113.5` (an IPv4 client of a dual-stack socket) is the IPv4 address; anything else as written, if it is an address. */
function normalize(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let value = raw.trim().toLowerCase();
  if (value.startsWith("[") && value.includes("]")) value = value.slice(1, value.indexOf("]"));
  if (value.startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  return isIP(value) ? value : null;
}

/**
 * The client's address for throttling: with `trustedHops` 0 the TCP peer itself; with N trusted
 * proxies in front, the N-th entry from the right of X-Forwarded-For (each proxy appends the address
 * it was connected from, so entries left of that one are the client's to write). A chain shorter than
 * N, or an entry that isn't an address, means the request didn't come through the proxies: the peer
 * is all that is known. `null` when not even the peer is known (the app was started without
 * scripts/server.mjs).
 */
export function clientAddress(headers: Headers, trustedHops: number): string | null {
  const peer = normalize(headers.get(PEER_ADDRESS_HEADER));
  if (trustedHops === 0) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
  if (chain.length < trustedHops) return peer;
  return normalize(chain[chain.length - trustedHops]) ?? peer;
}

/**
 * The bucket an address is counted in. One IPv6 subscriber usually holds a whole /64, so counting
 * each IPv6 address apart would let one client rotate through 2^64 of them.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (`::1.2.3.4`) is two groups; only the first four groups matter here.
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
