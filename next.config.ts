import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files it loads relative to its own module; argon2 is a native addon.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
};

export default nextConfig;
