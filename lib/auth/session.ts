import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { auth } from "./index";
import { can, type Capability } from "./permissions";
import { loadScope, type Scope, type ScopeLookup } from "./scope";

/** The session's user, re-read from the database once per request (roles and status are never trusted from the token). */
export const currentScope = cache(async (): Promise<ScopeLookup | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return loadScope(getDb(), userId);
});

/**
 * For pages: signed out → sign-in; disabled or removed → signed out with a reason; lacking the
 * capability → 403. Layouts don't re-run on client navigation, so every page calls this itself.
 */
export async function requirePageScope(capability?: Capability): Promise<Scope> {
  const lookup = await currentScope();
  if (!lookup) redirect("/login");
  if (!lookup.ok) redirect(`/signed-out?reason=${lookup.reason === "disabled" ? "disabled" : "removed"}`);
  if (capability && !can(lookup.scope.role, capability)) forbidden();
  return lookup.scope;
}
