import "server-only";
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { idempotencyKeys } from "../schema";

export type IdempotencyClaim =
  | { kind: "new" }
  | { kind: "replay"; status: number; body: string }
  | { kind: "mismatch" }
  | { kind: "in_flight" };

/** An in-flight claim older than this belongs to a request that died before committing; it may be taken over. */
const STALE_AFTER_SECONDS = 60;

export type StoredIdempotencyKey = { requestHash: string; responseStatus: number | null; responseBody: string | null; completedAt: unknown };

/**
 * What an existing record means for a request with `requestHash`: a mismatch, a replay of the stored
 * response, or (null) a request still in flight, which the caller may take over once it is stale.
 */
export function existingClaim(row: StoredIdempotencyKey, requestHash: string): IdempotencyClaim | null {
  if (row.requestHash !== requestHash) return { kind: "mismatch" };
  if (row.completedAt && row.responseStatus !== null && row.responseBody !== null) return { kind: "replay", status: row.responseStatus, body: row.responseBody };
  return null;
}

/**
 * Claims an Idempotency-Key for one request, outside the work's transaction so a concurrent request
 * with the same key sees it in flight. The work then stores its response in its own transaction
 * (`completeIdempotencyKey`), so a response is recorded exactly when the work commits.
 */
export async function claimIdempotencyKey(db: Executor, organizationId: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ organizationId, key, requestHash })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return { kind: "new" };
  const [row] = await db
    .select({ requestHash: idempotencyKeys.requestHash, responseStatus: idempotencyKeys.responseStatus, responseBody: idempotencyKeys.responseBody, completedAt: idempotencyKeys.completedAt })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
  if (!row) return claimIdempotencyKey(db, organizationId, key, requestHash); // released in between
  const claim = existingClaim(row, requestHash);
  if (claim) return claim;
  const takenOver = await db
    .update(idempotencyKeys)
    .set({ createdAt: new Date() })
    .where(
      and(
        eq(idempotencyKeys.organizationId, organizationId),
        eq(idempotencyKeys.key, key),
        isNull(idempotencyKeys.completedAt),
        lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${STALE_AFTER_SECONDS})`),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  return takenOver.length > 0 ? { kind: "new" } : { kind: "in_flight" };
}

export async function completeIdempotencyKey(tx: Executor, organizationId: string, key: string, status: number, body: string): Promise<void> {
  await tx
    .update(idempotencyKeys)
    .set({ responseStatus: status, responseBody: body, completedAt: new Date() })
    .where(and(eq(idempotencyKeys.organizationId, organizationId), eq(idempotencyKeys.key, key)));
}

/** The work failed without committing: free the key so a retry runs it again. */
export async function releaseIdempotencyKey(db: Executor, organizationId: string, key: string): Promise<void> {
  await releaseIdempotencyKeys(db, organizationId, [key]);
}

/** `releaseIdempotencyKey` for several keys in one statement. */
export async function releaseIdempotencyKeys(db: Executor, organizationId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.organizationId, organizationId), inArray(idempotencyKeys.key, [...keys]), isNull(idempotencyKeys.completedAt)));
}

/** Keys are kept at least 24 hours; the background worker prunes older ones. */
export async function pruneIdempotencyKeys(db: Executor, olderThan: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, olderThan));
}
