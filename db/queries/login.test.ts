import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, testPasswordHash, uniqueEmail } from "@/test/fixtures";
import type { Db } from "../client";
import { loginFailures } from "../schema";
import { clearLoginFailures, findCredentials, loginThrottleState, recordLoginFailure, type ThrottleLimits } from "./login";
import { setMemberStatus } from "./members";

const limits: ThrottleLimits = { maxPerAccount: 3, maxPerAddress: 5, windowSeconds: 600 };
const uniqueIp = () => `203.0.113.${randomBytes(2).readUInt16BE(0)}`;
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

async function fail(who: { email: string; ip: string }, times: number) {
  for (let i = 0; i < times; i++) await recordLoginFailure(db, who, limits);
}

describe("login throttle", () => {
  it("lets a clean account through", async () => {
    expect(await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).toEqual({ throttled: false });
  });

  it("throttles an account after maxPerAccount failures, until the oldest failure leaves the window", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    await fail(who, limits.maxPerAccount - 1);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: false });
    await fail(who, 1);
    const state = await loginThrottleState(db, who, limits);
    expect(state.throttled).toBe(true);
    if (!state.throttled) return;
    expect(state.retryAfterSeconds).toBeGreaterThan(limits.windowSeconds - 30);
    expect(state.retryAfterSeconds).toBeLessThanOrEqual(limits.windowSeconds);

    // Half-way through the window the wait has halved; past the window the account recovers.
    const halfway = await loginThrottleState(db, who, limits, later(limits.windowSeconds / 2));
    expect(halfway.throttled && halfway.retryAfterSeconds).toBeGreaterThan(limits.windowSeconds / 2 - 30);
    expect(halfway.throttled && halfway.retryAfterSeconds).toBeLessThanOrEqual(limits.windowSeconds / 2);
    expect(await loginThrottleState(db, who, limits, later(limits.windowSeconds + 1))).toEqual({ throttled: false });
  });

  it("with more failures than the limit, waits until the count drops below it, not until the oldest expires", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    const t0 = Date.now() - 300_000;
    // Five failures a minute apart (limit 3): the third most recent, at t0 + 2 min, is the one that must age out.
    await db.insert(loginFailures).values(
      [0, 1, 2, 3, 4].flatMap((m) => [{ key: `email:${who.email}`, createdAt: new Date(t0 + m * 60_000) }]),
    );
    const now = new Date(t0 + 5 * 60_000);
    const state = await loginThrottleState(db, who, limits, now);
    expect(state).toEqual({ throttled: true, retryAfterSeconds: limits.windowSeconds - 3 * 60 });
    expect(await loginThrottleState(db, who, limits, new Date(t0 + 2 * 60_000 + limits.windowSeconds * 1000 + 1))).toEqual({ throttled: false });
  });

  it("counts an account's failures from every address", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < limits.maxPerAccount; i++) await fail({ email, ip: uniqueIp() }, 1);
    expect((await loginThrottleState(db, { email, ip: uniqueIp() }, limits)).throttled).toBe(true);
    expect((await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).throttled).toBe(false);
  });

  it("throttles an address after maxPerAddress failures across accounts", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < limits.maxPerAddress; i++) await fail({ email: uniqueEmail(), ip }, 1);
    const fromAddress = await loginThrottleState(db, { email: uniqueEmail(), ip }, limits);
    expect(fromAddress.throttled).toBe(true);
    expect(fromAddress.throttled && fromAddress.retryAfterSeconds).toBeLessThanOrEqual(limits.windowSeconds);
    // The same people from elsewhere are not held back by that address.
    expect((await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).throttled).toBe(false);
  });

  it("clearLoginFailures resets the account but not the address", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    await fail(who, limits.maxPerAccount);
    expect((await loginThrottleState(db, who, limits)).throttled).toBe(true);
    await clearLoginFailures(db, who.email);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: false });
    const remaining = await db.select({ key: loginFailures.key }).from(loginFailures).where(inArray(loginFailures.key, [`email:${who.email}`, `ip:${who.ip}`]));
    expect(remaining.map((r) => r.key)).toEqual(Array(limits.maxPerAccount).fill(`ip:${who.ip}`));
  });

  it("prunes failures older than the window when recording a new one", async () => {
    const old = { email: uniqueEmail(), ip: uniqueIp() };
    await db.insert(loginFailures).values({ key: `email:${old.email}`, createdAt: new Date(Date.now() - (limits.windowSeconds + 60) * 1000) });
    await recordLoginFailure(db, { email: uniqueEmail(), ip: uniqueIp() }, limits);
    expect(await db.select().from(loginFailures).where(eq(loginFailures.key, `email:${old.email}`))).toEqual([]);
  });
});

describe("findCredentials", () => {
  it("returns null for an unknown email", async () => {
    expect(await findCredentials(db, uniqueEmail("nobody"))).toBeNull();
  });

  it("returns the user's id, hash and active membership count only", async () => {
    const tenant = await createTenant(db, "Credentials");
    const credentials = await findCredentials(db, tenant.adminEmail);
    expect(credentials).toEqual({ userId: tenant.adminId, passwordHash: await testPasswordHash(), activeMemberships: 1 });
  });

  it("reports no active membership once the member is disabled", async () => {
    const tenant = await createTenant(db, "Disabled");
    const member = await addMember(db, tenant.admin, "reviewer");
    await setMemberStatus(db, tenant.admin, { userId: member.userId, status: "disabled" });
    expect(await findCredentials(db, member.email)).toMatchObject({ userId: member.userId, activeMemberships: 0 });
  });
});
