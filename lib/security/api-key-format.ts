import { randomBytes } from "node:crypto";

/**
 * The shape of an agent API key: `cs_live_` + 32 random bytes in base64url (43 characters). The fixed
 * prefix makes a leaked key recognisable to secret scanners and in logs; the database keeps only its
 * SHA-256 and the first characters, shown in lists so an admin can tell keys apart.
 */
export const API_KEY_PREFIX = "cs_live_";

/** How much of a key lists show: `cs_live_` and four characters of the random part. */
export const API_KEY_DISPLAY_LENGTH = 12;

/** `cs_live_` then at least 32 url-safe characters; the upper bound keeps junk headers from being hashed. */
const WELL_FORMED = /^cs_live_[A-Za-z0-9_-]{32,200}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Whether a value could be a key at all: anything else is refused without a database lookup. */
export function isWellFormedApiKey(value: unknown): value is string {
  return typeof value === "string" && WELL_FORMED.test(value);
}

/** The part of a key that is stored in the clear and shown in lists. */
export function apiKeyDisplayPrefix(key: string): string {
  return key.slice(0, API_KEY_DISPLAY_LENGTH);
}
