"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { loginThrottleState } from "@/db/queries/login";
import { createOrganizationWithAdmin } from "@/db/queries/organizations";
import { acceptInvite } from "@/db/queries/members";
import { hitRateLimit } from "@/db/queries/rate-limit";
import { requestAddress, signIn, signOut, throttleLimits } from "@/lib/auth";
import { hashPassword } from "@/lib/security/password";
import { env } from "@/lib/config/env";
import { humanDuration } from "@/lib/errors";
import { publicAction, type ActionResult } from "@/lib/auth/server-action";
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
        // `authorize` refused before checking the password; the state says for how long.
        const state = await loginThrottleState(getDb(), { email, ip: requestAddress(await headers()) }, throttleLimits());
        return throttledResult(state.throttled ? state.retryAfterSeconds : 1);
      }
      if (e.code === "disabled") return { ok: false, code: "forbidden", message: "Your access has been disabled. Ask an admin of your organization." };
      return { ok: false, code: "unauthorized", message: WRONG_CREDENTIALS };
    }
    if (e instanceof AuthError) return { ok: false, code: "unauthorized", message: WRONG_CREDENTIALS };
    throw e;
  }
}

export const signInAction = publicAction(SignInInput, async (input) => signInWith(input.email, input.password, input.next ?? "/"));

/**
 * Sign-up answers the same whether the email is new or already has an account: both go to sign-in
 * with one neutral notice, so the form can't be used to learn who has an account. A taken email
 * creates nothing and leaves its account alone. Limited per client address, before any hashing.
 */
export const signUpAction = publicAction(SignUpInput, async (input, { db }) => {
  if (!env().SIGNUP_ENABLED) return { ok: false, code: "forbidden", message: "Sign-up is switched off on this server. Ask an admin for an invite." };
  const verdict = await hitRateLimit(db, `signup:${requestAddress(await headers())}`, { limit: env().SIGNUP_MAX_PER_ADDRESS_PER_HOUR, windowSeconds: 3600 });
  if (!verdict.allowed) {
    return { ok: false, code: "rate_limited", message: `Too many sign-ups from your network. Try again in ${humanDuration(verdict.retryAfterSeconds)}.`, retryAfterSeconds: verdict.retryAfterSeconds };
  }
  await createOrganizationWithAdmin(db, {
    organizationName: input.organizationName,
    name: input.name,
    email: input.email,
    passwordHash: await hashPassword(input.password),
  });
  redirect("/login?reason=signed-up");
});

export const acceptInviteAction = publicAction(AcceptInviteInput, async (input, { db }) => {
  const { email } = await acceptInvite(db, { token: input.token, name: input.name, passwordHash: await hashPassword(input.password) });
  return signInWith(email, input.password, "/");
});

/**
 * Ends the session, and with it every session of the user (Auth.js's signOut event moves the user's
 * session version on): a copy of the cookie taken before stops working too.
 */
export const signOutAction = publicAction(z.object({}), async () => {
  await signOut({ redirectTo: "/login?reason=signed-out" });
  return { ok: true, data: undefined };
});
