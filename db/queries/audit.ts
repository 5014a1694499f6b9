import "server-only";
import { createHmac } from "node:crypto";
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, like, lt, sql, type SQL } from "drizzle-orm";
import type { AuditAnchor, ChainBreak } from "@/lib/security/audit-chain";
import { canonicalJson } from "@/lib/data/canonical-json";
import type { ApiScope, Scope } from "@/db/scope";
import { isStorableTargetId, type AuditFilter, type AuditHead } from "@/lib/validation/audit";
import type { Db, Executor, Tx } from "../client";
import { apiKeys, auditLog, memberships, users, type AuditEntry } from "../schema";

export type AuditInput = {
  organizationId: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  data?: Record<string, unknown>;
};

/**
 * One link: an HMAC-SHA256, under a key kept outside the database (`lib/audit-key`), of the entry's
 * named fields, its id, its position and the previous link. Without the key nobody who can write the
 * table can make a link that verifies, so a rewritten, re-chained or forged entry shows.
 */
function linkOf(key: string, row: AuditEntry, seq: number, prevHash: string | null): string {
  const body = canonicalJson({
    id: row.id,
    seq,
    organizationId: row.organizationId,
    actorUserId: row.actorUserId,
    actorApiKeyId: row.actorApiKeyId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    data: row.data,
    prevHash,
    createdAt: row.createdAt.toISOString(),
  });
  return createHmac("sha256", key).update(body).digest("hex");
}

/**
 * The advisory lock of an organization's chain: writers take it shared around their insert, the chainer
 * exclusively. So when the chainer holds it, every entry that has an id is committed (or rolled back):
 * an entry the chainer hasn't seen can only get a higher id later, and "below the last linked one"
 * means inserted behind the chain's back.
 */
export const auditChainLockSql = (organizationId: string) => sql`hashtextextended(${"audit:" + organizationId}, 0)`;

/**
 * How far an entry's time may lie before the last linked one's and still be linked. Writers take the
 * database's clock at insert (one clock for every instance), so concurrent writers differ by the length
 * of a statement; entries written before migration 0006 carry their instance's clock. A minute covers
 * both and still refuses an entry backdated into the chain's past.
 */
const CLOCK_TOLERANCE_MS = 60_000;

/** An entry the chainer hasn't linked for this long is reported by the verifier as a break. */
const LINK_DEADLINE = sql`interval '1 minute'`;

/**
 * Appends one entry. Call inside the transaction that makes the change, so the record and the change
 * commit together. It only inserts (holding the chain's lock shared, so writers never wait on each
 * other): the chainer links it into the organization's chain moments later. One statement.
 */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<void> {
  await tx.execute(sql`
    with writer as (select pg_advisory_xact_lock_shared(${auditChainLockSql(input.organizationId)}))
    insert into ${auditLog} (organization_id, actor_user_id, actor_api_key_id, action, target_type, target_id, data, created_at)
    select ${input.organizationId}::uuid, ${input.actorUserId ?? null}::uuid, ${input.actorApiKeyId ?? null}::uuid, ${input.action}::text,
      ${input.targetType}::text, ${input.targetId ?? null}::text, ${JSON.stringify(input.data ?? {})}::jsonb, clock_timestamp()
    from writer`);
}

/**
 * Links committed, unlinked entries into their organization's chain, in id order: each gets the next
 * `chainSeq`, the previous link and its own HMAC under `key`. An entry whose id or time is below the
 * last linked one's was inserted behind the chain's back: it is refused and stays unlinked, for the
 * verifier to report. One chainer per organization at a time (the exclusive lock); any instance may
 * run it. It works through everything waiting, in batches (after migration 0006, the whole log).
 * Returns how many entries it linked.
 */
export async function chainAuditLog(db: Db, params: { key: string; organizationId?: string; batchSize?: number }): Promise<number> {
  const batchSize = params.batchSize ?? 1000;
  const orgs = params.organizationId
    ? [{ organizationId: params.organizationId }]
    : await db.selectDistinct({ organizationId: auditLog.organizationId }).from(auditLog).where(isNull(auditLog.hash));
  let linked = 0;
  for (const { organizationId } of orgs) {
    // Past the entries this run has read already, refused ones included.
    let afterId = 0;
    for (;;) {
      const run = await db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${auditChainLockSql(organizationId)})`);
        const [head] = await tx
          .select({ id: auditLog.id, chainSeq: auditLog.chainSeq, hash: auditLog.hash, createdAt: auditLog.createdAt })
          .from(auditLog)
          .where(and(eq(auditLog.organizationId, organizationId), isNotNull(auditLog.chainSeq)))
          .orderBy(desc(auditLog.chainSeq))
          .limit(1);
        const pending = await tx
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.organizationId, organizationId), isNull(auditLog.hash), gt(auditLog.id, Math.max(afterId, head?.id ?? 0))))
          .orderBy(asc(auditLog.id))
          .limit(batchSize);
        let prevHash = head?.hash ?? null;
        let seq = head?.chainSeq ?? 0;
        let lastTime = head?.createdAt.getTime() ?? -Infinity;
        const links: { id: number; seq: number; prev_hash: string | null; hash: string }[] = [];
        for (const row of pending) {
          if (row.createdAt.getTime() < lastTime - CLOCK_TOLERANCE_MS) continue;
          seq += 1;
          const hash = linkOf(params.key, row, seq, prevHash);
          links.push({ id: row.id, seq, prev_hash: prevHash, hash });
          prevHash = hash;
          lastTime = row.createdAt.getTime();
        }
        // One statement for the whole run, not one round trip per entry: under load the chainer links
        // as many rows a second as the API inserts.
        if (links.length > 0) {
          await tx.execute(sql`
            update ${auditLog} set chain_seq = l.seq, prev_hash = l.prev_hash, hash = l.hash
            from json_to_recordset(${JSON.stringify(links)}::json) as l(id bigint, seq bigint, prev_hash text, hash text)
            where ${auditLog.organizationId} = ${organizationId} and ${auditLog.id} = l.id`);
        }
        return { read: pending.length, linked: links.length, lastId: pending.at(-1)?.id ?? afterId };
      });
      linked += run.linked;
      if (run.read < batchSize) break;
      afterId = run.lastId;
    }
  }
  return linked;
}

export type { AuditAnchor, ChainBreak };

export type ChainVerdict = {
  ok: boolean;
  /** Linked entries verified, from the first on (up to the break). */
  entries: number;
  /** The last verified link. */
  head: AuditAnchor | null;
  /** Entries not linked yet (the newest usually are, for a moment). */
  unlinked: number;
  broken: ChainBreak | null;
};

/**
 * Walks the organization's chain in order under `key` and reports the first break: an entry whose link
 * or content fails, a chain shorter than the saved `anchor` or different at its position, or an entry
 * left unlinked for over a minute (by the database's clock, or `now`). Reads only: it never links.
 */
export async function verifyAuditChain(db: Executor, scope: Scope, params: { key: string; anchor?: AuditAnchor; now?: Date }): Promise<ChainVerdict> {
  const { key, anchor } = params;
  let prevHash: string | null = null;
  let seq = 0;
  let broken: ChainBreak | null = null;
  walk: for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, scope.organizationId), gt(auditLog.chainSeq, seq)))
      .orderBy(asc(auditLog.chainSeq))
      .limit(500);
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.chainSeq !== seq + 1 || row.prevHash !== prevHash || row.hash !== linkOf(key, row, seq + 1, prevHash)) {
        broken = { kind: "tampered", id: row.id };
        break walk;
      }
      seq += 1;
      prevHash = row.hash;
      if (anchor && seq === anchor.seq && row.hash !== anchor.hmac) {
        broken = { kind: "anchor_mismatch", seq, id: row.id };
        break walk;
      }
    }
  }
  const head = prevHash === null ? null : { seq, hmac: prevHash };
  if (!broken && anchor && seq < anchor.seq) broken = { kind: "truncated", headSeq: seq, anchorSeq: anchor.seq };
  const now = params.now ? sql`${params.now.toISOString()}::timestamptz` : sql`now()`;
  const [waiting] = await db
    .select({ count: sql<number>`count(*)::int`, stale: sql<string | null>`min(${auditLog.id}) filter (where ${auditLog.createdAt} < ${now} - ${LINK_DEADLINE})` })
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, scope.organizationId), isNull(auditLog.hash)));
  if (!broken && waiting.stale !== null) broken = { kind: "unlinked", id: Number(waiting.stale) };
  return { ok: broken === null, entries: seq, head, unlinked: waiting.count, broken };
}

/**
 * The organization's chain head as it stands (not verified): what an anchor saves. Position 0 and no
 * HMAC before the first link.
 */
export async function auditChainHead(db: Executor, scope: Scope | ApiScope): Promise<AuditHead> {
  const [row] = await db
    .select({ seq: auditLog.chainSeq, hmac: auditLog.hash, entryId: auditLog.id, createdAt: auditLog.createdAt })
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, scope.organizationId), isNotNull(auditLog.chainSeq)))
    .orderBy(desc(auditLog.chainSeq))
    .limit(1);
  return row ? { seq: row.seq!, hmac: row.hmac, entryId: row.entryId, createdAt: row.createdAt.toISOString() } : { seq: 0, hmac: null, entryId: null, createdAt: null };
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
  if (filter.targetId) conditions.push(isStorableTargetId(filter.targetId) ? eq(auditLog.targetId, filter.targetId) : sql`false`);
  if (filter.from) conditions.push(gte(auditLog.createdAt, dayStart(filter.from)));
  // The day after in SQL: after 9999-12-31 JavaScript writes a year PostgreSQL doesn't read (+010000).
  if (filter.to) conditions.push(sql`${auditLog.createdAt} < (${filter.to}::date + 1)::timestamp at time zone 'UTC'`);
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
