"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { loginThrottleState } from "@/db/queries/login";
import { createOrganizationWithAdmin } from "@/db/queries/organizations";
import { acceptInvite } from "@/db/queries/members";
import { clientAddress, signIn, signOut, throttleLimits } from "@/lib/auth";
import { hashPassword } from "@/lib/auth/password";
import { env } from "@/lib/env";
import { humanDuration } from "@/lib/errors";
import { publicAction, type ActionResult } from "@/lib/server-action";
import { AcceptInviteInput, SignInInput, SignUpInput } from "@/lib/validation/auth";

const WRONG_CREDENTIALS = "That email and password don't match an account.";

function throttledResult(retryAfterSeconds: number): ActionResult {
  return {
    ok: false,
    code: "rate_limited",
    message: `Too many failed sign-in attempts. Try again in ${humanDuration(retryAfterSeconds)}.`,
    retryAfterSeconds,
  };
}

/** Signs in through Auth.js; on success Auth.js redirects (a thrown signal that must pass through). */
async function signInWith(email: string, password: string, redirectTo: string): Promise<ActionResult> {
  try {
    await signIn("credentials", { email, password, redirectTo });
    return { ok: true, data: undefined };
  } catch (e) {
    if (e instanceof CredentialsSignin) {
      if (e.code === "throttled") {
        const state = await loginThrottleState(getDb(), { email, ip: clientAddress(await headers()) }, throttleLimits());
        return throttledResult(state.throttled ? state.retryAfterSeconds : 1);
      }
      if (e.code === "disabled") return { ok: false, code: "forbidden", message: "Your access has been disabled. Ask an admin of your organization." };
      return { ok: false, code: "unauthorized", message: WRONG_CREDENTIALS };
    }
    if (e instanceof AuthError) return { ok: false, code: "unauthorized", message: WRONG_CREDENTIALS };
    throw e;
  }
}

export const signInAction = publicAction(SignInInput, async (input, { db }) => {
  // Checked here as well as in `authorize` so the message can say when to come back.
  const state = await loginThrottleState(db, { email: input.email, ip: clientAddress(await headers()) }, throttleLimits());
  if (state.throttled) return throttledResult(state.retryAfterSeconds);
  return signInWith(input.email, input.password, input.next ?? "/");
});

export const signUpAction = publicAction(SignUpInput, async (input, { db }) => {
  if (!env().SIGNUP_ENABLED) return { ok: false, code: "forbidden", message: "Sign-up is switched off on this server. Ask an admin for an invite." };
  await createOrganizationWithAdmin(db, {
    organizationName: input.organizationName,
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password),
  });
  return signInWith(input.email, input.password, "/admin");
});

export const acceptInviteAction = publicAction(AcceptInviteInput, async (input, { db }) => {
  const { email } = await acceptInvite(db, { token: input.token, name: input.name, passwordHash: await hashPassword(input.password) });
  return signInWith(email, input.password, "/");
});

export const signOutAction = publicAction(z.object({}), async () => {
  await signOut({ redirectTo: "/login?reason=signed-out" });
  return { ok: true, data: undefined };
});
