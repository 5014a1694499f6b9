import { randomBytes } from "node:crypto";
import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, testPasswordHash, uniqueEmail } from "@/test/fixtures";
import type { Db } from "../client";
import { loginFailures } from "../schema";
import { accountDelaySeconds, beginSignInAttempt, findCredentials, loginThrottleState, settleSignInAttempt, type SignInAttempt, type ThrottleLimits } from "./login";
import { setMemberStatus } from "./members";

const limits: ThrottleLimits = { maxPerAccount: 3, maxDelaySeconds: 60, maxPerAddress: 5, windowSeconds: 600 };
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

/** Failures of `who` at the given times (seconds from now, negative: in the past). */
async function failuresAt(who: SignInAttempt, secondsFromNow: number[], keys: ("email" | "ip")[] = ["email", "ip"]) {
  await db.insert(loginFailures).values(
    secondsFromNow.flatMap((s) => keys.map((k) => ({ key: k === "email" ? `email:${who.email}` : `ip:${who.ip}`, createdAt: later(s) }))),
  );
}

describe("accountDelaySeconds", () => {
  it("lets the first failures go, then doubles from 1 s up to the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, 5000].map((f) => accountDelaySeconds(f, limits))).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });
});

describe("login throttle", () => {
  it("lets a clean account through", async () => {
    expect(await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).toEqual({ throttled: false });
  });

  it("makes an account wait a growing delay after its latest failure, never longer than the cap", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    await failuresAt(who, [-10, -9], ["email"]);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: false });
    // The third failure, just now: one second.
    await failuresAt(who, [0], ["email"]);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: true, retryAfterSeconds: 1 });
    expect(await loginThrottleState(db, who, limits, later(1.01))).toEqual({ throttled: false });
    // Three more: eight seconds after the latest.
    await failuresAt(who, [0.1, 0.2, 0.3], ["email"]);
    const eight = await loginThrottleState(db, who, limits);
    expect(eight.throttled && eight.retryAfterSeconds).toBeGreaterThanOrEqual(8);
    expect(eight.throttled && eight.retryAfterSeconds).toBeLessThanOrEqual(9);
    expect(await loginThrottleState(db, who, limits, later(8.31))).toEqual({ throttled: false });
    // Forty more (an attacker's hour): still at most the cap, and then the owner may try again.
    await failuresAt(who, Array.from({ length: 40 }, (_, i) => 1 + i / 100), ["email"]);
    const capped = await loginThrottleState(db, who, limits);
    expect(capped.throttled && capped.retryAfterSeconds).toBeLessThanOrEqual(limits.maxDelaySeconds + 2);
    expect(await loginThrottleState(db, who, limits, later(limits.maxDelaySeconds + 2))).toEqual({ throttled: false });
  });

  it("forgets an account's failures once they leave the window", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    await failuresAt(who, [-limits.windowSeconds - 5, -limits.windowSeconds - 4, -limits.windowSeconds - 3, -limits.windowSeconds - 2], ["email"]);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: false });
  });

  it("counts an account's failures from every address", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < limits.maxPerAccount; i++) await failuresAt({ email, ip: uniqueIp() }, [0]);
    expect((await loginThrottleState(db, { email, ip: uniqueIp() }, limits)).throttled).toBe(true);
    expect((await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).throttled).toBe(false);
  });

  it("blocks an address at maxPerAddress failures across accounts until enough of them age out", async () => {
    const ip = uniqueIp();
    const t0 = -300;
    // Six failures a minute apart (limit 5): the fifth most recent, at t0 + 1 min, is the one that must age out.
    for (const m of [0, 1, 2, 3, 4, 5]) await failuresAt({ email: uniqueEmail(), ip }, [t0 + m * 60], ["ip"]);
    const state = await loginThrottleState(db, { email: uniqueEmail(), ip }, limits);
    expect(state.throttled && state.retryAfterSeconds).toBeGreaterThan(limits.windowSeconds + t0 + 60 - 5);
    expect(state.throttled && state.retryAfterSeconds).toBeLessThanOrEqual(limits.windowSeconds + t0 + 60);
    expect(await loginThrottleState(db, { email: uniqueEmail(), ip }, limits, later(limits.windowSeconds + t0 + 61))).toEqual({ throttled: false });
    // The same people from elsewhere are not held back by that address.
    expect((await loginThrottleState(db, { email: uniqueEmail(), ip: uniqueIp() }, limits)).throttled).toBe(false);
  });
});

describe("beginSignInAttempt / settleSignInAttempt", () => {
  it("counts an admitted attempt at once, so a burst sent together is held back after the free failures", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    const burst = await Promise.all(Array.from({ length: 8 }, () => beginSignInAttempt(db, who, limits)));
    expect(burst.filter((a) => a.admitted)).toHaveLength(limits.maxPerAccount);
    const refused = burst.find((a) => !a.admitted);
    expect(refused && !refused.admitted && refused.retryAfterSeconds).toBe(1);
  });

  it("takes back the count of a right password: the account starts afresh, the address keeps only its real failures", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    for (let i = 0; i < 2; i++) await beginSignInAttempt(db, who, limits);
    const right = await beginSignInAttempt(db, who, limits);
    expect(right.admitted).toBe(true);
    if (!right.admitted) return;
    await settleSignInAttempt(db, who, right.attemptIds);
    const left = await db.select({ key: loginFailures.key }).from(loginFailures).where(inArray(loginFailures.key, [`email:${who.email}`, `ip:${who.ip}`]));
    expect(left.map((r) => r.key)).toEqual([`ip:${who.ip}`, `ip:${who.ip}`]);
    expect(await loginThrottleState(db, who, limits)).toEqual({ throttled: false });
  });

  it("refuses without counting while the account waits", async () => {
    const who = { email: uniqueEmail(), ip: uniqueIp() };
    await failuresAt(who, [0, 0, 0]);
    expect((await beginSignInAttempt(db, who, limits)).admitted).toBe(false);
    const [{ n }] = await db.select({ n: count() }).from(loginFailures).where(eq(loginFailures.key, `email:${who.email}`));
    expect(n).toBe(3);
  });

  it("prunes failures older than the window when admitting an attempt", async () => {
    const old = { email: uniqueEmail(), ip: uniqueIp() };
    await failuresAt(old, [-(limits.windowSeconds + 60)], ["email"]);
    await beginSignInAttempt(db, { email: uniqueEmail(), ip: uniqueIp() }, limits);
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
    expect(credentials).toEqual({ userId: tenant.adminId, passwordHash: await testPasswordHash(), sessionVersion: 0, activeMemberships: 1 });
  });

  it("reports no active membership once the member is disabled", async () => {
    const tenant = await createTenant(db, "Disabled");
    const member = await addMember(db, tenant.admin, "reviewer");
    await setMemberStatus(db, tenant.admin, { userId: member.userId, status: "disabled" });
    expect(await findCredentials(db, member.email)).toMatchObject({ userId: member.userId, activeMemberships: 0, sessionVersion: 1 });
  });
});
