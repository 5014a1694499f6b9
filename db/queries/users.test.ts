import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScope } from "@/db/scope";
import { createTestDb } from "@/test/test-db";
import { createTenant } from "@/test/fixtures";
import type { Db } from "../client";
import { users } from "../schema";
import { endSessionsFrom } from "./users";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

const versionOf = async (userId: string) => (await db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, userId)))[0].v;

describe("endSessionsFrom (sign-out)", () => {
  it("ends every session of the user, copies of the signing-out one included", async () => {
    const tenant = await createTenant(db, "Sign-out");
    expect((await loadScope(db, tenant.adminId, 0)).ok).toBe(true);
    await endSessionsFrom(db, { userId: tenant.adminId, sessionVersion: 0 });
    expect(await versionOf(tenant.adminId)).toBe(1);
    expect(await loadScope(db, tenant.adminId, 0)).toEqual({ ok: false, reason: "ended" });
  });

  it("does nothing for a session that has already ended, so its copy can't sign the owner out of newer ones", async () => {
    const tenant = await createTenant(db, "Stale copy");
    await endSessionsFrom(db, { userId: tenant.adminId, sessionVersion: 0 });
    await endSessionsFrom(db, { userId: tenant.adminId, sessionVersion: 0 });
    expect(await versionOf(tenant.adminId)).toBe(1);
    expect((await loadScope(db, tenant.adminId, 1)).ok).toBe(true);
  });
});
