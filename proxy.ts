import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { refuseMalformedActionCall } from "@/lib/api/action-call";
import { problemFor, problemResponse } from "@/lib/api/problem";
import { authConfig } from "@/lib/auth/config";
import { env } from "@/lib/config/env";
import { createNonce, pageContentSecurityPolicy } from "@/lib/security/headers";

// Optimistic redirects only: a signed-out visitor to an app page goes to /login. Every page, action
// and route handler still authenticates and authorizes itself against the database. Every page also
// gets its Content-Security-Policy here, with a nonce of its own (the other security headers come
// from next.config.ts).
const { auth } = NextAuth(() => ({ ...authConfig, secret: env().AUTH_SECRET }));
// `auth` is the proxy itself when exported as it is; its types only describe the other ways to call it.
const authProxy = auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

const APP_AREAS = /^\/(queue|analytics|admin)(\/|$)/;

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
  // Auth.js runs where it did before every page came through here for its policy: the app areas, whose
  // signed-out visitors it sends to /login, and server action calls. Elsewhere it would only add cookies.
  const authRuns = APP_AREAS.test(request.nextUrl.pathname) || request.headers.has("next-action");
  return withPagePolicy(request, authRuns ? await authProxy(request, event) : NextResponse.next());
}

/**
 * The page's policy on the response for the browser, and on the request the page renders from: the
 * framework finds the nonce there and puts it on its own scripts; the root layout reads `x-nonce` for
 * the theme script. A redirect to sign in renders nothing, so it only gets the header.
 */
function withPagePolicy(request: NextRequest, authResponse: Response): Response {
  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  let response = authResponse;
  if (!authResponse.headers.has("location")) {
    const headers = new Headers(request.headers);
    headers.set("x-nonce", nonce);
    headers.set("content-security-policy", policy);
    response = NextResponse.next({ request: { headers } });
    // The session cookie Auth.js refreshed on its way through.
    for (const cookie of authResponse.headers.getSetCookie()) response.headers.append("set-cookie", cookie);
  }
  response.headers.set("content-security-policy", policy);
  return response;
}

export const config = {
  // Every page (and the server action calls made to them); API paths only when they hold a percent
  // sign, so the agent API's hot path never runs the proxy; never the framework's static files.
  matcher: ["/((?!_next/|api/|icon\\.svg).*)", "/api/:path(.*%.*)"],
};
