import type { NextConfig } from "next";
import { FORWARDED_HTTPS, NON_PAGE_CONTENT_SECURITY_POLICY, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "@/lib/security/headers";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module; argon2 is a native addon.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // Every response, including the API and static files the proxy never sees; a page's own
  // Content-Security-Policy (with its nonce) comes from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: [...SECURITY_HEADERS] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: FORWARDED_HTTPS }], headers: [STRICT_TRANSPORT_SECURITY] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
