import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";

// Optimistic redirects only: a signed-out visitor to an app page goes to /login. Every page, action
// and route handler still authenticates and authorizes itself against the database.
const { auth } = NextAuth(() => ({ ...authConfig, secret: env().AUTH_SECRET }));

export default auth;

export const config = {
  matcher: ["/queue/:path*", "/analytics/:path*", "/admin/:path*"],
};
