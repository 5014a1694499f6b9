import type { NextAuthConfig } from "next-auth";

declare module "next-auth" {
  interface User {
    /** `users.session_version` when the session was issued; a session from an older version has ended. */
    sessionVersion?: number;
  }
}

/**
 * The part of the Auth.js configuration that needs no database, shared by `proxy.ts` (optimistic
 * redirects only) and the full instance in `lib/auth/index.ts`. The secret is added lazily by both, at
 * the first request, so `next build` never needs it.
 */
export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [],
  callbacks: {
    // The token holds the user id and the session version it was issued under; role and status are
    // read from the database per request, in the same query that compares the version (db/scope.ts).
    jwt({ token, user }) {
      if (user?.id) {
        token.sub = user.id;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user = { ...session.user, id: token.sub, sessionVersion: typeof token.sv === "number" ? token.sv : undefined };
      return session;
    },
    authorized({ auth, request }) {
      const signedIn = Boolean(auth?.user);
      const { pathname } = request.nextUrl;
      const appArea = ["/queue", "/analytics", "/admin"].some((p) => pathname === p || pathname.startsWith(`${p}/`));
      return appArea ? signedIn : true;
    },
  },
} satisfies NextAuthConfig;
