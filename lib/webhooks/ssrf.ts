import { promises as dns } from "node:dns";
import { isIP } from "node:net";

/**
 * Webhook targets are chosen by tenants and agents, so the sender must not become a way into our own
 * network (SSRF): only http(s) to public addresses, checked when a URL is accepted and again at every
 * send (a DNS answer can change in between). An explicit `host:port` allow-list exempts local receivers
 * during development.
 *
 * The check resolves a name once and the send connects to exactly the addresses it approved
 * (`pinned-post.ts`), so a DNS answer that flips between check and connection (rebinding) changes
 * nothing.
 */

type Cidr = readonly [base: readonly number[], prefixBits: number];

/**
 * Non-public IPv4 space. Documentation, benchmarking and protocol-assignment ranges are refused too:
 * no real receiver lives there, and some networks route them internally, so refusing costs nothing.
 */
const FORBIDDEN_V4: readonly Cidr[] = [
  [[0, 0, 0, 0], 8], // "this network", including the unspecified 0.0.0.0
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, including cloud metadata at 169.254.169.254
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation (TEST-NET-1)
  [[192, 88, 99, 0], 24], // deprecated 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation (TEST-NET-2)
  [[203, 0, 113, 0], 24], // documentation (TEST-NET-3)
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, including the broadcast 255.255.255.255
];

/** Ranges inside global unicast 2000::/3 that still aren't a public host. */
const FORBIDDEN_V6_GLOBAL: readonly Cidr[] = [
  [[0x20, 0x01, 0x00, 0x00], 23], // IETF protocol assignments: Teredo (2001::/32), ORCHID, …
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
  [[0x3f, 0xff], 20], // documentation (RFC 9637)
];

function inCidr(bytes: readonly number[], [base, bits]: Cidr): boolean {
  for (let i = 0; i < bits; i += 8) {
    const take = Math.min(8, bits - i);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((base[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

function parseV4(ip: string): number[] {
  return ip.split(".").map(Number);
}

/** Sixteen bytes of a valid IPv6 literal (zone id dropped; a dotted IPv4 tail allowed). */
function parseV6(ip: string): number[] {
  const address = ip.split("%")[0];
  const words = (part: string): number[] => {
    if (!part) return [];
    return part.split(":").flatMap((group) => {
      if (group.includes(".")) {
        const [a, b, c, d] = parseV4(group);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const [head, tail] = address.split("::") as [string, string | undefined];
  const headWords = words(head);
  const tailWords = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? headWords : [...headWords, ...new Array<number>(8 - headWords.length - tailWords.length).fill(0), ...tailWords];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}

function isForbiddenV4(bytes: readonly number[]): boolean {
  return FORBIDDEN_V4.some((range) => inCidr(bytes, range));
}

function isForbiddenV6(bytes: readonly number[]): boolean {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  // IPv4-mapped ::ffff:a.b.c.d reaches the IPv4 host itself.
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return isForbiddenV4(bytes.slice(12));
  // NAT64 (64:ff9b::/96) reaches the embedded IPv4 host through the translator; an IPv6-only network
  // legitimately uses it for public hosts, so judge the embedded address.
  if (inCidr(bytes, [[0x00, 0x64, 0xff, 0x9b], 32]) && zeros(4, 12)) return isForbiddenV4(bytes.slice(12));
  // 6to4 (2002::/16) embeds an IPv4 address in bytes 2–5.
  if (inCidr(bytes, [[0x20, 0x02], 16])) return isForbiddenV4(bytes.slice(2, 6));
  // Everything outside global unicast 2000::/3 is refused: unspecified ::, loopback ::1, IPv4-compatible
  // ::/96, local-use NAT64, discard 100::/64, ULA fc00::/7, link-local fe80::/10, site-local fec0::/10,
  // multicast ff00::/8.
  if (!inCidr(bytes, [[0x20], 3])) return true;
  return FORBIDDEN_V6_GLOBAL.some((range) => inCidr(bytes, range));
}

/** True for any address a webhook must not be sent to; anything that isn't an IP literal is refused too. */
export function isForbiddenAddress(ip: string): boolean {
  const candidate = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  switch (isIP(candidate)) {
    case 4:
      return isForbiddenV4(parseV4(candidate));
    case 6:
      return isForbiddenV6(parseV6(candidate));
    default:
      return true;
  }
}

export type WebhookTargetVerdict =
  | { ok: true; url: URL; addresses: string[] }
  /** `permanent`: the URL itself is unusable, so retrying can't help (a DNS-based refusal may clear). */
  | { ok: false; reason: string; permanent: boolean };

export type LookupAddresses = (hostname: string) => Promise<{ address: string; family: number }[]>;

const MAX_URL_LENGTH = 2048;
/** A lookup not answered by then is a refusal (fail closed); its caller stops waiting. */
const LOOKUP_TIMEOUT_MS = 3000;
/**
 * Lookups one batch of URLs runs at once. `dns.lookup` runs getaddrinfo on libuv's small thread pool,
 * shared with file reads and password hashing: 100 callback names must not occupy all of it.
 */
const BATCH_LOOKUP_CONCURRENCY = 8;
const PRIVATE_REASON = "The URL points to a private, loopback, link-local or otherwise non-public address, which webhooks can't reach.";

type StaticCheck =
  | { ok: false; reason: string; permanent: boolean }
  | { ok: true; url: URL; host: string; literal: boolean; allowlisted: boolean };

/** Everything decidable from the text alone. `host` is lower-case, without brackets or a trailing dot. */
function checkStatically(raw: string, allowlist: readonly string[], requireHttps = false): StaticCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `The URL is longer than ${MAX_URL_LENGTH} characters.`, permanent: true };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "The URL is not a valid absolute URL.", permanent: true };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "The URL must use http or https.", permanent: true };
  if (url.username || url.password) return { ok: false, reason: "The URL must not contain a user name or password.", permanent: true };
  const bracketed = url.hostname.toLowerCase();
  const host = (bracketed.startsWith("[") ? bracketed.slice(1, -1) : bracketed).replace(/\.$/, "");
  if (!host) return { ok: false, reason: "The URL has no host.", permanent: true };
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const allowlisted = allowlist.some((entry) => {
    const normalized = entry.trim().toLowerCase();
    return normalized === `${bracketed}:${port}` || normalized === `${host}:${port}`;
  });
  const literal = isIP(host) !== 0;
  if (requireHttps && url.protocol !== "https:" && !allowlisted) return { ok: false, reason: "The URL must use https (plain http is allowed only for allow-listed development receivers).", permanent: true };
  if (!allowlisted) {
    // RFC 6761: every *.localhost name is loopback, whatever DNS says.
    if (host === "localhost" || host.endsWith(".localhost")) return { ok: false, reason: PRIVATE_REASON, permanent: true };
    if (literal && isForbiddenAddress(host)) return { ok: false, reason: PRIVATE_REASON, permanent: true };
  }
  return { ok: true, url, host, literal, allowlisted };
}

/**
 * Without DNS, for request validation: refuses a bad scheme, credentials, `localhost` and literal
 * non-public IPs. A name that passes may still resolve somewhere private; `checkWebhookTarget` decides.
 */
export function quickCheckWebhookTarget(url: string, allowlist: readonly string[]): { ok: true; url: URL } | { ok: false; reason: string } {
  const verdict = checkStatically(url, allowlist);
  return verdict.ok ? { ok: true, url: verdict.url } : { ok: false, reason: verdict.reason };
}

const systemLookup: LookupAddresses = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("DNS lookup timed out"), { code: "ETIMEOUT" })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The full check: resolves the host and refuses when ANY of its addresses is non-public (a name with
 * one public and one private answer could be steered to either). An allow-listed `host:port` (port
 * defaulted from the scheme) skips the address check but must still resolve.
 */
export async function checkWebhookTarget(
  url: string,
  options: { allowlist: readonly string[]; lookup?: LookupAddresses; /** Organization endpoints must be https, allow-listed receivers aside. */ requireHttps?: boolean },
): Promise<WebhookTargetVerdict> {
  const verdict = checkStatically(url, options.allowlist, options.requireHttps);
  if (!verdict.ok) return verdict;
  if (verdict.literal) return { ok: true, url: verdict.url, addresses: [verdict.host] };
  let addresses: string[];
  try {
    addresses = (await withTimeout((options.lookup ?? systemLookup)(verdict.host), LOOKUP_TIMEOUT_MS)).map((a) => a.address);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const reason =
      code === "ENOTFOUND" || code === "ENODATA"
        ? "The URL's host name doesn't resolve to any address."
        : `The URL's host name couldn't be resolved right now${typeof code === "string" ? ` (${code})` : ""}.`;
    return { ok: false, reason, permanent: false };
  }
  if (addresses.length === 0) return { ok: false, reason: "The URL's host name doesn't resolve to any address.", permanent: false };
  if (!verdict.allowlisted && addresses.some(isForbiddenAddress)) return { ok: false, reason: PRIVATE_REASON, permanent: false };
  return { ok: true, url: verdict.url, addresses };
}

/**
 * Checks many URLs (a submission batch's callbacks) with at most `BATCH_LOOKUP_CONCURRENCY` lookups at
 * a time; each URL is checked once however often it repeats.
 */
export async function checkWebhookTargets(
  urls: readonly string[],
  options: { allowlist: readonly string[]; lookup?: LookupAddresses },
): Promise<Map<string, WebhookTargetVerdict>> {
  const queue = [...new Set(urls)];
  const verdicts = new Map<string, WebhookTargetVerdict>();
  const workers = Array.from({ length: Math.min(BATCH_LOOKUP_CONCURRENCY, queue.length) }, async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) verdicts.set(url, await checkWebhookTarget(url, options));
  });
  await Promise.all(workers);
  return verdicts;
}
