import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, taskTypeModeChanges, taskTypes } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { Scope } from "@/db/scope";
import { createTenant, scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { setAutoStepDown } from "@/db/queries/organizations";
import { recentAutomaticStepDowns, stepDownRegressedTaskTypes } from "@/lib/jobs/step-down";

const NOW = new Date("2026-03-12T10:30:00.000Z");
let db: Db;
let dispose: () => Promise<void>;
let organizationId: string;
let admin: Scope;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  organizationId = (await seedDemo(db, { now: NOW, passwordHash: await testPasswordHash() })).organizationId;
  admin = await scopeByEmail(db, "admin@acme.test");
}, 120_000);
afterAll(async () => dispose?.());

const modeOf = async (key: string) =>
  (await db.select({ mode: taskTypes.mode }).from(taskTypes).where(and(eq(taskTypes.organizationId, organizationId), eq(taskTypes.key, key))))[0].mode;

describe("stepDownRegressedTaskTypes", () => {
  it("does nothing while the organization hasn't turned it on", async () => {
    expect(await stepDownRegressedTaskTypes(db, NOW)).toEqual([]);
    expect(await modeOf("delivery.reschedule")).toBe("flag_on_exception");
  });

  it("once on, steps back only the regressing task type, on the record, once", async () => {
    await setAutoStepDown(db, admin, true);
    const other = await createTenant(db, "Other");
    expect(await stepDownRegressedTaskTypes(db, NOW)).toEqual([{ organizationId, taskTypeKey: "delivery.reschedule" }]);
    expect(await modeOf("delivery.reschedule")).toBe("review_after_draft");
    expect(await modeOf("route.adjust")).toBe("flag_on_exception"); // healthy: left alone
    const [change] = await db
      .select()
      .from(taskTypeModeChanges)
      .where(and(eq(taskTypeModeChanges.organizationId, organizationId), eq(taskTypeModeChanges.reason, "automatic_step_down")));
    expect(change).toMatchObject({ fromMode: "flag_on_exception", toMode: "review_after_draft", actorUserId: null });
    expect(String(change.evidence.sentence)).toMatch(/^Step back to review-after-draft/);
    const audits = await db.select({ data: auditLog.data }).from(auditLog).where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, "task_type.mode_changed")));
    expect(audits.some((a) => (a.data as { reason?: string }).reason === "automatic_step_down")).toBe(true);
    expect((await recentAutomaticStepDowns(db, admin, 7, NOW)).map((s) => s.key)).toEqual(["delivery.reschedule"]);
    expect(await recentAutomaticStepDowns(db, other.admin, 7, NOW)).toEqual([]);
    // Nothing left to step down.
    expect(await stepDownRegressedTaskTypes(db, NOW)).toEqual([]);
  });
});
