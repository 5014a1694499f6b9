import "server-only";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Scope } from "@/lib/auth/scope";
import { apiKeyDisplayPrefix, generateApiKey, isWellFormedApiKey } from "@/lib/api-key-format";
import { sha256Hex } from "@/lib/crypto";
import { AppError } from "@/lib/errors";
import type { Executor, Tx } from "../client";
import { apiKeys, apiKeyScopes, users, type ApiKeyScope } from "../schema";
import { appendAudit } from "./audit";

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
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The key is the credential, so there is no scope to take: a well-formed, non-revoked key found by its
 * hash names the organization and the scopes an API request acts with. Anything else is `null`.
 */
export async function authenticateApiKey(db: Executor, presentedKey: string): Promise<AuthenticatedApiKey | null> {
  if (!isWellFormedApiKey(presentedKey)) return null;
  const [row] = await db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, scopes: apiKeys.scopes, name: apiKeys.name, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hashApiKey(presentedKey)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    // The read above skips the write for hot keys; the condition here keeps concurrent requests from all writing.
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  }
  return { keyId: row.id, organizationId: row.organizationId, scopes: row.scopes, name: row.name };
}
