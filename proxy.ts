import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { refuseMalformedActionCall } from "@/lib/action-call";
import { problemFor, problemResponse } from "@/lib/api/problem";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/env";

// Optimistic redirects only: a signed-out visitor to an app page goes to /login. Every page, action
// and route handler still authenticates and authorizes itself against the database.
const { auth } = NextAuth(() => ({ ...authConfig, secret: env().AUTH_SECRET }));
// `auth` is the proxy itself when exported as it is; its types only describe the other ways to call it.
const authProxy = auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  if (request.method === "POST" && request.headers.has("next-action")) {
    const refused = await refuseMalformedActionCall(request);
    if (refused) return refused;
  }
  // An API path that isn't valid percent-encoding (`/api/v1/reviews/%ZZ`): the framework would answer
  // a bare 500 while decoding its parameters, so it is refused here as a malformed request.
  if (request.nextUrl.pathname.startsWith("/api/")) {
    return decodes(request.nextUrl.pathname) ? NextResponse.next() : problemResponse(problemFor("malformed", "The path isn't valid percent-encoding."));
  }
  return authProxy(request, event);
}

export const config = {
  // API paths only when they hold a percent sign, so the agent API's hot path never runs the proxy;
  // server action calls on any page.
  matcher: [
    "/queue/:path*",
    "/analytics/:path*",
    "/admin/:path*",
    "/api/:path(.*%.*)",
    { source: "/((?!_next/|api/).*)", has: [{ type: "header", key: "next-action" }] },
  ],
};
