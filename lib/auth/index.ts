import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { beginSignInAttempt, findCredentials, settleSignInAttempt, type ThrottleLimits } from "@/db/queries/login";
import { endSessionsFrom } from "@/db/queries/users";
import { env } from "@/lib/config/env";
import { SignInInput } from "@/lib/validation/auth";
import { addressBucket, clientAddress } from "../security/client-address";
import { verifyPassword } from "../security/password";
import { authConfig } from "./config";

class ThrottledSignIn extends CredentialsSignin {
  code = "throttled";
}
class DisabledSignIn extends CredentialsSignin {
  code = "disabled";
}

export function throttleLimits(): ThrottleLimits {
  const e = env();
  return {
    maxPerAccount: e.LOGIN_THROTTLE_MAX_PER_ACCOUNT,
    maxDelaySeconds: e.LOGIN_THROTTLE_MAX_DELAY_SECONDS,
    maxPerAddress: e.LOGIN_THROTTLE_MAX_PER_ADDRESS,
    windowSeconds: e.LOGIN_THROTTLE_WINDOW_SECONDS,
  };
}

let warnedUnknownAddress = false;

/**
 * The bucket the request's client address is counted in, for per-address limits. Unknown when the app
 * was started without scripts/server.mjs (`next dev`, a bare `next start`): then every client shares
 * one bucket, which can't be dodged with a header, and the server says so once.
 */
export function requestAddress(headers: Headers): string {
  const address = clientAddress(headers, env().TRUST_PROXY_HOPS);
  if (address) return addressBucket(address);
  if (!warnedUnknownAddress) {
    warnedUnknownAddress = true;
    console.warn("Client addresses are unknown, so per-address limits count every client together: serve the app with `npm start` (scripts/server.mjs).");
  }
  return "unknown";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: env().AUTH_SECRET,
  logger: {
    // A failed sign-in is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error(error);
    },
  },
  events: {
    // Signing out ends the session everywhere it was copied to: the version it carries stops being current.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (token?.sub && typeof token.sv === "number") await endSessionsFrom(getDb(), { userId: token.sub, sessionVersion: token.sv });
    },
  },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = SignInInput.safeParse(raw);
        if (!parsed.success) return null;
        const db = getDb();
        const who = { email: parsed.data.email, ip: requestAddress(request.headers) };
        const attempt = await beginSignInAttempt(db, who, throttleLimits());
        if (!attempt.admitted) throw new ThrottledSignIn();
        const credentials = await findCredentials(db, who.email);
        const valid = await verifyPassword(credentials?.passwordHash ?? null, parsed.data.password);
        if (!credentials || !valid) return null;
        await settleSignInAttempt(db, who, attempt.attemptIds);
        if (credentials.activeMemberships === 0) throw new DisabledSignIn();
        return { id: credentials.userId, sessionVersion: credentials.sessionVersion };
      },
    }),
  ],
}));
