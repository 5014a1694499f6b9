import "server-only";
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, like, lt, sql, type SQL } from "drizzle-orm";
import { canonicalJson } from "@/lib/canonical-json";
import type { Scope } from "@/lib/auth/scope";
import type { AuditFilter } from "@/lib/validation/audit";
import type { Db, Executor, Tx } from "../client";
import { apiKeys, auditLog, memberships, users } from "../schema";

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

export type AuditRow = {
  id: number;
  createdAt: Date;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  actor: { kind: "user"; id: string; name: string | null; email: string | null } | { kind: "key"; id: string; name: string | null } | { kind: "system" };
};

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

/** Like-pattern metacharacters in a prefix match themselves. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterConditions(scope: Scope, filter: AuditFilter): SQL[] {
  const conditions: SQL[] = [eq(auditLog.organizationId, scope.organizationId)];
  const actor = filter.actor;
  if (actor === "system") conditions.push(isNull(auditLog.actorUserId), isNull(auditLog.actorApiKeyId));
  else if (actor?.startsWith("user:")) conditions.push(eq(auditLog.actorUserId, actor.slice(5)));
  else if (actor?.startsWith("key:")) conditions.push(eq(auditLog.actorApiKeyId, actor.slice(4)));
  if (filter.action) conditions.push(filter.action.endsWith(".") ? like(auditLog.action, `${escapeLike(filter.action)}%`) : eq(auditLog.action, filter.action));
  if (filter.targetType) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.from) conditions.push(gte(auditLog.createdAt, dayStart(filter.from)));
  if (filter.to) conditions.push(lt(auditLog.createdAt, dayAfter(filter.to)));
  return conditions;
}

async function selectAuditRows(db: Executor, scope: Scope, where: SQL[], order: "asc" | "desc", limit: number): Promise<AuditRow[]> {
  const rows = await db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      data: auditLog.data,
      actorUserId: auditLog.actorUserId,
      actorApiKeyId: auditLog.actorApiKeyId,
      userName: users.name,
      userEmail: users.email,
      keyName: apiKeys.name,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .leftJoin(apiKeys, and(eq(apiKeys.id, auditLog.actorApiKeyId), eq(apiKeys.organizationId, scope.organizationId)))
    .where(and(...where))
    .orderBy(order === "desc" ? desc(auditLog.id) : asc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: r.data,
    actor: r.actorUserId
      ? { kind: "user", id: r.actorUserId, name: r.userName, email: r.userEmail }
      : r.actorApiKeyId
        ? { kind: "key", id: r.actorApiKeyId, name: r.keyName }
        : { kind: "system" },
  }));
}

export type AuditPage = { rows: AuditRow[]; olderCursor: number | null; newerCursor: number | null };

/**
 * One page of the organization's audit log, newest first, keyset-paginated by id: `before` walks to
 * older entries, `after` back to newer ones. The cursors say whether there is a page on either side.
 */
export async function searchAuditLog(db: Executor, scope: Scope, params: AuditFilter & { before?: number; after?: number; limit?: number }): Promise<AuditPage> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  const where = filterConditions(scope, params);
  if (params.after !== undefined && params.before === undefined) {
    const rows = (await selectAuditRows(db, scope, [...where, gt(auditLog.id, params.after)], "asc", limit + 1)).reverse();
    const hasNewer = rows.length > limit;
    const page = hasNewer ? rows.slice(1) : rows;
    return { rows: page, newerCursor: hasNewer ? page[0].id : null, olderCursor: page.length > 0 ? page[page.length - 1].id : null };
  }
  const rows = await selectAuditRows(db, scope, params.before !== undefined ? [...where, lt(auditLog.id, params.before)] : where, "desc", limit + 1);
  const hasOlder = rows.length > limit;
  const page = hasOlder ? rows.slice(0, limit) : rows;
  return { rows: page, olderCursor: hasOlder ? page[page.length - 1].id : null, newerCursor: params.before !== undefined && page.length > 0 ? page[0].id : null };
}

/** The newest `cap` entries matching a filter, for a CSV export; `truncated` when more matched. */
export async function exportAuditLog(db: Executor, scope: Scope, filter: AuditFilter, cap: number): Promise<{ rows: AuditRow[]; truncated: boolean }> {
  const rows = await selectAuditRows(db, scope, filterConditions(scope, filter), "desc", cap + 1);
  return { rows: rows.slice(0, cap), truncated: rows.length > cap };
}

/** One entry's time and action, to say where a broken chain breaks. Another organization's id is not found. */
export async function auditEntryBrief(db: Executor, scope: Scope, id: number) {
  const [row] = await db
    .select({ id: auditLog.id, action: auditLog.action, createdAt: auditLog.createdAt })
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, scope.organizationId), eq(auditLog.id, id)));
  return row ?? null;
}

/**
 * What the viewer's filters offer: the organization's members and API keys (revoked ones too: their
 * entries stay), the actions and target types that occur among its most recent entries.
 */
export async function auditFacets(db: Executor, scope: Scope) {
  const recent = db
    .select({ action: auditLog.action, targetType: auditLog.targetType })
    .from(auditLog)
    .where(eq(auditLog.organizationId, scope.organizationId))
    .orderBy(desc(auditLog.id))
    .limit(20_000)
    .as("recent");
  const [members, keys, kinds] = await Promise.all([
    db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, scope.organizationId))
      .orderBy(asc(users.name)),
    db.select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.organizationId, scope.organizationId)).orderBy(asc(apiKeys.name)),
    db.selectDistinct({ action: recent.action, targetType: recent.targetType }).from(recent),
  ]);
  const actions = [...new Set(kinds.map((k) => k.action))].sort();
  const targetTypes = [...new Set(kinds.map((k) => k.targetType))].sort();
  const prefixes = [...new Set(actions.filter((a) => a.includes(".")).map((a) => `${a.slice(0, a.indexOf("."))}.`))].sort();
  return { members, keys, actions, prefixes, targetTypes };
}
