import "server-only";
import { getDb, type Db } from "@/db/client";
import { can, type Capability } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { currentScope } from "@/lib/auth/session";
import { errorResponse } from "./handler";
import { problemFor, problemResponse } from "./problem";

/**
 * Route handlers the browser calls with its session (live updates, lease release on leaving a page):
 * authenticate and authorize inside the handler, answer problem+json when refused or when the handler fails.
 */
export async function withSession(capability: Capability, fn: (ctx: { db: Db; scope: Scope }) => Promise<Response>): Promise<Response> {
  const lookup = await currentScope();
  if (!lookup || !lookup.ok) return problemResponse(problemFor("unauthorized", "Sign in to continue."));
  if (!can(lookup.scope.role, capability)) return problemResponse(problemFor("forbidden", "Your role doesn't allow this."));
  try {
    return await fn({ db: getDb(), scope: lookup.scope });
  } catch (e) {
    return errorResponse(e, crypto.randomUUID());
  }
}
