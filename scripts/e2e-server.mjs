// The app under test for Playwright: a fresh database (PostgreSQL from TEST_DATABASE_URL, else embedded
// PGlite), migrated and seeded, served by scripts/server.mjs (`next start` that knows the client's address) on E2E_PORT. Builds first when no build exists.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import postgres from "postgres";

const port = process.env.E2E_PORT ?? "3100";
const env = {
  ...process.env,
  PORT: port,
  AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-not-for-production-0123456789abcdef",
  AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY ?? "e2e-audit-key-not-for-production-0123456789abcdef",
  SIGNUP_ENABLED: "true",
  // Small enough that a test can watch an account's delays grow and lift, and fill an address's limit
  // (from a loopback address of its own: e2e/loopback-client.ts) within the window.
  LOGIN_THROTTLE_MAX_PER_ACCOUNT: "3",
  LOGIN_THROTTLE_MAX_DELAY_SECONDS: "8",
  LOGIN_THROTTLE_MAX_PER_ADDRESS: "20",
  LOGIN_THROTTLE_WINDOW_SECONDS: "30",
  // The suite signs up a few dozen organizations from 127.0.0.1; auth.spec fills the limit from an address of its own.
  SIGNUP_MAX_PER_ADDRESS_PER_HOUR: "100",
  TRUST_PROXY_HOPS: "0",
  // The demo organization's key and webhook secret, known to e2e/api.spec.ts; its webhook receiver listens here.
  DEMO_API_KEY: "cs_live_e2e_demo_key_0123456789abcdefghijklmnopqrstuv",
  DEMO_WEBHOOK_SECRET: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  WEBHOOK_ALLOWLIST: "127.0.0.1:3199",
};
delete env.DATABASE_URL;

function run(cmd, args, extraEnv = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(".next/BUILD_ID")) run("node_modules/.bin/next", ["build"]);

if (process.env.TEST_DATABASE_URL) {
  const url = new URL(process.env.TEST_DATABASE_URL);
  const name = `countersign_e2e_${port}`;
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  run("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/db-migrate.ts"]);
  run("node_modules/.bin/tsx", ["--conditions=react-server", "scripts/db-seed.ts"]);
} else {
  env.PGLITE_DIR = ".data/e2e/pglite";
  rmSync(".data/e2e", { recursive: true, force: true });
}

// The server keeps idle connections 65 s, longer than clients keep theirs (Node's agent: 5 s), so the client closes
// first: with equal timeouts a request can go out on a socket the server is closing (ECONNRESET).
const server = spawn(process.execPath, ["scripts/server.mjs", "-p", port, "-H", "127.0.0.1"], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
