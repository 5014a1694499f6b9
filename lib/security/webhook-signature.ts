import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-signature` carries
 * `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded
 * part of a `whsec_…` secret. No `server-only` here: agent developers verify with this same module.
 */

const SECRET_PREFIX = "whsec_";

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  // A wrong secret is a configuration error, not a verification outcome, so it throws.
  if (key.length === 0) throw new Error("A webhook secret must look like whsec_<base64>.");
  return key;
}

function hmac(key: Buffer, msgId: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac("sha256", key).update(`${msgId}.${timestamp}.`).update(body).digest();
}

export function signatureFor(params: { msgId: string; timestamp: number; body: string; secret: string }): string {
  return `v1,${hmac(secretKey(params.secret), params.msgId, params.timestamp, params.body).toString("base64")}`;
}

/** Every current secret signs, space-separated, so receivers on either side of a rotation verify. */
export function signatureHeader(msgId: string, timestamp: number, body: string, secrets: string[]): string {
  if (secrets.length === 0) throw new Error("At least one webhook secret is needed to sign.");
  return secrets.map((secret) => signatureFor({ msgId, timestamp, body, secret })).join(" ");
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * For receivers: true only when one of the `v1` signatures matches and the timestamp is within
 * `toleranceSeconds` of `now` either way (a captured request can't be replayed later). Pass the raw
 * body exactly as received — a re-serialized JSON object will not verify. Accepts a `Headers` object or
 * a plain record (e.g. Node's `req.headers`).
 */
export function verifySignature(params: {
  headers: HeaderSource;
  body: string | Uint8Array;
  secret: string;
  toleranceSeconds?: number;
  now?: Date;
}): boolean {
  const key = secretKey(params.secret);
  const msgId = header(params.headers, "webhook-id");
  const timestampText = header(params.headers, "webhook-timestamp");
  const signatures = header(params.headers, "webhook-signature");
  if (!msgId || !timestampText || !signatures || !/^\d{1,15}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  const now = Math.floor((params.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (params.toleranceSeconds ?? 300)) return false;
  // Compared as base64 text, so only the canonical encoding matches (decoding is lenient about junk).
  const expected = Buffer.from(hmac(key, msgId, timestamp, params.body).toString("base64"));
  let matched = false;
  for (const entry of signatures.split(" ")) {
    const comma = entry.indexOf(",");
    const version = entry.slice(0, comma);
    const signature = entry.slice(comma + 1);
    if (comma < 0 || version !== "v1" || !signature) continue;
    const candidate = Buffer.from(signature);
    // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the expected value.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}
