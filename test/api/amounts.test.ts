import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { reviews, taskTypes } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import * as reviewsRoute from "@/app/api/v1/reviews/route";
import * as batchRoute from "@/app/api/v1/reviews/batch/route";

/**
 * Issue 14 §1: the money an action moves can't dodge the amount floor or the two-person rule by
 * living only inside `action`, a mistyped value can't slip past a numeric rule, and a submission that
 * states two different amounts is refused. Through the route handlers, on the seeded demo.
 */

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

let db: Db;
let dispose: () => Promise<void>;
let key: string;
let orgId: string;

const tag = () => Math.random().toString(36).slice(2, 10);

function post(handler: unknown, path: string, body: unknown) {
  const request = new Request(`http://countersign.test${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (handler as Handler)(request, { params: Promise.resolve({} as never) });
}

async function submit(body: unknown) {
  const res = await post(reviewsRoute.POST, "/api/v1/reviews", body);
  return { res, json: (await res.json()) as { id: string; status: string; routing: { reasons: string[] }; errors?: Record<string, string[]>; detail?: string } };
}

const approvalsNeeded = async (id: string) => (await db.select({ n: reviews.approvalsNeeded }).from(reviews).where(eq(reviews.id, id)))[0].n;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  orgId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
  key = (await createApiKey(db, await scopeByEmail(db, "admin@acme.test"), { name: "amounts", scopes: ["reviews:write", "reviews:read"] })).key;
  // A flag-on-exception task type with an amount limit, reading the amount from its action.
  await db
    .update(taskTypes)
    .set({ amountLimit: "100.00", amountCurrency: "USD", amountPath: "action.amount", exceptionRules: [{ name: "many-stops", path: "action.stopsAdded", op: "gt", value: 5 }] })
    .where(and(eq(taskTypes.organizationId, orgId), eq(taskTypes.key, "route.adjust")));
});
afterAll(async () => dispose?.());

describe("the amount at the task type's path", () => {
  it("floors refund.issue with action.amount 5000 and no top-level amount, and asks two people (the issue's example)", async () => {
    const { res, json } = await submit({ taskType: "refund.issue", title: `Refund ${tag()}`, action: { orderId: "A-1", amount: 5000, reason: "damaged" }, confidence: 0.99 });
    expect(res.status).toBe(201);
    expect(json.routing.reasons).toEqual(["floor:amount", "mode:approve_before_action"]);
    expect(await approvalsNeeded(json.id)).toBe(2);
    // The amount routing went by is the item's amount, as the queue shows it.
    expect(json).toMatchObject({ amount: { value: 5000, currency: "USD" } });
  });

  it("doesn't auto-approve a flag-on-exception item whose action carries an amount over the limit", async () => {
    const { json } = await submit({ taskType: "route.adjust", action: { routeId: `R-${tag()}`, amount: 5000 }, confidence: 0.99 });
    expect(json).toMatchObject({ status: "pending", routing: { needsHuman: true, blocking: true, reasons: ["floor:amount"] } });
    const under = await submit({ taskType: "route.adjust", action: { routeId: `R-${tag()}`, amount: 50 }, confidence: 0.99 });
    expect(under.json.status).toBe("approved");
  });

  it("sends an item without a readable amount to a person as amount missing, never auto-approving it", async () => {
    for (const action of [{ routeId: "R-1" }, { routeId: "R-2", amount: "5000" }, { routeId: "R-3", amount: [5000] }, { routeId: "R-4", amount: {} }]) {
      const { res, json } = await submit({ taskType: "route.adjust", action, confidence: 0.99 });
      expect(res.status).toBe(201);
      expect(json).toMatchObject({ status: "pending", routing: { reasons: ["floor:amount_missing"] } });
    }
    const { json } = await submit({ taskType: "refund.issue", action: { orderId: "A-2" }, confidence: 0.99 });
    expect(json.routing.reasons).toEqual(["floor:amount_missing", "mode:approve_before_action"]);
    expect(await approvalsNeeded(json.id)).toBe(2);
  });

  it("refuses with a 422 problem a top-level amount that disagrees with the one at the path", async () => {
    for (const [action, amount] of [
      [{ orderId: "A-3", amount: 5000 }, { value: 50, currency: "USD" }],
      [{ orderId: "A-4", amount: 50 }, { value: 50, currency: "EUR" }],
      [{ orderId: "A-5", amount: "50" }, { value: 50, currency: "USD" }],
    ] as const) {
      const { res, json } = await submit({ taskType: "refund.issue", action, amount, confidence: 0.99 });
      expect(res.status).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(json.errors?.amount?.[0]).toMatch(/action\.amount/);
    }
    // Agreeing amounts are fine.
    expect((await submit({ taskType: "refund.issue", action: { orderId: "A-6", amount: 50 }, amount: { value: 50, currency: "USD" }, confidence: 0.99 })).res.status).toBe(201);
  });

  it("refuses an amount at the path the API wouldn't take as `amount` (negative, too large)", async () => {
    for (const amount of [-5, 1e300]) {
      const { res, json } = await submit({ taskType: "refund.issue", action: { orderId: "A-7", amount }, confidence: 0.99 });
      expect(res.status).toBe(422);
      expect(json.errors?.["action.amount"]).toBeDefined();
    }
  });

  it("refuses a disagreeing item of a batch on its own", async () => {
    const res = await post(batchRoute.POST, "/api/v1/reviews/batch", {
      items: [
        { taskType: "refund.issue", action: { orderId: "B-1", amount: 5000 }, amount: { value: 1, currency: "USD" } },
        { taskType: "refund.issue", action: { orderId: "B-2", amount: 5000 } },
      ],
    });
    const { results } = (await res.json()) as { results: { status: number; review?: { routing: { reasons: string[] } }; problem?: { errors?: Record<string, string[]> } }[] };
    expect(results[0].status).toBe(422);
    expect(results[0].problem?.errors?.amount).toBeDefined();
    expect(results[1]).toMatchObject({ status: 201, review: { routing: { reasons: ["floor:amount", "mode:approve_before_action"] } } });
  });
});

describe("numeric rules over values that aren't numbers", () => {
  it("sends the item to a person as rule_error, where a silent no would have auto-approved it", async () => {
    for (const stopsAdded of ["50", [50], {}]) {
      const { json } = await submit({ taskType: "route.adjust", action: { routeId: `R-${tag()}`, amount: 5, stopsAdded }, confidence: 0.99 });
      expect(json).toMatchObject({ status: "pending", routing: { reasons: ["rule_error:many-stops"] } });
    }
    const { json } = await submit({ taskType: "route.adjust", action: { routeId: `R-${tag()}`, amount: 5, stopsAdded: 2 }, confidence: 0.99 });
    expect(json.status).toBe("approved");
  });
});
