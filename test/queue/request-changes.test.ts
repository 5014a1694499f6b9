import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, getQueueItem, listMyDecisions } from "@/db/queries/queue";
import { reviewResource } from "@/db/queries/reviews";
import { rollupDifferences } from "@/db/queries/rollups";
import { dailyRollups, reviewerDailyRollups, webhookDeliveries } from "@/db/schema";
import type { DecisionInput } from "@/lib/validation/queue";
import { expectAppError } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type Member, type World } from "./world";

/**
 * Issue 16, "send back with instructions": a reviewer requests changes with an instruction; the item
 * ends `rejected` with outcome `changes_requested`, counted as a rejection in both rollups (which
 * agree with a recount), told to the agent with the instruction, and a revision shows it.
 */

process.env.WEBHOOK_ALLOWLIST = "localhost:443";

let db: Db;
let dispose: () => Promise<void>;
let world: World;
let rita: Member;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Send back", ["Ops"]);
  await createTaskType(db, world, { key: "refund.issue", space: "Ops" });
  await createTaskType(db, world, { key: "audit.me", space: "Ops", mode: "flag_on_exception", auditSampleRate: 1, confidenceThreshold: 0.5 });
  rita = await member(db, world, "reviewer", ["Ops"], "Rita Reviewer");
});
afterAll(async () => dispose?.());

async function claimAndDecide(who: Member, id: string, decision: Partial<DecisionInput> & Pick<DecisionInput, "outcome">) {
  const claim = await claimItem(db, who.scope, id, { leaseMinutes: 10 });
  if (!claim) throw new Error(`${who.email} could not claim ${id}`);
  return decideReview(db, who.scope, { reviewId: id, version: claim.version, timeOnItemMs: 2000, ...decision } as DecisionInput);
}

describe("request changes", () => {
  it("ends the item rejected with outcome changes_requested and the instruction, counted as a rejection", async () => {
    const r = await submit(db, world, { taskType: "refund.issue", title: "Refund 90", action: { orderId: "A-9", amount: 90 }, confidence: 0.7, callbackUrl: "https://localhost/hook" });
    const result = await claimAndDecide(rita, r.id, { outcome: "changes_requested", instruction: "Refund only the item, not the shipping fee" });
    expect(result).toEqual({ reviewId: r.id, status: "rejected", outcome: "changes_requested", auditSample: false });

    const resource = await reviewResource(db, world.organizationId, r.id);
    expect(resource).toMatchObject({
      status: "rejected",
      decision: { outcome: "changes_requested", instruction: "Refund only the item, not the shipping fee", reason: null, reviewer: { name: "Rita Reviewer" } },
    });
    // The webhook carries the same resource, instruction included.
    const hooks = await db
      .select({ event: webhookDeliveries.event, payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, world.organizationId), eq(webhookDeliveries.event, "review.decided")));
    expect(hooks).toHaveLength(1);
    const body = JSON.parse((hooks[0].payload as { body: string }).body) as { data: { review: { decision: unknown } } };
    expect(body.data.review.decision).toMatchObject({ outcome: "changes_requested", instruction: "Refund only the item, not the shipping fee" });

    const [rollup] = await db.select().from(dailyRollups).where(eq(dailyRollups.organizationId, world.organizationId));
    expect(rollup).toMatchObject({ approved: 0, edited: 0, rejected: 1 });
    const [mine] = await db.select().from(reviewerDailyRollups).where(eq(reviewerDailyRollups.organizationId, world.organizationId));
    expect(mine).toMatchObject({ approved: 0, edited: 0, rejected: 1 });
    expect(await rollupDifferences(db, world.organizationId)).toEqual([]);

    const page = await listMyDecisions(db, rita.scope, { outcome: "changes_requested", days: 30, page: 1 });
    expect(page.rows.map((d) => [d.reviewId, d.outcome, d.note])).toEqual([[r.id, "changes_requested", "Refund only the item, not the shipping fee"]]);
  });

  it("needs an instruction, and isn't offered for an action that already ran (audit sample)", async () => {
    const r = await submit(db, world, { taskType: "refund.issue", title: "Refund 91", action: { orderId: "A-10", amount: 91 } });
    const claim = (await claimItem(db, rita.scope, r.id, { leaseMinutes: 10 }))!;
    // The action's schema refuses an empty instruction before the domain; the domain never sees one.
    const audited = await submit(db, world, { taskType: "audit.me", title: "Ran already", action: { x: 1 }, confidence: 0.9 });
    expect(audited.status).toBe("approved");
    await expectAppError(claimAndDecide(rita, audited.id, { outcome: "changes_requested", instruction: "Do it differently" }), "invalid");
    await decideReview(db, rita.scope, { reviewId: r.id, version: claim.version, timeOnItemMs: 1, outcome: "approved" });
    expect(await rollupDifferences(db, world.organizationId)).toEqual([]);
  });

  it("shows the instruction and the original beside the agent's revision", async () => {
    const r = await submit(db, world, { taskType: "refund.issue", title: "Refund 120", action: { orderId: "A-11", amount: 120 } });
    await claimAndDecide(rita, r.id, { outcome: "changes_requested", instruction: "Use 100, the order total" });
    const revision = await submit(db, world, { taskType: "refund.issue", title: "Refund 100", action: { orderId: "A-11", amount: 100 }, revisionOf: r.id });
    expect(revision.revisionOf).toBe(r.id);
    const item = await getQueueItem(db, rita.scope, revision.id);
    expect(item!.original).toMatchObject({ id: r.id, outcome: "changes_requested", note: "Use 100, the order total", action: { orderId: "A-11", amount: 120 } });
  });
});
