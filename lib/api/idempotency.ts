import "server-only";
import type { Executor, Tx } from "@/db/client";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "@/db/queries/idempotency";
import { canonicalJson } from "@/lib/data/canonical-json";
import { sha256Hex } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import { IdempotencyKey } from "@/lib/validation/reviews";
import { parseWith } from "./body";
import type { ApiScope } from "./handler";

export type StoredResponse = { status: number; body: string; replayed: boolean };

/** The Idempotency-Key header, validated; undefined when absent. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return undefined;
  return parseWith(IdempotencyKey, raw, "The Idempotency-Key header is invalid.");
}

/** Same operation and same JSON (whatever its key order or spacing) → same fingerprint. */
export function requestFingerprint(operation: string, body: unknown): string {
  return sha256Hex(`${operation}\n${canonicalJson(body)}`);
}

/**
 * Runs `work` at most once per (organization, key): a repeat with the same fingerprint gets the stored
 * response byte for byte; another fingerprint is a 422; a repeat while the first runs is a 409.
 * `work` receives `store(tx, status, body)` to record its response inside its own transaction.
 */
export async function runIdempotently(
  db: Executor,
  scope: ApiScope,
  key: string,
  fingerprint: string,
  work: (store: (tx: Tx, status: number, body: string) => Promise<void>) => Promise<{ status: number; body: string }>,
): Promise<StoredResponse> {
  const claim = await claimIdempotencyKey(db, scope.organizationId, key, fingerprint);
  if (claim.kind === "replay") return { status: claim.status, body: claim.body, replayed: true };
  if (claim.kind === "mismatch") throw new AppError("invalid", "This Idempotency-Key was already used with a different request body.", { fieldErrors: { "Idempotency-Key": ["Already used with a different body"] } });
  if (claim.kind === "in_flight") throw new AppError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.", { retryAfterSeconds: 1 });
  try {
    const result = await work((tx, status, body) => completeIdempotencyKey(tx, scope.organizationId, key, status, body));
    return { ...result, replayed: false };
  } catch (e) {
    await releaseIdempotencyKey(db, scope.organizationId, key).catch(() => {});
    throw e;
  }
}
