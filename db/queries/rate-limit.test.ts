import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import type { Db } from "../client";
import { hitRateLimit, pruneRateLimits } from "./rate-limit";

let db: Db;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
});
afterAll(async () => dispose?.());

describe("hitRateLimit", () => {
  const limits = { limit: 3, windowSeconds: 60 };
  const at = (iso: string) => new Date(iso);

  it("allows up to the limit in a window, then says when the window ends", async () => {
    const key = `api:${randomBytes(4).toString("hex")}`;
    for (let i = 0; i < 3; i++) expect(await hitRateLimit(db, key, limits, at("2026-01-01T10:00:10Z"))).toEqual({ allowed: true });
    expect(await hitRateLimit(db, key, limits, at("2026-01-01T10:00:15Z"))).toEqual({ allowed: false, retryAfterSeconds: 45 });
    // A new window starts afresh.
    expect(await hitRateLimit(db, key, limits, at("2026-01-01T10:01:00Z"))).toEqual({ allowed: true });
  });

  it("counts each key on its own, and holds under concurrent hits", async () => {
    const a = `api:${randomBytes(4).toString("hex")}`;
    const b = `api:${randomBytes(4).toString("hex")}`;
    const now = at("2026-01-01T11:00:00Z");
    const verdicts = await Promise.all(Array.from({ length: 6 }, () => hitRateLimit(db, a, limits, now)));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    expect(await hitRateLimit(db, b, limits, now)).toEqual({ allowed: true });
  });

  it("prunes old windows", async () => {
    const key = `api:${randomBytes(4).toString("hex")}`;
    await hitRateLimit(db, key, limits, at("2020-01-01T00:00:00Z"));
    await pruneRateLimits(db, at("2021-01-01T00:00:00Z"));
    // The old window is gone, so the count restarts even at the same instant.
    for (let i = 0; i < 3; i++) expect((await hitRateLimit(db, key, limits, at("2020-01-01T00:00:00Z"))).allowed).toBe(true);
  });
});
