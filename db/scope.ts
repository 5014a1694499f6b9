import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { memberships, organizations, users, type ApiKeyScope } from "@/db/schema";
import type { Role } from "@/lib/security/permissions";

declare const scopeBrand: unique symbol;
declare const apiScopeBrand: unique symbol;

/**
 * Who is acting, for which organization, with which role — read from the database in this request.
 * Only this module mints one, and every query function requires one, so tenancy holds by construction.
 */
export type Scope = Readonly<{
  organizationId: string;
  organizationName: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
}> & { readonly [scopeBrand]: true };

export type ScopeLookup = { ok: true; scope: Scope } | { ok: false; reason: "no_user" | "no_membership" | "disabled" | "ended" };

/**
 * The user's active membership (their earliest, when they belong to several organizations), for a
 * session issued under `sessionVersion`. A user whose only memberships are disabled is refused; so is a
 * session from before the user's current version (signed out, role changed, disabled since): it has
 * ended. The version is read in the same query as the role, so checking it costs nothing.
 */
export async function loadScope(db: Executor, userId: string, sessionVersion: number): Promise<ScopeLookup> {
  const rows = await db
    .select({
      organizationId: memberships.organizationId,
      organizationName: organizations.name,
      role: memberships.role,
      status: memberships.status,
      email: users.email,
      name: users.name,
      sessionVersion: users.sessionVersion,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId)))
    .orderBy(asc(memberships.createdAt));
  if (rows.length === 0) {
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    return { ok: false, reason: user ? "no_membership" : "no_user" };
  }
  const active = rows.find((r) => r.status === "active");
  if (!active) return { ok: false, reason: "disabled" };
  if (active.sessionVersion !== sessionVersion) return { ok: false, reason: "ended" };
  const scope = {
    organizationId: active.organizationId,
    organizationName: active.organizationName,
    userId,
    email: active.email,
    name: active.name,
    role: active.role,
  } as Scope;
  return { ok: true, scope };
}

/** The organization and key an API request acts for — minted only from the key row (`apiScopeOf`), never from the body. */
export type ApiScope = Readonly<{ organizationId: string; apiKeyId: string; scopes: readonly ApiKeyScope[] }> & { readonly [apiScopeBrand]: true };

/** An API key row, as `authenticateApiKey` and `apiKeyCtes` read it, as the scope of the request that presented it. */
export function apiScopeOf(key: { organizationId: string; keyId: string; scopes: readonly ApiKeyScope[] }): ApiScope {
  return { organizationId: key.organizationId, apiKeyId: key.keyId, scopes: key.scopes } as unknown as ApiScope;
}
