import "server-only";
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { canonicalJson } from "@/lib/canonical-json";
import type { Scope } from "@/lib/auth/scope";
import type { Executor, Tx } from "../client";
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
 * Appends one entry chained to the organization's previous one. Call inside the transaction that makes
 * the change, so the record and the change commit together; the advisory lock orders concurrent writers.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  const entry: Required<AuditInput> = {
    organizationId: input.organizationId,
    actorUserId: input.actorUserId ?? null,
    actorApiKeyId: input.actorApiKeyId ?? null,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    data: input.data ?? {},
  };
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${"audit:" + entry.organizationId}, 0))`);
  const [last] = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.organizationId, entry.organizationId))
    .orderBy(desc(auditLog.id))
    .limit(1);
  const prevHash = last?.hash ?? null;
  const createdAt = new Date();
  await tx.insert(auditLog).values({ ...entry, prevHash, createdAt, hash: hashEntry(prevHash, entry, createdAt) });
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAtId: number };

/** Walks the organization's chain in order and reports the first entry whose link or content fails. */
export async function verifyAuditChain(db: Executor, scope: Scope): Promise<ChainVerdict> {
  let prevHash: string | null = null;
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, scope.organizationId), gt(auditLog.id, afterId)))
      .orderBy(asc(auditLog.id))
      .limit(500);
    if (rows.length === 0) return { ok: true, entries: count };
    for (const row of rows) {
      // The hashed fields are named, so a column added to the table later doesn't break old links.
      const entry: Required<AuditInput> = {
        organizationId: row.organizationId,
        actorUserId: row.actorUserId,
        actorApiKeyId: row.actorApiKeyId,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        data: row.data,
      };
      if (row.prevHash !== prevHash || row.hash !== hashEntry(prevHash, entry, row.createdAt)) return { ok: false, entries: count, brokenAtId: row.id };
      prevHash = row.hash;
      afterId = row.id;
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
