import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem, claimNext, getQueueItem, listMyDecisions, listQueue, queueFacets, releaseLease, renewLease } from "@/db/queries/queue";
import { users } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { expectAppError, scopeOf, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { parseQueueParams } from "@/lib/validation/queue";

let db: Db;
let dispose: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  await seedDemo(db, { passwordHash: await testPasswordHash() });
}, 120_000);
afterAll(async () => dispose?.());

async function scopeFor(email: string) {
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return scopeOf(db, u.id);
}

it("smoke", async () => {
  const riley = await scopeFor("reviewer@acme.test");
  const casey = await scopeFor("clinician@acme.test");
  const page = await listQueue(db, riley, parseQueueParams({}));
  expect(page.total).toBeGreaterThan(0);
  for (const sort of ["age", "sla", "confidence", "amount"]) await listQueue(db, riley, parseQueueParams({ sort, q: "a", claim: "unclaimed", reason: "rule", sla: "overdue" }));
  const facets = await queueFacets(db, riley);
  expect(facets.workspaces.length).toBe(2);
  const claim = await claimNext(db, riley, { leaseMinutes: 10 });
  expect(claim).not.toBeNull();
  expect(await claimItem(db, casey, claim!.id, { leaseMinutes: 10 })).toBeNull();
  expect(await renewLease(db, riley, { id: claim!.id, version: claim!.version, leaseMinutes: 10 })).toBeInstanceOf(Date);
  const item = await getQueueItem(db, riley, claim!.id);
  expect(item?.claim?.userId).toBe(riley.userId);
  await expectAppError(decideReview(db, casey, { outcome: "approved", reviewId: claim!.id, version: claim!.version, timeOnItemMs: 10 }), "not_found").catch(async () =>
    expectAppError(decideReview(db, casey, { outcome: "approved", reviewId: claim!.id, version: claim!.version, timeOnItemMs: 10 }), "conflict"),
  );
  const done = await decideReview(db, riley, { outcome: "rejected", reason: "incorrect", reviewId: claim!.id, version: claim!.version, timeOnItemMs: 1234 });
  expect(done.status === "rejected" || done.auditSample).toBe(true);
  await expectAppError(decideReview(db, riley, { outcome: "approved", reviewId: claim!.id, version: claim!.version + 1, timeOnItemMs: 10 }), "conflict");
  const mine = await listMyDecisions(db, riley, { days: 30, page: 1 });
  expect(mine.rows[0].reviewId).toBe(claim!.id);
  const c2 = await claimNext(db, riley, { leaseMinutes: 10 });
  expect(await releaseLease(db, riley, c2!.id)).toBe(true);
});
