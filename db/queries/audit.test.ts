import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, queryRows, type TestOrganization } from "@/test/fixtures";
import { openDb, type Db } from "../client";
import { auditLog } from "../schema";
import { createApiKey } from "./api-keys";
import { appendAudit, auditEntryBrief, auditFacets, chainAuditLog, exportAuditLog, listAuditEntries, searchAuditLog, verifyAuditChain } from "./audit";

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

describe("searchAuditLog", () => {
  const today = new Date().toISOString().slice(0, 10);
  const shift = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  /** A tenant whose log has entries by a member, an API key and the system, and a second tenant with look-alike entries. */
  async function world() {
    const a = await createTenant(db, "Search A");
    const b = await createTenant(db, "Search B");
    const member = await addMember(db, a.admin, "manager", "Mia Manager");
    const key = await createApiKey(db, a.admin, { name: "Refund agent", scopes: ["reviews:write"] });
    await db.transaction(async (tx) => {
      const base = { organizationId: a.organizationId };
      await appendAudit(tx, { ...base, actorUserId: member.userId, action: "task_type.updated", targetType: "task_type", targetId: "tt-1", data: { key: "refund.issue" } });
      await appendAudit(tx, { ...base, actorApiKeyId: key.id, action: "task_type.registered", targetType: "task_type", targetId: "tt-2" });
      await appendAudit(tx, { ...base, action: "review.expired", targetType: "review", targetId: "rv-1" });
      await appendAudit(tx, { ...base, actorUserId: a.adminId, action: "task_type_other.x", targetType: "test", targetId: "tt-1" });
      // The other tenant's entries carry the same action, target and even A's actor ids.
      await appendAudit(tx, { organizationId: b.organizationId, actorUserId: member.userId, action: "task_type.updated", targetType: "task_type", targetId: "tt-1", data: { secret: "b-only" } });
      await appendAudit(tx, { organizationId: b.organizationId, actorApiKeyId: key.id, action: "task_type.registered", targetType: "task_type", targetId: "tt-2", data: { secret: "b-only" } });
    });
    return { a, b, member, key };
  }
  const actionsOf = (page: { rows: { action: string }[] }) => page.rows.map((r) => r.action);

  it("filters by actor — member, API key or the system — with who they are", async () => {
    const { a, member, key } = await world();
    const byMember = await searchAuditLog(db, a.admin, { actor: `user:${member.userId}` });
    expect(byMember.rows).toHaveLength(2);
    expect(byMember.rows.map((r) => r.action)).toEqual(["task_type.updated", "member.joined"]);
    expect(byMember.rows[0].actor).toEqual({ kind: "user", id: member.userId, name: "Mia Manager", email: member.email });
    const byKey = await searchAuditLog(db, a.admin, { actor: `key:${key.id}` });
    expect(byKey.rows.map((r) => [r.action, r.actor])).toEqual([["task_type.registered", { kind: "key", id: key.id, name: "Refund agent" }]]);
    expect(actionsOf(await searchAuditLog(db, a.admin, { actor: "system" }))).toEqual(["review.expired"]);
  });

  it("filters by exact action or by a prefix ending with a dot, and by target", async () => {
    const { a } = await world();
    expect(actionsOf(await searchAuditLog(db, a.admin, { action: "task_type.updated" }))).toEqual(["task_type.updated"]);
    // "task_type." is a prefix; it doesn't take "task_type_other.x" (the underscore is no wildcard).
    expect(actionsOf(await searchAuditLog(db, a.admin, { action: "task_type." }))).toEqual(["task_type.registered", "task_type.updated"]);
    expect(actionsOf(await searchAuditLog(db, a.admin, { action: "task_type" }))).toEqual([]);
    expect(actionsOf(await searchAuditLog(db, a.admin, { targetId: "tt-1" }))).toEqual(["task_type_other.x", "task_type.updated"]);
    expect(actionsOf(await searchAuditLog(db, a.admin, { targetType: "task_type", targetId: "tt-1" }))).toEqual(["task_type.updated"]);
    expect(actionsOf(await searchAuditLog(db, a.admin, { targetType: "review" }))).toEqual(["review.expired"]);
  });

  it("filters by a date range of whole UTC days, both ends included", async () => {
    const { a } = await world();
    expect((await searchAuditLog(db, a.admin, { from: today, to: today })).rows.length).toBeGreaterThanOrEqual(6);
    expect((await searchAuditLog(db, a.admin, { from: shift(1) })).rows).toEqual([]);
    expect((await searchAuditLog(db, a.admin, { to: shift(-1) })).rows).toEqual([]);
    expect((await searchAuditLog(db, a.admin, { from: shift(-1), to: shift(1), action: "review.expired" })).rows).toHaveLength(1);
  });

  it("never shows another organization's entries, whatever the filter", async () => {
    const { a, b, member, key } = await world();
    for (const filter of [{}, { actor: `user:${member.userId}` }, { actor: `key:${key.id}` }, { targetId: "tt-1" }, { action: "task_type." }]) {
      const seenByB = await searchAuditLog(db, b.admin, { ...filter, limit: 200 });
      expect(JSON.stringify(seenByB.rows)).not.toContain(a.organizationId);
      for (const row of (await searchAuditLog(db, a.admin, { ...filter, limit: 200 })).rows) expect(JSON.stringify(row.data)).not.toContain("b-only");
    }
    // B sees its own two look-alikes and its creation, and A's key by id only as B's entry's actor, without A's key name.
    const seenByB = await searchAuditLog(db, b.admin, {});
    expect(seenByB.rows.map((r) => r.action)).toEqual(["task_type.registered", "task_type.updated", "organization.created"]);
    expect(seenByB.rows[0].actor).toEqual({ kind: "key", id: key.id, name: null });
    const { rows } = await exportAuditLog(db, b.admin, {}, 100);
    expect(rows.every((r) => JSON.stringify(r).indexOf("Refund agent") === -1)).toBe(true);
    const [entryOfA] = (await searchAuditLog(db, a.admin, { action: "review.expired" })).rows;
    expect(await auditEntryBrief(db, b.admin, entryOfA.id)).toBeNull();
    expect(await auditEntryBrief(db, a.admin, entryOfA.id)).toMatchObject({ id: entryOfA.id, action: "review.expired" });
  });

  it("pages newest first by id, older and back newer, with no gap or repeat", async () => {
    const tenant = await createTenant(db, "Pages");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 11; i++) await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.paged", targetType: "test", targetId: String(i) });
    });
    const filter = { action: "test.paged", limit: 4 };
    const first = await searchAuditLog(db, tenant.admin, filter);
    expect(first.rows.map((r) => r.targetId)).toEqual(["10", "9", "8", "7"]);
    expect(first.newerCursor).toBeNull();
    const second = await searchAuditLog(db, tenant.admin, { ...filter, before: first.olderCursor! });
    expect(second.rows.map((r) => r.targetId)).toEqual(["6", "5", "4", "3"]);
    const third = await searchAuditLog(db, tenant.admin, { ...filter, before: second.olderCursor! });
    expect(third.rows.map((r) => r.targetId)).toEqual(["2", "1", "0"]);
    expect(third.olderCursor).toBeNull();
    const back = await searchAuditLog(db, tenant.admin, { ...filter, after: third.newerCursor! });
    expect(back.rows.map((r) => r.targetId)).toEqual(["6", "5", "4", "3"]);
    const top = await searchAuditLog(db, tenant.admin, { ...filter, after: back.newerCursor! });
    expect(top.rows.map((r) => r.targetId)).toEqual(["10", "9", "8", "7"]);
    expect(top.newerCursor).toBeNull();
  });

  it("exports the newest matching entries up to the cap and says when it cut", async () => {
    const tenant = await createTenant(db, "Export");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 5; i++) await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.exported", targetType: "test", targetId: String(i) });
    });
    const cut = await exportAuditLog(db, tenant.admin, { action: "test.exported" }, 3);
    expect(cut).toMatchObject({ truncated: true });
    expect(cut.rows.map((r) => r.targetId)).toEqual(["4", "3", "2"]);
    const whole = await exportAuditLog(db, tenant.admin, { action: "test." }, 5);
    expect(whole.truncated).toBe(false);
    expect(whole.rows).toHaveLength(5);
  });

  it("offers the organization's members, keys, actions, prefixes and target types as filters", async () => {
    const { a, member, key } = await world();
    const facets = await auditFacets(db, a.admin);
    expect(facets.members.map((m) => m.id).sort()).toEqual([a.adminId, member.userId].sort());
    expect(facets.keys.map((k) => k.id)).toEqual([key.id]);
    expect(facets.actions).toEqual(["api_key.created", "member.invited", "member.joined", "organization.created", "review.expired", "task_type.registered", "task_type.updated", "task_type_other.x"]);
    expect(facets.prefixes).toEqual(["api_key.", "member.", "organization.", "review.", "task_type.", "task_type_other."]);
    expect(facets.targetTypes).toEqual(["api_key", "invite", "organization", "review", "task_type", "test", "user"]);
  });

  it("after a tamper, verify names the broken entry by its time and action", async () => {
    const tenant = await createTenant(db, "Verify brief");
    for (const action of ["test.a", "test.b", "test.c"]) await append(tenant, action, { amount: 10 });
    const chain = await chainOf(tenant);
    await tamper(sql`update audit_log set data = '{"amount": 1000}'::jsonb where id = ${chain[2].id}`);
    const verdict = await verifyAuditChain(db, tenant.admin);
    expect(verdict).toEqual({ ok: false, entries: 2, brokenAtId: chain[2].id });
    expect(await auditEntryBrief(db, tenant.admin, chain[2].id)).toMatchObject({ id: chain[2].id, action: "test.b" });
    // Reordering two entries (swapping their positions) is found at the first one moved.
    const other = await createTenant(db, "Verify reorder");
    for (const action of ["test.a", "test.b", "test.c"]) await append(other, action);
    const links = await chainOf(other);
    const seqs = await db.select({ id: auditLog.id, seq: auditLog.chainSeq }).from(auditLog).where(eq(auditLog.organizationId, other.organizationId)).orderBy(asc(auditLog.id));
    await tamper(sql`update audit_log set chain_seq = -chain_seq where organization_id = ${other.organizationId}`);
    await tamper(sql`update audit_log set chain_seq = ${seqs[2].seq} where id = ${links[1].id}`);
    await tamper(sql`update audit_log set chain_seq = ${seqs[1].seq} where id = ${links[2].id}`);
    await tamper(sql`update audit_log set chain_seq = -chain_seq where organization_id = ${other.organizationId} and chain_seq < 0`);
    expect(await verifyAuditChain(db, other.admin)).toEqual({ ok: false, entries: 1, brokenAtId: links[2].id });
  });
});
