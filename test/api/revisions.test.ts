import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, getQueueItem } from "@/db/queries/queue";
import { taskTypes, workspaces } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { Scope } from "@/db/scope";
import { scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import * as reviewsRoute from "@/app/api/v1/reviews/route";

/**
 * Issue 14 §6: a revision must not show its reviewer an original they may not see. `revisionOf` names
 * a rejected item of the same task type, and the item page shows the original only to someone who
 * may open it: a Clinical-only reviewer never reads a Customer-operations refund through a revision.
 */

type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

let db: Db;
let dispose: () => Promise<void>;
let key: string;
let orgId: string;
let admin: Scope;
let clinician: Scope;
let rejectedRefund: string;

const tag = () => Math.random().toString(36).slice(2, 10);

async function submit(body: unknown) {
  const request = new Request("http://countersign.test/api/v1/reviews", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await (reviewsRoute.POST as unknown as Handler)(request, { params: Promise.resolve({} as never) });
  return { res, json: (await res.json()) as { id: string; errors?: Record<string, string[]> } };
}

const refund = (extra: Record<string, unknown> = {}) => ({
  taskType: "refund.issue",
  title: `Refund for a secret customer ${tag()}`,
  action: { orderId: `A-${tag()}`, amount: 40, customer: "Ops-only customer" },
  confidence: 0.9,
  ...extra,
});

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  orgId = (await seedDemo(db, { passwordHash: await testPasswordHash() })).organizationId;
  admin = await scopeByEmail(db, "admin@acme.test");
  clinician = await scopeByEmail(db, "clinician@acme.test");
  key = (await createApiKey(db, admin, { name: "revisions", scopes: ["reviews:write", "reviews:read"] })).key;
  // A Customer-operations refund, rejected by a reviewer of both workspaces.
  rejectedRefund = (await submit(refund())).json.id;
  const reviewer = await scopeByEmail(db, "reviewer@acme.test");
  const claim = await claimItem(db, reviewer, rejectedRefund, { leaseMinutes: 10 });
  if (!claim) throw new Error("could not claim the refund");
  await decideReview(db, reviewer, { reviewId: rejectedRefund, version: claim.version, timeOnItemMs: 1000, outcome: "rejected", reason: "incorrect", note: "Wrong customer, private note" });
});
afterAll(async () => dispose?.());

describe("revisionOf", () => {
  it("must name a rejected item of the same task type: a Clinical item can't revise an Ops refund (422)", async () => {
    const { res, json } = await submit({ taskType: "supplies.order.place", action: { purchaseOrder: "PO-1", total: 10 }, amount: { value: 10, currency: "USD" }, revisionOf: rejectedRefund });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(json.errors?.revisionOf?.[0]).toMatch(/another task type/);
    // An unregistered task type can't revise it either (and isn't registered by trying).
    expect((await submit({ taskType: "never.seen", action: { a: 1 }, revisionOf: rejectedRefund })).res.status).toBe(422);
    expect((await submit(refund({ revisionOf: rejectedRefund }))).res.status).toBe(201);
  });

  it("shows the original on the item page only to a viewer who may see it", async () => {
    // The task type moved to Clinical after the original was rejected: its revision lands in Clinical.
    const [clinical] = await db.select({ id: workspaces.id }).from(workspaces).where(and(eq(workspaces.organizationId, orgId), eq(workspaces.name, "Clinical")));
    await db.update(taskTypes).set({ workspaceId: clinical.id }).where(and(eq(taskTypes.organizationId, orgId), eq(taskTypes.key, "refund.issue")));
    const { res, json } = await submit(refund({ revisionOf: rejectedRefund }));
    expect(res.status).toBe(201);

    const seenByClinician = await getQueueItem(db, clinician, json.id);
    expect(seenByClinician?.review.revisionOf).toBe(rejectedRefund);
    expect(await getQueueItem(db, clinician, rejectedRefund)).toBeNull();
    expect(seenByClinician?.original).toBeNull();
    expect(JSON.stringify(seenByClinician)).not.toContain("private note");

    const seenByAdmin = await getQueueItem(db, admin, json.id);
    expect(seenByAdmin?.original).toMatchObject({ id: rejectedRefund, reason: "incorrect", note: "Wrong customer, private note" });
  });
});
