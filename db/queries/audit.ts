import "server-only";
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import { canonicalJson } from "@/lib/canonical-json";
import type { Scope } from "@/lib/auth/scope";
import type { Db, Executor, Tx } from "../client";
import { auditLog } from "../schema";

export type AuditInput = {
  organizationId: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
};

function hashEntry(prevHash: string | null, entry: Required<AuditInput>, createdAt: Date): string {
  const body = canonicalJson({ ...entry, prevHash, createdAt: createdAt.toISOString() });
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Appends one entry. Call inside the transaction that makes the change, so the record and the change
 * commit together. It only inserts: the chainer links it into the organization's chain moments later,
 * so concurrent writers never wait on each other.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    organizationId: input.organizationId,
    actorUserId: input.actorUserId ?? null,
    actorApiKeyId: input.actorApiKeyId ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    data: input.data ?? {},
    createdAt: new Date(),
  });
}

// The hashed fields are named, so a column added to the table later doesn't break old links.
function entryOf(row: typeof auditLog.$inferSelect): Required<AuditInput> {
  return {
    organizationId: row.organizationId,
    actorUserId: row.actorUserId,
    actorApiKeyId: row.actorApiKeyId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    data: row.data,
  };
}

/**
 * Links committed, unchained entries into their organization's chain, in id order: each gets the next
 * `chainSeq`, the previous entry's hash and its own. One chainer per organization at a time (advisory
 * lock); any instance may run it. Returns how many entries it linked.
 */
export async function chainAuditLog(db: Db, params: { organizationId?: string; limit?: number } = {}): Promise<number> {
  const orgs = params.organizationId
    ? [{ organizationId: params.organizationId }]
    : await db.selectDistinct({ organizationId: auditLog.organizationId }).from(auditLog).where(isNull(auditLog.hash));
  let linked = 0;
  for (const { organizationId } of orgs) {
    linked += await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${"audit:" + organizationId}, 0))`);
      const [last] = await tx
        .select({ chainSeq: auditLog.chainSeq, hash: auditLog.hash })
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, organizationId), isNotNull(auditLog.chainSeq)))
        .orderBy(desc(auditLog.chainSeq))
        .limit(1);
      const pending = await tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.organizationId, organizationId), isNull(auditLog.hash)))
        .orderBy(asc(auditLog.id))
        .limit(params.limit ?? 1000);
      let prevHash = last?.hash ?? null;
      let seq = last?.chainSeq ?? 0;
      const links: { id: number; seq: number; prevHash: string | null; hash: string }[] = [];
      for (const row of pending) {
        seq += 1;
        const hash = hashEntry(prevHash, entryOf(row), row.createdAt);
        links.push({ id: row.id, seq, prevHash, hash });
        prevHash = hash;
      }
      // One statement for the whole run, not one round trip per entry: under load the chainer links
      // as many rows a second as the API inserts.
      if (links.length > 0) {
        await tx.execute(sql`
          update ${auditLog} set chain_seq = l.seq, prev_hash = l.prev_hash, hash = l.hash
          from json_to_recordset(${JSON.stringify(links.map((l) => ({ id: l.id, seq: l.seq, prev_hash: l.prevHash, hash: l.hash })))}::json)
            as l(id bigint, seq bigint, prev_hash text, hash text)
          where ${auditLog.organizationId} = ${organizationId} and ${auditLog.id} = l.id`);
      }
      return pending.length;
    });
  }
  return linked;
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAtId: number };

/**
 * Links what is waiting, then walks the organization's chain in order and reports the first entry
 * whose link or content fails (an edited row, a deleted one, a reordered one).
 */
export async function verifyAuditChain(db: Db, scope: Scope): Promise<ChainVerdict> {
  await chainAuditLog(db, { organizationId: scope.organizationId });
  let prevHash: string | null = null;
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, scope.organizationId), gt(auditLog.chainSeq, afterSeq)))
      .orderBy(asc(auditLog.chainSeq))
      .limit(500);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const row of rows) {
      const expectedSeq = afterSeq + 1;
      if (row.chainSeq !== expectedSeq || row.prevHash !== prevHash || row.hash !== hashEntry(prevHash, entryOf(row), row.createdAt)) {
        return { ok: false, entries: count, brokenAtId: row.id };
      }
      prevHash = row.hash;
      afterSeq = expectedSeq;
      count++;
    }
  }
}

export async function listAuditEntries(db: Executor, scope: Scope, params: { limit?: number } = {}) {
  return db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      actorUserId: auditLog.actorUserId,
      data: auditLog.data,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(eq(auditLog.organizationId, scope.organizationId))
    .orderBy(desc(auditLog.id))
    .limit(Math.min(params.limit ?? 50, 200));
}
