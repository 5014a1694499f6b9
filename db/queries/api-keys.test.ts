import { eq, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, expectAppError, linkAndVerifyAudit, type TestOrganization } from "@/test/fixtures";
import { sha256Hex } from "@/lib/security/crypto";
import type { Db, Executor } from "../client";
import * as schema from "../schema";
import { apiKeys } from "../schema";
import { authenticateApiKey, authenticateApiKeyAndCount, countActiveApiKeys, createApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { listAuditEntries } from "./audit";

let db: Db;
let dispose: () => Promise<void>;
let a: TestOrganization;
let b: TestOrganization;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  a = await createTenant(db, "Keys A");
  b = await createTenant(db, "Keys B");
});
afterAll(async () => dispose?.());

const both = ["reviews:write", "reviews:read"] as const;

async function storedRow(id: string) {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row;
}

async function setLastUsed(id: string, secondsAgo: number | null) {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: secondsAgo === null ? null : sql`now() - make_interval(secs => ${secondsAgo})` })
    .where(eq(apiKeys.id, id));
  return (await storedRow(id)).lastUsedAt;
}

/** A database that fails the test if anything touches it. */
const untouchable = new Proxy({} as Executor, {
  get: (_target, property) => {
    throw new Error(`The database was used (${String(property)})`);
  },
});

describe("createApiKey", () => {
  it("returns a cs_live_ key once and stores only its SHA-256 and its first 12 characters", async () => {
    const created = await createApiKey(db, a.admin, { name: "Refund agent", scopes: [...both] });
    expect(created.key).toMatch(/^cs_live_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    const row = await storedRow(created.id);
    expect(row).toMatchObject({ organizationId: a.organizationId, name: "Refund agent", prefix: created.prefix, hash: sha256Hex(created.key), scopes: [...both], createdBy: a.adminId, lastUsedAt: null, revokedAt: null });
  });

  it("never stores the key: no column of any table contains it", async () => {
    const { key } = await createApiKey(db, a.admin, { name: "Secretive agent", scopes: ["reviews:read"] });
    const secretPart = key.slice(12);
    const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
    expect(tables.length).toBeGreaterThan(10);
    for (const table of tables) {
      const dump = JSON.stringify(await db.select().from(table));
      expect(dump.includes(secretPart), `${getTableName(table)} contains the key`).toBe(false);
    }
  });

  it("stores each scope once, in canonical order, and refuses none", async () => {
    const created = await createApiKey(db, a.admin, { name: "Messy form", scopes: ["reviews:read", "reviews:write", "reviews:read"] });
    expect((await storedRow(created.id)).scopes).toEqual(["reviews:write", "reviews:read"]);
    const error = await expectAppError(createApiKey(db, a.admin, { name: "No scopes", scopes: [] }), "invalid");
    expect(error.fieldErrors?.scopes).toEqual(["Choose at least one scope"]);
  });

  it("audits the creation with name, prefix and scopes, never the key", async () => {
    const created = await createApiKey(db, a.admin, { name: "Audited agent", scopes: ["reviews:write"] });
    const entry = (await listAuditEntries(db, a.admin)).find((e) => e.targetId === created.id);
    expect(entry).toMatchObject({ action: "api_key.created", targetType: "api_key", actorUserId: a.adminId });
    expect(entry?.data).toEqual({ name: "Audited agent", prefix: created.prefix, scopes: ["reviews:write"] });
    expect(JSON.stringify(entry)).not.toContain(created.key.slice(12));
    expect((await linkAndVerifyAudit(db, a.admin)).ok).toBe(true);
  });
});

describe("listApiKeys", () => {
  it("lists explicit columns with the creator's name, active keys first and newest first, never the hash", async () => {
    const tenant = await createTenant(db, "Listing");
    expect(await listApiKeys(db, tenant.admin)).toEqual([]);
    const first = await createApiKey(db, tenant.admin, { name: "First", scopes: ["reviews:read"] });
    const second = await createApiKey(db, tenant.admin, { name: "Second", scopes: [...both] });
    const third = await createApiKey(db, tenant.admin, { name: "Third", scopes: ["reviews:write"] });
    await revokeApiKey(db, tenant.admin, { id: third.id });
    const keys = await listApiKeys(db, tenant.admin);
    expect(keys.map((k) => k.name)).toEqual(["Second", "First", "Third"]);
    expect(Object.keys(keys[0]).sort()).toEqual(["createdAt", "createdByName", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scopes"]);
    expect(keys[0]).toMatchObject({ id: second.id, prefix: second.prefix, scopes: [...both], createdByName: `Admin of Listing`, lastUsedAt: null, revokedAt: null });
    expect(keys[0].createdAt).toBeInstanceOf(Date);
    expect(keys[2].revokedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(keys)).not.toContain(sha256Hex(first.key));
    expect(await countActiveApiKeys(db, tenant.admin)).toBe(2);
  });

  it("shows who created a key even when they are not an admin any more", async () => {
    const tenant = await createTenant(db, "Creator");
    const other = await addMember(db, tenant.admin, "admin", "Ada Other");
    const created = await createApiKey(db, other.scope, { name: "By Ada", scopes: ["reviews:read"] });
    const [row] = (await listApiKeys(db, tenant.admin)).filter((k) => k.id === created.id);
    expect(row.createdByName).toBe("Ada Other");
  });
});

describe("authenticateApiKey", () => {
  it("answers the key's organization, scopes and name for a valid key", async () => {
    const created = await createApiKey(db, a.admin, { name: "Reader", scopes: ["reviews:read"] });
    expect(await authenticateApiKey(db, created.key)).toEqual({ keyId: created.id, organizationId: a.organizationId, scopes: ["reviews:read"], name: "Reader" });
    const other = await createApiKey(db, b.admin, { name: "B's agent", scopes: [...both] });
    expect(await authenticateApiKey(db, other.key)).toMatchObject({ organizationId: b.organizationId, keyId: other.id });
  });

  it("answers null for an unknown key, and for a malformed one without touching the database", async () => {
    expect(await authenticateApiKey(db, `cs_live_${"x".repeat(43)}`)).toBeNull();
    const { key } = await createApiKey(db, a.admin, { name: "Almost", scopes: ["reviews:read"] });
    expect(await authenticateApiKey(db, `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`)).toBeNull();
    for (const bad of ["", "Bearer", key.slice(0, 30), `${key} `, key.toUpperCase().replace("CS_LIVE_", "cs_test_"), `cs_live_${"x".repeat(300)}`, "cs_live_'; drop table api_keys; --xxxxxxxxxxxxxxx"]) {
      expect(await authenticateApiKey(untouchable, bad)).toBeNull();
    }
  });

  it("refuses a revoked key", async () => {
    const created = await createApiKey(db, a.admin, { name: "Soon revoked", scopes: [...both] });
    expect(await authenticateApiKey(db, created.key)).not.toBeNull();
    await revokeApiKey(db, a.admin, { id: created.id });
    expect(await authenticateApiKey(db, created.key)).toBeNull();
  });

  it("records the last use at most once a minute per key", async () => {
    const created = await createApiKey(db, a.admin, { name: "Hot key", scopes: ["reviews:read"] });
    await authenticateApiKey(db, created.key);
    const first = (await storedRow(created.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    expect(Math.abs(first!.getTime() - Date.now())).toBeLessThan(60_000);

    // Within the minute: no write, however many requests.
    for (let i = 0; i < 3; i++) await authenticateApiKey(db, created.key);
    expect((await storedRow(created.id)).lastUsedAt).toEqual(first);
    const recent = await setLastUsed(created.id, 30);
    await authenticateApiKey(db, created.key);
    expect((await storedRow(created.id)).lastUsedAt).toEqual(recent);

    // Older than a minute: the next request records it again.
    const stale = await setLastUsed(created.id, 120);
    await authenticateApiKey(db, created.key);
    const refreshed = (await storedRow(created.id)).lastUsedAt!;
    expect(refreshed.getTime()).toBeGreaterThan(stale!.getTime() + 60_000);

    // Concurrent first uses all authenticate and leave one timestamp.
    await setLastUsed(created.id, null);
    const results = await Promise.all(Array.from({ length: 5 }, () => authenticateApiKey(db, created.key)));
    expect(results.every((r) => r?.keyId === created.id)).toBe(true);
    expect((await storedRow(created.id)).lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("authenticateApiKeyAndCount", () => {
  it("authenticates and counts the request in the key's window, only when the key has the scope", async () => {
    const created = await createApiKey(db, a.admin, { name: "Counted", scopes: ["reviews:read"] });
    const windowStart = new Date("2026-01-01T10:00:00Z");
    const read = { scope: "reviews:read" as const, windowStart };
    expect(await authenticateApiKeyAndCount(db, created.key, read)).toEqual({ keyId: created.id, organizationId: a.organizationId, scopes: ["reviews:read"], name: "Counted", requests: 1 });
    expect((await authenticateApiKeyAndCount(db, created.key, read))?.requests).toBe(2);
    // Lacking the scope: authenticated, but nothing counted.
    expect((await authenticateApiKeyAndCount(db, created.key, { scope: "reviews:write", windowStart }))?.requests).toBeNull();
    expect((await authenticateApiKeyAndCount(db, created.key, { scope: "reviews:read", windowStart: new Date("2026-01-01T10:01:00Z") }))?.requests).toBe(1);
    expect((await authenticateApiKeyAndCount(db, created.key, read))?.requests).toBe(3);
    await revokeApiKey(db, a.admin, { id: created.id });
    expect(await authenticateApiKeyAndCount(db, created.key, read)).toBeNull();
    expect(await authenticateApiKeyAndCount(untouchable, "cs_live_nope", read)).toBeNull();
  });
});

describe("revokeApiKey", () => {
  it("revokes once and audits it; a second revoke or an unknown id is not found", async () => {
    const created = await createApiKey(db, a.admin, { name: "Leaked key", scopes: [...both] });
    await revokeApiKey(db, a.admin, { id: created.id });
    expect((await storedRow(created.id)).revokedAt).toBeInstanceOf(Date);
    const entry = (await listAuditEntries(db, a.admin)).find((e) => e.targetId === created.id && e.action === "api_key.revoked");
    expect(entry).toMatchObject({ targetType: "api_key", actorUserId: a.adminId, data: { name: "Leaked key", prefix: created.prefix } });
    await expectAppError(revokeApiKey(db, a.admin, { id: created.id }), "not_found");
    await expectAppError(revokeApiKey(db, a.admin, { id: "00000000-0000-4000-8000-000000000000" }), "not_found");
    expect((await linkAndVerifyAudit(db, a.admin)).ok).toBe(true);
  });
});

describe("tenancy", () => {
  it("tenant B can't read or revoke tenant A's keys", async () => {
    const created = await createApiKey(db, a.admin, { name: "A's production agent", scopes: [...both] });
    const before = await listAuditEntries(db, b.admin, { limit: 200 });
    expect((await listApiKeys(db, b.admin)).some((k) => k.id === created.id)).toBe(false);
    expect((await listApiKeys(db, b.admin)).every((k) => !k.name.startsWith("A's"))).toBe(true);
    await expectAppError(revokeApiKey(db, b.admin, { id: created.id }), "not_found");
    expect((await storedRow(created.id)).revokedAt).toBeNull();
    expect(await authenticateApiKey(db, created.key)).toMatchObject({ organizationId: a.organizationId });
    // Nothing was written to either organization's audit log by the refused attempt.
    expect(await listAuditEntries(db, b.admin, { limit: 200 })).toEqual(before);
    expect((await listAuditEntries(db, a.admin)).some((e) => e.action === "api_key.revoked" && e.targetId === created.id)).toBe(false);
    expect(await countActiveApiKeys(db, b.admin)).toBe((await listApiKeys(db, b.admin)).filter((k) => !k.revokedAt).length);
  });
});
