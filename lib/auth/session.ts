import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { auth } from "./index";
import { can, type Capability } from "../security/permissions";
import { loadScope, type Scope, type ScopeLookup } from "@/db/scope";

/** The session's user, re-read from the database once per request (roles and status are never trusted from the token). */
export const currentScope = cache(async (): Promise<ScopeLookup | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  const sessionVersion = session?.user?.sessionVersion;
  // A token without a version was issued before sessions could be ended: it can't be, so it isn't honoured.
  if (!userId || sessionVersion === undefined) return null;
  return loadScope(getDb(), userId, sessionVersion);
});

const refusals: Record<Exclude<ScopeLookup, { ok: true }>["reason"], string> = {
  disabled: "disabled",
  ended: "ended",
  no_membership: "removed",
  no_user: "removed",
};

/**
 * For pages: signed out → sign-in; disabled, removed or ended → sign-in with the reason; lacking the
 * capability → 403. Layouts don't re-run on client navigation, so every page calls this itself. The
 * refused session's cookie stays behind, harmless: every request refuses it again, and signing in
 * replaces it.
 */
export async function requirePageScope(capability?: Capability): Promise<Scope> {
  const lookup = await currentScope();
  if (!lookup) redirect("/login");
  if (!lookup.ok) redirect(`/login?reason=${refusals[lookup.reason]}`);
  if (capability && !can(lookup.scope.role, capability)) forbidden();
  return lookup.scope;
}
