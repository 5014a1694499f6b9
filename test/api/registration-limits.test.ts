import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { rateLimitWindowStart } from "@/db/queries/rate-limit";
import { rateLimitCounters, taskTypes } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { NEW_TASK_TYPES_PER_HOUR, NEW_TASK_TYPES_PER_REQUEST } from "@/lib/submissions/submit";
import { scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import * as reviewsRoute from "@/app/api/v1/reviews/route";
import * as batchRoute from "@/app/api/v1/reviews/batch/route";

/**
 * Issue 14 §8: unknown task types register automatically, but only a few per request and per hour
 * per API key; past that, the items naming the other keys are a 422 that names them, and nothing is
 * registered for them.
 */

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;
type Result = { status: number; problem?: { detail: string; errors?: Record<string, string[]> } };

let db: Db;
let dispose: () => Promise<void>;
let orgId: string;

const tag = () => Math.random().toString(36).slice(2, 8);

function post(handler: unknown, key: string, path: string, body: unknown) {
  const request = new Request(`http://countersign.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (handler as Handler)(request, { params: Promise.resolve({} as never) });
}

async function newKey() {
  return createApiKey(db, await scopeByEmail(db, "admin@acme.test"), { name: `registrar ${tag()}`, scopes: ["reviews:write", "reviews:read"] });
}

const registered = async (keys: string[]) =>
  (await db.select({ key: taskTypes.key }).from(taskTypes).where(and(eq(taskTypes.organizationId, orgId), inArray(taskTypes.key, keys)))).map((t) => t.key).sort();

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  orgId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
});
afterAll(async () => dispose?.());

describe("registering new task types", () => {
  it(`registers at most ${NEW_TASK_TYPES_PER_REQUEST} per request; the items of the others are a 422 naming them`, async () => {
    const { key } = await newKey();
    const prefix = `new${tag()}`;
    const keys = Array.from({ length: NEW_TASK_TYPES_PER_REQUEST + 2 }, (_, i) => `${prefix}.k${i}`);
    const items = [...keys.map((k) => ({ taskType: k, action: { n: 1 } })), { taskType: keys[6], action: { n: 2 } }, { taskType: "route.adjust", action: { routeId: "R-1" }, confidence: 0.99 }];
    const res = await post(batchRoute.POST, key, "/api/v1/reviews/batch", { items });
    const { results } = (await res.json()) as { results: Result[] };
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 422, 422, 422, 201]);
    for (const refused of results.filter((r) => r.status === 422)) {
      expect(refused.problem?.detail).toContain(`"${keys[5]}", "${keys[6]}"`);
      expect(refused.problem?.errors?.taskType?.[0]).toContain(`"${keys[5]}"`);
    }
    expect(await registered(keys)).toEqual(keys.slice(0, NEW_TASK_TYPES_PER_REQUEST).sort());
  });

  it(`registers at most ${NEW_TASK_TYPES_PER_HOUR} an hour per API key, counted in the database`, async () => {
    const { key, id } = await newKey();
    // This key already registered its hour's worth (as counted by the instance that did it).
    await db.insert(rateLimitCounters).values({ key: `task-types:${id}`, windowStart: rateLimitWindowStart({ limit: NEW_TASK_TYPES_PER_HOUR, windowSeconds: 3600 }, new Date()), count: NEW_TASK_TYPES_PER_HOUR });
    const name = `hourly${tag()}.first`;
    const res = await post(reviewsRoute.POST, key, "/api/v1/reviews", { taskType: name, action: { n: 1 } });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(((await res.json()) as { detail: string }).detail).toContain(`"${name}"`);
    expect(await registered([name])).toEqual([]);
    // Known task types are unaffected, and another key has its own hour.
    expect((await post(reviewsRoute.POST, key, "/api/v1/reviews", { taskType: "route.adjust", action: { routeId: "R-2" } })).status).toBe(201);
    expect((await post(reviewsRoute.POST, (await newKey()).key, "/api/v1/reviews", { taskType: name, action: { n: 1 } })).status).toBe(201);
  });
});
