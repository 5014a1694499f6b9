import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { clearLoginFailures, findCredentials, loginThrottleState, recordLoginFailure, type ThrottleLimits } from "@/db/queries/login";
import { env } from "@/lib/env";
import { SignInInput } from "@/lib/validation/auth";
import { verifyPassword } from "./password";
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
    maxPerAddress: e.LOGIN_THROTTLE_MAX_PER_ADDRESS,
    windowSeconds: e.LOGIN_THROTTLE_WINDOW_SECONDS,
  };
}

/** The client's address as the server saw it (Next sets x-forwarded-for on `next start`). */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
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
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = SignInInput.safeParse(raw);
        if (!parsed.success) return null;
        const db = getDb();
        const who = { email: parsed.data.email, ip: clientAddress(request.headers) };
        const limits = throttleLimits();
        if ((await loginThrottleState(db, who, limits)).throttled) throw new ThrottledSignIn();
        const credentials = await findCredentials(db, who.email);
        const valid = await verifyPassword(credentials?.passwordHash ?? null, parsed.data.password);
        if (!credentials || !valid) {
          await recordLoginFailure(db, who, limits);
          return null;
        }
        if (credentials.activeMemberships === 0) throw new DisabledSignIn();
        await clearLoginFailures(db, who.email);
        return { id: credentials.userId };
      },
    }),
  ],
}));
