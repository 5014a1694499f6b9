import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { asc, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/data/canonical-json";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, queryRows, TEST_AUDIT_KEY, type TestOrganization } from "@/test/fixtures";
import { parseAuditParams } from "@/lib/validation/audit";
import { openDb, type Db } from "../client";
import { auditLog } from "../schema";
import { createApiKey } from "./api-keys";
import { appendAudit, auditChainHead, auditEntryBrief, auditFacets, chainAuditLog, exportAuditLog, listAuditEntries, searchAuditLog, verifyAuditChain, type AuditAnchor } from "./audit";

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

/** Verifies the tenant's chain under the test key (what the verify page does with AUDIT_HMAC_KEY). */
const verify = (tenant: TestOrganization, params: { anchor?: AuditAnchor; now?: Date } = {}) => verifyAuditChain(db, tenant.admin, { key: TEST_AUDIT_KEY, ...params });

/** The tenant's chain, after the chainer has linked what was appended. */
async function chainOf(tenant: TestOrganization) {
  await chainAuditLog(db, { key: TEST_AUDIT_KEY, organizationId: tenant.organizationId });
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
    expect(await verify(a)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 3 });
    expect(await verify(b)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 2 });
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
    expect(await verify(tenant)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 9 });
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
    expect(await verify(tenant)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 2 });
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
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 2, broken: { kind: "tampered", id: chain[2].id } });
  });

  it("detects a changed actor, timestamp or recomputed hash", async () => {
    const tenant = await createTenant(db, "Tamper fields");
    await append(tenant, "test.a");
    await append(tenant, "test.b");
    const chain = await chainOf(tenant);
    await tamper(sql`update audit_log set created_at = created_at - interval '1 day' where id = ${chain[1].id}`);
    expect(await verify(tenant)).toMatchObject({ ok: false, broken: { kind: "tampered", id: chain[1].id } });
    await tamper(sql`update audit_log set created_at = created_at + interval '1 day', actor_user_id = null where id = ${chain[1].id}`);
    expect(await verify(tenant)).toMatchObject({ ok: false, broken: { kind: "tampered", id: chain[1].id } });
    // Forging a hash for the edited row just moves the break to the next link.
    await tamper(sql`update audit_log set hash = ${"0".repeat(64)} where id = ${chain[0].id}`);
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 0, broken: { kind: "tampered", id: chain[0].id } });
  });

  it("detects a deleted entry at the link after it", async () => {
    const tenant = await createTenant(db, "Tamper delete");
    for (const action of ["test.a", "test.b", "test.c"]) await append(tenant, action);
    const chain = await chainOf(tenant);
    await tamper(sql`delete from audit_log where id = ${chain[2].id}`);
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 2, broken: { kind: "tampered", id: chain[3].id } });
  });

  it("walks chains longer than one page", async () => {
    const tenant = await createTenant(db, "Long");
    await db.transaction(async (tx) => {
      for (let i = 0; i < 520; i++) await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.bulk", targetType: "test", data: { i } });
    });
    // More than one batch of the chainer, too.
    await chainAuditLog(db, { key: TEST_AUDIT_KEY, organizationId: tenant.organizationId, batchSize: 200 });
    expect(await verify(tenant)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 521 });
  });

  it("tampering in one organization doesn't affect another's verdict", async () => {
    const a = await createTenant(db, "Broken A");
    const b = await createTenant(db, "Intact B");
    await append(a, "test.a");
    await append(b, "test.b");
    // Evidence starts once the chainer has linked an entry (within a second of its commit in the app).
    await chainOf(a);
    await tamper(sql`update audit_log set action = 'test.forged' where organization_id = ${a.organizationId} and action = 'test.a'`);
    await chainOf(b);
    expect(await verify(a)).toMatchObject({ ok: false });
    expect(await verify(b)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 2 });
  });
});

/** Every column of the tenant's entries, to show that verifying changed nothing. */
const rowsOf = (tenant: TestOrganization) => db.select().from(auditLog).where(eq(auditLog.organizationId, tenant.organizationId)).orderBy(asc(auditLog.id));

/** A tenant with `n` entries in all, linked, and its chain head: the anchor an admin would have saved. */
async function anchoredTenant(name: string, n: number) {
  const tenant = await createTenant(db, name);
  for (let i = 1; i < n; i++) await append(tenant, `test.entry.${i}`, { i });
  const chain = await chainOf(tenant);
  const head = await auditChainHead(db, tenant.admin);
  expect(head).toMatchObject({ seq: n, hmac: chain[n - 1].hash, entryId: chain[n - 1].id });
  return { tenant, chain, anchor: { seq: head.seq, hmac: head.hmac! } };
}

const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

describe("tampering by someone with the database's powers but not the key", () => {
  it("unlinking entries from #8 on is a break once they've waited a minute, against an anchor at once, and verifying links nothing", async () => {
    const { tenant, chain, anchor } = await anchoredTenant("Unlinked tail", 10);
    await tamper(sql`update audit_log set chain_seq = null, prev_hash = null, hash = null where organization_id = ${tenant.organizationId} and chain_seq >= 8`);
    const before = await rowsOf(tenant);
    // Moments after, it looks like entries the chainer hasn't reached yet: said so, not yet a break…
    expect(await verify(tenant)).toMatchObject({ ok: true, entries: 7, unlinked: 3, head: { seq: 7, hmac: chain[6].hash } });
    // …but the anchor saved before says the chain was longer,
    expect(await verify(tenant, { anchor })).toMatchObject({ ok: false, entries: 7, broken: { kind: "truncated", headSeq: 7, anchorSeq: 10 } });
    // and a minute on, entry #8 hasn't been linked: a break (the application links within a second).
    expect(await verify(tenant, { now: minutesFromNow(2) })).toMatchObject({ ok: false, entries: 7, unlinked: 3, broken: { kind: "unlinked", id: chain[7].id } });
    // Verifying wrote nothing: the entries are still unlinked, every column as it was.
    expect(await rowsOf(tenant)).toEqual(before);
  });

  it("an entry edited while unlinked and then linked again verifies on its own, but not against the anchor", async () => {
    const { tenant, chain, anchor } = await anchoredTenant("Relinked", 10);
    // Linking the same entries again gives the same links: nothing to see, nothing changed.
    await tamper(sql`update audit_log set chain_seq = null, prev_hash = null, hash = null where organization_id = ${tenant.organizationId} and chain_seq >= 8`);
    await chainOf(tenant);
    expect(await verify(tenant, { anchor })).toMatchObject({ ok: true, entries: 10, head: anchor });
    // With entry #9 edited in between, the chainer (which holds the key) makes a chain that verifies;
    // the anchor saved outside the database is what shows it was rewritten.
    await tamper(sql`update audit_log set chain_seq = null, prev_hash = null, hash = null where organization_id = ${tenant.organizationId} and chain_seq >= 8`);
    await tamper(sql`update audit_log set data = '{"i": 999}'::jsonb where id = ${chain[8].id}`);
    await chainOf(tenant);
    expect(await verify(tenant)).toMatchObject({ ok: true, entries: 10 });
    expect(await verify(tenant, { anchor })).toMatchObject({ ok: false, entries: 10, broken: { kind: "anchor_mismatch", seq: 10, id: chain[9].id } });
  });

  it("deleting the newest entries leaves a chain intact by itself but shorter than the anchor", async () => {
    const { tenant, chain, anchor } = await anchoredTenant("Truncated", 10);
    await tamper(sql`delete from audit_log where id in (${chain[8].id}, ${chain[9].id})`);
    expect(await verify(tenant)).toMatchObject({ ok: true, entries: 8, head: { seq: 8, hmac: chain[7].hash } });
    expect(await verify(tenant, { anchor })).toMatchObject({ ok: false, entries: 8, broken: { kind: "truncated", headSeq: 8, anchorSeq: 10 } });
    // An anchor from earlier still matches: the chain is intact up to there.
    expect(await verify(tenant, { anchor: { seq: 5, hmac: chain[4].hash! } })).toMatchObject({ ok: true, entries: 8 });
    expect(await verify(tenant, { anchor: { seq: 5, hmac: chain[3].hash! } })).toMatchObject({ ok: false, broken: { kind: "anchor_mismatch", seq: 5, id: chain[4].id } });
  });

  it("a chain re-forged with a bare SHA-256 or under another key is broken at its first entry", async () => {
    const { tenant, chain } = await anchoredTenant("Reforged", 4);
    // The chain as it was before AUDIT_HMAC_KEY: anyone who can write the table can compute it.
    let prevHash: string | null = null;
    for (const [i, row] of (await rowsOf(tenant)).entries()) {
      const { id, organizationId, actorUserId, actorApiKeyId, action, targetType, targetId, data, createdAt } = row;
      const body = canonicalJson({ id, seq: i + 1, organizationId, actorUserId, actorApiKeyId, action, targetType, targetId, data, prevHash, createdAt: createdAt.toISOString() });
      const hash = createHash("sha256").update(body).digest("hex");
      await tamper(sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash} where id = ${id}`);
      prevHash = hash;
    }
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 0, broken: { kind: "tampered", id: chain[0].id } });
    // Unlinked and linked again by a chainer with the wrong key.
    await tamper(sql`update audit_log set chain_seq = null, prev_hash = null, hash = null where organization_id = ${tenant.organizationId}`);
    await chainAuditLog(db, { key: "not-the-key-0123456789abcdef0123456789", organizationId: tenant.organizationId });
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 0, broken: { kind: "tampered", id: chain[0].id } });
  });

  it("the chainer refuses an entry inserted with a past time or an id below the chain's end; verify reports it once it is a minute old", async () => {
    const { tenant, chain } = await anchoredTenant("Backdated", 3);
    const insert = (extra: ReturnType<typeof sql>) =>
      queryRows<{ id: number }>(db, sql`insert into audit_log (organization_id, action, target_type, data, ${extra}) returning id`);
    // INSERT is what the application itself may do, so no trigger stands in the way of these two.
    const [backdated] = await insert(sql`created_at) values (${tenant.organizationId}, 'member.removed', 'user', '{}', now() - interval '1 day'`);
    await chainOf(tenant);
    await append(tenant, "test.after");
    const relinked = await chainOf(tenant);
    expect(relinked.find((r) => Number(r.id) === Number(backdated.id))?.hash).toBeNull();
    // Entries after it are linked as usual, straight after the chain's previous end.
    expect(relinked.at(-1)).toMatchObject({ prevHash: chain[2].hash });
    expect(await verify(tenant)).toMatchObject({ ok: false, entries: 4, unlinked: 1, broken: { kind: "unlinked", id: Number(backdated.id) } });

    const other = await anchoredTenant("Inserted behind", 3);
    const [behind] = await insert(sql`id) values (${other.tenant.organizationId}, 'member.removed', 'user', '{}', (select min(id) - 1 from audit_log)`);
    expect(Number(behind.id)).toBeLessThan(other.chain[2].id);
    await chainOf(other.tenant);
    expect(await verify(other.tenant)).toMatchObject({ ok: true, entries: 3, unlinked: 1 });
    expect(await verify(other.tenant, { now: minutesFromNow(1.5) })).toMatchObject({ ok: false, entries: 3, broken: { kind: "unlinked", id: Number(behind.id) } });
  });

  // Two writers' transactions commit out of id order. PGlite has one connection, so its transactions
  // never overlap and this can't happen there.
  it.skipIf(!process.env.TEST_DATABASE_URL)("an entry committed after a later one was linked is never refused (PostgreSQL)", async () => {
    const tenant = await createTenant(db, "Out of order");
    await chainOf(tenant);
    const pool = await openPool();
    try {
      let inserted!: () => void;
      let commit!: () => void;
      const insertedA = new Promise<void>((resolve) => (inserted = resolve));
      const commitA = new Promise<void>((resolve) => (commit = resolve));
      // A takes the lower id and holds its transaction open…
      const a = pool.db.transaction(async (tx) => {
        await appendAudit(tx, { organizationId: tenant.organizationId, action: "test.a", targetType: "test" });
        inserted();
        await commitA;
      });
      await insertedA;
      // …while B takes the next id and commits first.
      await pool.db.transaction((tx) => appendAudit(tx, { organizationId: tenant.organizationId, action: "test.b", targetType: "test" }));
      // The chainer waits for A rather than link B without it (the writers' shared lock makes it wait).
      let done = false;
      const chaining = chainAuditLog(pool.db, { key: TEST_AUDIT_KEY, organizationId: tenant.organizationId }).finally(() => (done = true));
      const waiting = async () => (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`))[0].n > 0;
      while (!done && !(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10));
      commit();
      await a;
      await chaining;
      await chainOf(tenant);
    } finally {
      await pool.close();
    }
    const rows = await rowsOf(tenant);
    expect(rows.map((r) => [r.action, r.chainSeq])).toEqual([
      ["organization.created", 1],
      ["test.a", 2],
      ["test.b", 3],
    ]);
    expect(await verify(tenant, { now: minutesFromNow(2) })).toMatchObject({ ok: true, entries: 3, unlinked: 0 });
  });
});

describe("migration 0006", () => {
  it("unlinks every entry once, and the chainer links them all again under the key", async () => {
    const tenants = [await createTenant(db, "Before 0006 A"), await createTenant(db, "Before 0006 B")];
    for (const tenant of tenants) for (let i = 0; i < 5; i++) await append(tenant, `test.old.${i}`);
    // The migration's own statements for the audit log (the whole file ran when the test database was made).
    const migration = readFileSync(path.join(import.meta.dirname, "../migrations/0006_trust_holes.sql"), "utf8");
    const statements = migration.split("--> statement-breakpoint").filter((statement) => statement.includes("audit_log"));
    expect(statements).toHaveLength(3);
    for (const statement of statements) await db.execute(sql.raw(statement));
    for (const tenant of tenants) expect((await rowsOf(tenant)).every((row) => row.hash === null && row.chainSeq === null)).toBe(true);
    // As the worker does: every organization, in batches.
    await chainAuditLog(db, { key: TEST_AUDIT_KEY, batchSize: 4 });
    for (const tenant of tenants) expect(await verify(tenant, { now: minutesFromNow(2) })).toMatchObject({ ok: true, entries: 6, unlinked: 0, head: { seq: 6 } });
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
    await chainOf(a);
    await chainOf(b);
    expect(seenByB.every((e) => e.targetId !== a.organizationId && JSON.stringify(e.data).indexOf("a-only") === -1)).toBe(true);
    expect(await verify(b)).toMatchObject({ ok: true, unlinked: 0, broken: null, entries: 1 });
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

  it("a filter value no entry could hold finds nothing, without a failed query", async () => {
    const { a } = await world();
    // What the page and the export do with `?targetId=%00` and its like: parse, then search.
    for (const targetId of ["\u0000", "tt-1\u0000", "\u0007", "x".repeat(201)]) {
      const filter = parseAuditParams({ targetId });
      expect(filter.targetId, JSON.stringify(targetId)).toBe(targetId);
      expect((await searchAuditLog(db, a.admin, filter)).rows).toEqual([]);
      expect(await exportAuditLog(db, a.admin, filter, 10)).toEqual({ rows: [], truncated: false });
    }
    // The last day PostgreSQL and JavaScript both know, and the largest cursors the URL may carry.
    const edges = parseAuditParams({ from: "9999-12-31", to: "9999-12-31", before: String(Number.MAX_SAFE_INTEGER), after: "99999999999999999999" });
    expect(edges).toMatchObject({ from: "9999-12-31", to: "9999-12-31", before: Number.MAX_SAFE_INTEGER, after: undefined });
    expect((await searchAuditLog(db, a.admin, edges)).rows).toEqual([]);
    expect((await searchAuditLog(db, a.admin, parseAuditParams({ to: "9999-12-31" }))).rows.length).toBeGreaterThan(0);
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
    const verdict = await verify(tenant);
    expect(verdict).toMatchObject({ ok: false, entries: 2, broken: { kind: "tampered", id: chain[2].id } });
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
    expect(await verify(other)).toMatchObject({ ok: false, entries: 1, broken: { kind: "tampered", id: links[2].id } });
  });
});
