import "server-only";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { apiKeyDisplayPrefix, generateApiKey, isWellFormedApiKey } from "@/lib/security/api-key-format";
import { sha256Hex } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import type { Executor, Tx } from "../client";
import { apiKeys, apiKeyScopes, users, type ApiKeyScope } from "../schema";
import { appendAudit } from "./audit";
import { rowsOfPrepared } from "./execute";
import { apiKeyRateLimitKey, shardedRateLimitCtes } from "./rate-limit";

/** Keys are 256-bit random secrets, so a fast hash is enough: there is nothing to brute-force. */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

/** Each scope once, in the canonical order, whatever order (and repetitions) a form sent. */
function normalizeScopes(scopes: readonly ApiKeyScope[]): ApiKeyScope[] {
  return apiKeyScopes.filter((s) => scopes.includes(s));
}

/**
 * Stores a key (its hash and display prefix, never the key itself) and audits the creation, inside the
 * caller's transaction. `createApiKey` is the way in for people; the demo seed uses this directly
 * because its key has a fixed, documented value and no signed-in admin.
 */
export async function insertApiKey(
  tx: Tx,
  params: {
    organizationId: string;
    actorUserId: string | null;
    name: string;
    scopes: readonly ApiKeyScope[];
    key: string;
    createdAt?: Date;
    lastUsedAt?: Date | null;
    auditData?: Record<string, unknown>;
  },
): Promise<{ id: string; prefix: string }> {
  if (!isWellFormedApiKey(params.key)) throw new Error("Refusing to store a malformed API key.");
  const scopes = normalizeScopes(params.scopes);
  if (scopes.length === 0) throw new AppError("invalid", "Choose at least one scope.", { fieldErrors: { scopes: ["Choose at least one scope"] } });
  const prefix = apiKeyDisplayPrefix(params.key);
  const [row] = await tx
    .insert(apiKeys)
    .values({
      organizationId: params.organizationId,
      name: params.name,
      prefix,
      hash: hashApiKey(params.key),
      scopes,
      createdBy: params.actorUserId,
      createdAt: params.createdAt,
      lastUsedAt: params.lastUsedAt ?? null,
    })
    .returning({ id: apiKeys.id });
  await appendAudit(tx, {
    organizationId: params.organizationId,
    actorUserId: params.actorUserId,
    action: "api_key.created",
    targetType: "api_key",
    targetId: row.id,
    data: { name: params.name, prefix, scopes, ...params.auditData },
  });
  return { id: row.id, prefix };
}

/** Returns the key once; only its SHA-256 and its first 12 characters are stored. */
export async function createApiKey(db: Executor, scope: Scope, params: { name: string; scopes: readonly ApiKeyScope[] }): Promise<{ id: string; key: string; prefix: string }> {
  const key = generateApiKey();
  const { id, prefix } = await db.transaction((tx) =>
    insertApiKey(tx, { organizationId: scope.organizationId, actorUserId: scope.userId, name: params.name, scopes: params.scopes, key }),
  );
  return { id, key, prefix };
}

export type ApiKeyRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdByName: string | null;
};

/** Active keys first, newest first; explicit columns, so the hash never leaves the database. */
export async function listApiKeys(db: Executor, scope: Scope): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdByName: users.name,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.organizationId, scope.organizationId))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function countActiveApiKeys(db: Executor, scope: Scope): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, scope.organizationId), isNull(apiKeys.revokedAt)));
  return row.n;
}

/** Revocation is immediate: the next request with the key is refused. A revoked key stays listed. */
export async function revokeApiKey(db: Executor, scope: Scope, params: { id: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.organizationId, scope.organizationId), eq(apiKeys.id, params.id), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    if (!row) throw new AppError("not_found", "No such active API key.");
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: params.id,
      data: { name: row.name, prefix: row.prefix },
    });
  });
}

export type AuthenticatedApiKey = { keyId: string; organizationId: string; scopes: readonly ApiKeyScope[]; name: string };

/** How stale `lastUsedAt` may get: a hot key writes at most once a minute, not once a request. */
const LAST_USED_RESOLUTION = sql`interval '1 minute'`;

/** Counting a request against its key's rate limit: in the window starting at `windowStart`, if the key has `scope`. */
export type KeyMeter = { scope: ApiKeyScope; windowStart: Date };

export type CountedApiKey = AuthenticatedApiKey & {
  /** The window's request count including this one; null when the key lacks the scope (nothing was counted). */
  requests: number | null;
};

/**
 * CTEs that open a statement authenticating an API request: `k`, the presented key's row (id,
 * organization_id, scopes, name; no row for an unknown or revoked key), its last-used touch and, with a
 * meter, `hit` (the window's request count, only when the key has the scope). One round trip per
 * request instead of three; the answers are those of the separate steps.
 */
export function apiKeyCtes(presentedKey: string, meter?: KeyMeter): SQL {
  const hit = meter
    ? sql`,
      ${shardedRateLimitCtes("hit", sql`${apiKeyRateLimitKey("")} || k.id::text`, meter.windowStart, sql`from k where ${meter.scope} = any(k.scopes)`)}`
    : sql``;
  return sql`
      k as (
        select id, organization_id, scopes, name from ${apiKeys} where hash = ${hashApiKey(presentedKey)} and revoked_at is null
      ),
      touched as (
        -- Skips hot keys without a write; of concurrent first uses one writes, and the others don't wait for it.
        update ${apiKeys} set last_used_at = now()
        where id in (
          select id from ${apiKeys}
          where id in (select id from k) and (last_used_at is null or last_used_at < now() - ${LAST_USED_RESOLUTION})
          for no key update skip locked
        )
      )${hit}`;
}

/** The key as JSON, from the CTEs of `apiKeyCtes` (null when no key was found); read it with `countedApiKeyOf`. */
export function apiKeyJsonSql(meter?: KeyMeter): SQL {
  return sql`(select json_build_object('keyId', k.id, 'organizationId', k.organization_id, 'scopes', k.scopes, 'name', k.name,
    'requests', ${meter ? sql`(select count from hit)` : sql`null`}) from k)`;
}

type KeyJson = { keyId: string; organizationId: string; scopes: ApiKeyScope[]; name: string; requests: number | null };

export function countedApiKeyOf(json: KeyJson | null): CountedApiKey | null {
  return json && { keyId: json.keyId, organizationId: json.organizationId, scopes: json.scopes, name: json.name, requests: json.requests === null ? null : Number(json.requests) };
}

/**
 * Select-list entry for statements that begin an API request: commit without waiting for the WAL
 * flush. What they write (a rate-limit count, last-used time) answers nobody durably on its own: a
 * crash can lose only counts of requests that never got a stored answer, and a submission write that
 * follows commits synchronously, which flushes the WAL before it. Meanwhile the hot rate-limit row's
 * lock is held for microseconds, not a flush.
 */
export const commitWithoutFlushSql = sql`set_config('synchronous_commit', 'off', true)`;

async function lookUpKey(db: Executor, presentedKey: string, meter?: KeyMeter): Promise<CountedApiKey | null> {
  const [row] = await rowsOfPrepared<{ key: KeyJson | null }>(
    db,
    "api_key_lookup",
    sql`with ${apiKeyCtes(presentedKey, meter)} select ${apiKeyJsonSql(meter)} as key, ${commitWithoutFlushSql} as commit_mode`,
  );
  return countedApiKeyOf(row.key);
}

/**
 * The key is the credential, so there is no scope to take: a well-formed, non-revoked key found by its
 * hash names the organization and the scopes an API request acts with. Anything else is `null`.
 */
export async function authenticateApiKey(db: Executor, presentedKey: string): Promise<AuthenticatedApiKey | null> {
  if (!isWellFormedApiKey(presentedKey)) return null;
  const key = await lookUpKey(db, presentedKey);
  return key && { keyId: key.keyId, organizationId: key.organizationId, scopes: key.scopes, name: key.name };
}

/**
 * `authenticateApiKey` plus one request counted against the key's rate limit (when it has `scope`),
 * in the same round trip. `requests` is the window's count including this one, or null when the key
 * lacks the scope (nothing was counted).
 */
export async function authenticateApiKeyAndCount(db: Executor, presentedKey: string, meter: KeyMeter): Promise<CountedApiKey | null> {
  if (!isWellFormedApiKey(presentedKey)) return null;
  return lookUpKey(db, presentedKey, meter);
}
