import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const names = ["NODE_ENV", "DATABASE_URL", "PGLITE_DIR", "AUTH_SECRET", "AUDIT_HMAC_KEY"] as const;
// Written through a plain record: NODE_ENV is read-only in Node's types.
const vars = process.env as Record<string, string | undefined>;
const saved = Object.fromEntries(names.map((n) => [n, vars[n]]));
const dirs: string[] = [];

/** A fresh `env()` (it caches) under exactly these variables, whatever the caller's environment holds. */
async function envWith(given: Partial<Record<(typeof names)[number], string>>) {
  for (const n of names) delete vars[n];
  Object.assign(vars, given);
  vi.resetModules();
  const { env } = await import("./env");
  return env;
}

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "countersign-env-"));
  dirs.push(dir);
  return path.join(dir, "pglite");
}

afterEach(() => {
  for (const n of names) {
    if (saved[n] === undefined) delete vars[n];
    else vars[n] = saved[n];
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("AUDIT_HMAC_KEY", () => {
  const secret = "s".repeat(32);

  it("is required in production on PostgreSQL, with a message naming it", async () => {
    const env = await envWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/app", AUTH_SECRET: secret });
    expect(() => env()).toThrow(/AUDIT_HMAC_KEY: is required when DATABASE_URL is set in production/);
  });

  it("must be long enough when given", async () => {
    const env = await envWith({ AUDIT_HMAC_KEY: "short", AUTH_SECRET: secret });
    expect(() => env()).toThrow(/AUDIT_HMAC_KEY: must be at least 32 characters/);
  });

  it("is generated beside the embedded database once, and kept", async () => {
    const dir = dataDir();
    const first = (await envWith({ PGLITE_DIR: dir }))().AUDIT_HMAC_KEY;
    const file = path.join(path.dirname(dir), "audit-hmac-key");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect((await envWith({ PGLITE_DIR: dir }))().AUDIT_HMAC_KEY).toBe(first);
    // Its own secret, not the session signing secret.
    expect((await envWith({ PGLITE_DIR: dir }))().AUTH_SECRET).not.toBe(first);
  });

  it("is the given value when set", async () => {
    const key = "k".repeat(40);
    expect((await envWith({ NODE_ENV: "production", DATABASE_URL: "postgres://db/app", AUTH_SECRET: secret, AUDIT_HMAC_KEY: key }))().AUDIT_HMAC_KEY).toBe(key);
  });
});
