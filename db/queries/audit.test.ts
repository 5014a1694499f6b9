import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { createTenant, queryRows, type TestOrganization } from "@/test/fixtures";
import { openDb, type Db } from "../client";
import { auditLog } from "../schema";
import { appendAudit, chainAuditLog, listAuditEntries, verifyAuditChain } from "./audit";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

async function openPool(): Promise<{ db: Db; close: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { db, close: async () => {} };
  const [{ name }] = await queryRows<{ name: string }>(db, sql`select current_database() as name`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = openDb({ url: url.toString(), max: 8 });
  return { db: handle.db, close: handle.close };
}

async function append(tenant: TestOrganization, action: string, data: Record<string, unknown> = {}) {
  await db.transaction((tx) => appendAudit(tx, { organizationId: tenant.organizationId, actorUserId: tenant.adminId, action, targetType: "test", targetId: action, data }));
}

/**
 * Tampering as someone with the database's superuser powers would: the append-only trigger is skipped
 * for this one statement (replica mode, which only a superuser may set). The application can't do this.
 */
async function tamper(statement: ReturnType<typeof sql>) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

/** The tenant's chain, after the chainer has linked what was appended. */
async function chainOf(tenant: TestOrganization) {
  await chainAuditLog(db, { organizationId: tenant.organizationId });
  return db.select({ id: auditLog.id, prevHash: auditLog.prevHash, hash: auditLog.hash }).from(auditLog).where(eq(auditLog.organizationId, tenant.organizationId)).orderBy(asc(auditLog.id));
}

describe("appendAudit", () => {
  it("chains each entry to the previous one of the same organization", async () => {
    const a = await createTenant(db, "Chain A");
    const b = await createTenant(db, "Chain B");
    await append(a, "test.one", { n: 1, nested: { list: [1, "two", null], ok: true } });
    await append(b, "test.other");
    await append(a, "test.two", { amount: 12.5 });
    const chain = await chainOf(a);
    expect(chain).toHaveLength(3);
    expect(chain[0].prevHash).toBeNull();
    expect(chain[1].prevHash).toBe(chain[0].hash);
    expect(chain[2].prevHash).toBe(chain[1].hash);
    expect(new Set(chain.map((c) => c.hash)).size).toBe(3);
    // B's entries link only to B's: its first entry starts its own chain.
    expect((await chainOf(b))[0].prevHash).toBeNull();
    expect(await verifyAuditChain(db, a.admin)).toEqual({ ok: true, entries: 3 });
    expect(await verifyAuditChain(db, b.admin)).toEqual({ ok: true, entries: 2 });
  });

  it("keeps one linear chain under concurrent writers", async () => {
    const tenant = await createTenant(db, "Concurrent");
    // On PostgreSQL, a pool of its own so the writers really overlap (the test handle holds one connection).
    const pool = await openPool();
    try {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          pool.db.transaction((tx) => appendAudit(tx, { organizationId: tenant.organizationId, action: `test.concurrent.${i}`, targetType: "test" })),
        ),
      );
    } finally {
      await pool.close();
    }
    const chain = await chainOf(tenant);
    expect(chain).toHaveLength(9);
    for (let i = 1; i < chain.length; i++) expect(chain[i].prevHash).toBe(chain[i - 1].hash);
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: true, entries: 9 });
  });

  it("rolls back with the transaction it belongs to", async () => {
    const tenant = await createTenant(db, "Rollback");
    await expect(
      db.transaction(async (tx) => {
        await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.rolled_back", targetType: "test" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    expect((await listAuditEntries(db, tenant.admin)).map((e) => e.action)).toEqual(["organization.created"]);
  });
});

describe("append-only in PostgreSQL", () => {
  it("refuses to delete or change an entry, chained or not, and still lets the chainer link once", async () => {
    const tenant = await createTenant(db, "Append only");
    await append(tenant, "test.a", { email: "real@example.test" });
    const [unchained] = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, "test.a"));
    // drizzle wraps the database's error; the refusal is PostgreSQL's own message.
    const refused = async (statement: ReturnType<typeof sql>) => {
      const error: unknown = await db.execute(statement).then(() => null, (e: unknown) => e);
      expect(String((error as { cause?: Error } | null)?.cause?.message)).toMatch(/append-only/);
    };
    await refused(sql`update audit_log set data = '{}'::jsonb where id = ${unchained.id}`);
    // Linking an unchained row by hand is refused unless it sets the hash and touches nothing else.
    await refused(sql`update audit_log set action = 'x', hash = 'h' where id = ${unchained.id}`);
    const chain = await chainOf(tenant);
    expect(chain.every((row) => row.hash !== null)).toBe(true);
    await refused(sql`update audit_log set hash = ${"0".repeat(64)} where id = ${unchained.id}`);
    await refused(sql`update audit_log set chain_seq = null, prev_hash = null, hash = null where id = ${unchained.id}`);
    await refused(sql`delete from audit_log where id = ${unchained.id}`);
    await refused(sql`delete from audit_log where organization_id = ${tenant.organizationId}`);
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: true, entries: 2 });
  });

  it("lets entries go only with their organization", async () => {
    const tenant = await createTenant(db, "Deleted org");
    await append(tenant, "test.a");
    await db.execute(sql`delete from organizations where id = ${tenant.organizationId}`);
    const [{ n }] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, tenant.organizationId));
    expect(n).toBe(0);
  });
});

describe("verifyAuditChain", () => {
  it("reports the first entry whose data was changed in place", async () => {
    const tenant = await createTenant(db, "Tamper data");
    for (const action of ["test.a", "test.b", "test.c"]) await append(tenant, action, { email: "real@example.test" });
    const chain = await chainOf(tenant);
    await tamper(sql`update audit_log set data = '{"email": "forged@example.test"}'::jsonb where id = ${chain[2].id}`);
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: false, entries: 2, brokenAtId: chain[2].id });
  });

  it("detects a changed actor, timestamp or recomputed hash", async () => {
    const tenant = await createTenant(db, "Tamper fields");
    await append(tenant, "test.a");
    await append(tenant, "test.b");
    const chain = await chainOf(tenant);
    await tamper(sql`update audit_log set created_at = created_at - interval '1 day' where id = ${chain[1].id}`);
    expect(await verifyAuditChain(db, tenant.admin)).toMatchObject({ ok: false, brokenAtId: chain[1].id });
    await tamper(sql`update audit_log set created_at = created_at + interval '1 day', actor_user_id = null where id = ${chain[1].id}`);
    expect(await verifyAuditChain(db, tenant.admin)).toMatchObject({ ok: false, brokenAtId: chain[1].id });
    // Forging a hash for the edited row just moves the break to the next link.
    await tamper(sql`update audit_log set hash = ${"0".repeat(64)} where id = ${chain[0].id}`);
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: false, entries: 0, brokenAtId: chain[0].id });
  });

  it("detects a deleted entry at the link after it", async () => {
    const tenant = await createTenant(db, "Tamper delete");
    for (const action of ["test.a", "test.b", "test.c"]) await append(tenant, action);
    const chain = await chainOf(tenant);
    await tamper(sql`delete from audit_log where id = ${chain[2].id}`);
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: false, entries: 2, brokenAtId: chain[3].id });
  });

  it("walks chains longer than one page", async () => {
    const tenant = await createTenant(db, "Long");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 520; i++) await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.bulk", targetType: "test", data: { i } });
    });
    expect(await verifyAuditChain(db, tenant.admin)).toEqual({ ok: true, entries: 521 });
  });

  it("tampering in one organization doesn't affect another's verdict", async () => {
    const a = await createTenant(db, "Broken A");
    const b = await createTenant(db, "Intact B");
    await append(a, "test.a");
    await append(b, "test.b");
    // Evidence starts once the chainer has linked an entry (within a second of its commit in the app).
    await chainOf(a);
    await tamper(sql`update audit_log set action = 'test.forged' where organization_id = ${a.organizationId} and action = 'test.a'`);
    expect(await verifyAuditChain(db, a.admin)).toMatchObject({ ok: false });
    expect(await verifyAuditChain(db, b.admin)).toEqual({ ok: true, entries: 2 });
  });
});

describe("listAuditEntries", () => {
  it("lists the organization's entries newest first, limited and capped", async () => {
    const tenant = await createTenant(db, "Listing");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 205; i++) await appendAudit(tx, { organizationId: tenant.organizationId, actorUserId: tenant.adminId, action: "test.listed", targetType: "test", targetId: String(i), data: { i } });
    });
    const firstPage = await listAuditEntries(db, tenant.admin);
    expect(firstPage).toHaveLength(50);
    expect(firstPage[0]).toMatchObject({ action: "test.listed", targetId: "204", data: { i: 204 }, actorUserId: tenant.adminId });
    expect(firstPage.map((e) => e.id)).toEqual([...firstPage.map((e) => e.id)].sort((x, y) => y - x));
    expect(Object.keys(firstPage[0]).sort()).toEqual(["action", "actorUserId", "createdAt", "data", "id", "targetId", "targetType"]);
    expect(await listAuditEntries(db, tenant.admin, { limit: 2 })).toHaveLength(2);
    expect(await listAuditEntries(db, tenant.admin, { limit: 10_000 })).toHaveLength(200);
  });
});

describe("tenancy", () => {
  it("tenant B never sees tenant A's entries and verifies only its own chain", async () => {
    const a = await createTenant(db, "Tenant A");
    const b = await createTenant(db, "Tenant B");
    await append(a, "test.secret", { secret: "a-only" });
    const seenByB = await listAuditEntries(db, b.admin, { limit: 200 });
    expect(seenByB.map((e) => e.action)).toEqual(["organization.created"]);
    expect(seenByB.every((e) => e.targetId !== a.organizationId && JSON.stringify(e.data).indexOf("a-only") === -1)).toBe(true);
    expect(await verifyAuditChain(db, b.admin)).toEqual({ ok: true, entries: 1 });
    const [{ n }] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, a.organizationId));
    expect(n).toBe(2);
  });
});
