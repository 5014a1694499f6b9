import { and, count, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, dailyRollups, taskTypeModeChanges, taskTypes, webhookDeliveries, webhookEndpoints, workspaces } from "@/db/schema";
import { addMember, expectAppError } from "@/test/fixtures";
import { createTaskType, createWorld, submit, type World } from "@/test/queue/world";
import { createTestDb } from "@/test/test-db";
import type { TaskTypePolicy, TaskTypeUpdate } from "@/lib/validation/task-types";
import { getTaskTypeForEdit, listRecentReviews, listTaskTypes, listWorkspaceChoices, previewRouting, updateTaskTypePolicy } from "./task-types";

let db: Db;
let dispose: () => Promise<void>;
let world: World;
let other: World;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Policies", ["Clinical", "Ops"]);
  other = await createWorld(db, "Elsewhere", ["Theirs"]);
}, 60_000);
afterAll(async () => dispose?.());

let seq = 0;
/** A fresh, classified task type per test, so tests don't share state. */
async function taskType(over: Partial<typeof taskTypes.$inferInsert> = {}, w: World = world) {
  const key = `type.${++seq}`;
  await createTaskType(db, w, { key, space: Object.keys(w.spaces)[0], name: `Type ${seq}`, ...over });
  return key;
}

async function edit(key: string, scope = world.admin) {
  const found = await getTaskTypeForEdit(db, scope, key);
  if (!found) throw new Error(`No task type ${key}`);
  return found;
}

/** A save of the editor: the stored policy with some fields changed, at the version just read. */
async function save(key: string, change: Partial<TaskTypePolicy>, extra: Partial<TaskTypeUpdate> = {}, scope = world.admin) {
  const t = await edit(key);
  return updateTaskTypePolicy(db, scope, { key, version: t.version, policy: { ...t.policy, ...change }, ...extra });
}

const auditsOf = async (organizationId: string, action: string) =>
  db.select({ data: auditLog.data, targetId: auditLog.targetId }).from(auditLog).where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.action, action))).orderBy(desc(auditLog.id));

const rowOf = async (key: string) => (await db.select().from(taskTypes).where(and(eq(taskTypes.organizationId, world.organizationId), eq(taskTypes.key, key))))[0];

const JUSTIFICATION = "Legal confirmed these notes are de-identified before the agent sees them.";

describe("listTaskTypes", () => {
  it("lists the organization's task types with their workspace and 30 days of volume from the rollups", async () => {
    const key = await taskType({ reversible: false, amountLimit: "250.00", amountCurrency: "USD" });
    const t = await rowOf(key);
    const today = new Date("2026-03-12T12:00:00Z");
    await db.insert(dailyRollups).values([
      { organizationId: world.organizationId, taskTypeId: t.id, mode: "approve_before_action", day: "2026-03-12", submitted: 7 },
      { organizationId: world.organizationId, taskTypeId: t.id, mode: "review_after_draft", day: "2026-02-11", submitted: 5 },
      // Outside the 30 days (today counts as the first).
      { organizationId: world.organizationId, taskTypeId: t.id, mode: "approve_before_action", day: "2026-02-10", submitted: 100 },
    ]);
    const rows = await listTaskTypes(db, world.admin, today);
    const row = rows.find((r) => r.key === key)!;
    expect(row).toMatchObject({ workspace: "Clinical", reversible: false, amountLimit: "250.00", classified: true, itemsLast30Days: 12, exceptionRuleCount: 0 });
    expect(rows.every((r) => r.key.startsWith("type.") || r.key.includes("."))).toBe(true);
    expect((await listTaskTypes(db, other.admin, today)).map((r) => r.key)).not.toContain(key);
  });
});

describe("updateTaskTypePolicy", () => {
  it("saves, marks the task type classified, and writes one audit entry with the diff", async () => {
    const key = await taskType({ classified: false });
    const result = await save(key, { name: "Renamed", slaMinutes: 60, workspaceId: world.spaces.Ops, customerFacing: true, exceptionRules: [{ name: "big", path: "action.qty", op: "gt", value: 5 }] });
    expect(result.changed).toBe(true);
    const row = await rowOf(key);
    expect(row).toMatchObject({ name: "Renamed", slaMinutes: 60, workspaceId: world.spaces.Ops, customerFacing: true, classified: true, exceptionRules: [{ name: "big", path: "action.qty", op: "gt", value: 5 }] });
    const [audit] = await auditsOf(world.organizationId, "task_type.updated");
    expect(audit.targetId).toBe(row.id);
    expect(audit.data).toEqual({
      key,
      changes: {
        classified: { from: false, to: true },
        name: { from: `Type ${seq}`, to: "Renamed" },
        workspace: { from: "Clinical", to: "Ops", fromId: world.spaces.Clinical, toId: world.spaces.Ops },
        customerFacing: { from: false, to: true },
        slaMinutes: { from: 240, to: 60 },
        exceptionRules: { from: [], to: [{ name: "big", path: "action.qty", op: "gt", value: 5 }] },
      },
    });
    expect(result.changed && result.version).toBe(row.updatedAt.toISOString());
  });

  it("says so and writes nothing when nothing changed", async () => {
    const key = await taskType();
    const before = await rowOf(key);
    const audits = (await auditsOf(world.organizationId, "task_type.updated")).length;
    expect(await save(key, {})).toEqual({ changed: false });
    expect(await rowOf(key)).toEqual(before);
    expect((await auditsOf(world.organizationId, "task_type.updated")).length).toBe(audits);
  });

  it("changes the mode through the mode history, its webhook and its own audit entry", async () => {
    const key = await taskType();
    await db.insert(webhookEndpoints).values({ organizationId: world.organizationId, url: "https://hooks.example.test/cs", events: ["task_type.mode_changed"], secretEncrypted: "sealed" });
    await save(key, { mode: "flag_on_exception", confidenceThreshold: 0.9 });
    const row = await rowOf(key);
    expect(row).toMatchObject({ mode: "flag_on_exception", previousMode: "approve_before_action", confidenceThreshold: 0.9 });
    const [change] = await db.select().from(taskTypeModeChanges).where(eq(taskTypeModeChanges.taskTypeId, row.id));
    expect(change).toMatchObject({ fromMode: "approve_before_action", toMode: "flag_on_exception", reason: "admin", actorUserId: world.adminId, confidenceThreshold: 0.9 });
    expect((await auditsOf(world.organizationId, "task_type.mode_changed"))[0].data).toMatchObject({ key, reason: "admin", after: { mode: "flag_on_exception" } });
    const events = await db
      .select({ payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, world.organizationId), eq(webhookDeliveries.event, "task_type.mode_changed")));
    expect(events.some((e) => JSON.stringify(e.payload).includes(key))).toBe(true);
    expect((await auditsOf(world.organizationId, "task_type.updated"))[0].data).toMatchObject({ changes: { mode: { from: "approve_before_action", to: "flag_on_exception" }, confidenceThreshold: { from: 0.8, to: 0.9 } } });
  });

  describe("floors", () => {
    it("refuses flag_on_exception for an irreversible task type, on the mode field, and changes nothing", async () => {
      const key = await taskType({ reversible: false });
      const before = await rowOf(key);
      const error = await expectAppError(save(key, { mode: "flag_on_exception", name: "Sneaky" }, { justification: JUSTIFICATION }), "invalid");
      expect(error.fieldErrors?.mode?.[0]).toMatch(/can't run on exception when its actions are irreversible/);
      expect(await rowOf(key)).toEqual(before);
    });

    it("refuses flag_on_exception for a PHI task type", async () => {
      const key = await taskType({ dataClass: "phi" });
      const error = await expectAppError(save(key, { mode: "flag_on_exception" }), "invalid");
      expect(error.fieldErrors?.mode?.[0]).toMatch(/it writes PHI/);
      expect((await rowOf(key)).mode).toBe("approve_before_action");
    });

    it("refuses adding a floor to a type that runs on exception unless the mode tightens in the same save", async () => {
      const key = await taskType({ mode: "flag_on_exception" });
      const error = await expectAppError(save(key, { reversible: false }), "invalid");
      expect(error.fieldErrors?.reversible?.[0]).toMatch(/choose a stricter mode in the same save/);
      const phi = await expectAppError(save(key, { dataClass: "phi" }), "invalid");
      expect(phi.fieldErrors?.dataClass).toBeDefined();
      await save(key, { reversible: false, mode: "approve_before_action" });
      expect(await rowOf(key)).toMatchObject({ reversible: false, mode: "approve_before_action" });
    });

    it("refuses flag_on_exception together with a loosening unless the loosening is justified", async () => {
      const key = await taskType({ dataClass: "phi", reversible: false });
      // Loosening one floor still leaves the other.
      await expectAppError(save(key, { dataClass: "none", mode: "flag_on_exception" }, { justification: JUSTIFICATION }), "invalid");
      const unjustified = await expectAppError(save(key, { dataClass: "none", reversible: true, mode: "flag_on_exception" }), "invalid");
      expect(Object.keys(unjustified.fieldErrors ?? {})).toEqual(["justification"]);
      expect(unjustified.fieldErrors?.justification?.[0]).toMatch(/at least 20 characters/);
      expect(await rowOf(key)).toMatchObject({ dataClass: "phi", reversible: false, mode: "approve_before_action" });
      await save(key, { dataClass: "none", reversible: true, mode: "flag_on_exception" }, { justification: JUSTIFICATION });
      expect(await rowOf(key)).toMatchObject({ dataClass: "none", reversible: true, mode: "flag_on_exception" });
      const [audit] = await auditsOf(world.organizationId, "task_type.updated");
      expect(audit.data).toMatchObject({
        floorLoosened: true,
        justification: JUSTIFICATION,
        loosened: ["Marks an irreversible task type reversible", "Marks a PHI task type as no personal data"],
        changes: { reversible: { from: false, to: true }, dataClass: { from: "phi", to: "none" }, mode: { from: "approve_before_action", to: "flag_on_exception" } },
      });
    });

    it.each([
      ["marking an irreversible type reversible", { reversible: false }, { reversible: true }],
      ["marking a PHI type as PII", { dataClass: "phi" as const }, { dataClass: "pii" as const }],
      ["raising the amount limit", { amountLimit: "500.00", amountCurrency: "USD" }, { amountLimit: 5000 }],
      ["removing the amount limit", { amountLimit: "500.00", amountCurrency: "USD" }, { amountLimit: null, amountCurrency: null }],
      ["moving the limit to another currency", { amountLimit: "500.00", amountCurrency: "USD" }, { amountCurrency: "EUR" }],
    ])("needs a written justification for %s", async (_, stored, change) => {
      const key = await taskType(stored);
      const before = await rowOf(key);
      for (const justification of [undefined, "", "because I said so"]) {
        const error = await expectAppError(save(key, change, { justification }), "invalid");
        expect(error.fieldErrors?.justification).toBeDefined();
      }
      expect(await rowOf(key)).toEqual(before);
      await save(key, change, { justification: JUSTIFICATION });
      expect((await auditsOf(world.organizationId, "task_type.updated"))[0].data).toMatchObject({ floorLoosened: true, justification: JUSTIFICATION });
    });

    it("doesn't ask for a justification when a floor only tightens, and doesn't flag the entry", async () => {
      const key = await taskType({ amountLimit: "500.00", amountCurrency: "USD" });
      await save(key, { amountLimit: 100, reversible: false, dataClass: "phi" });
      const [audit] = await auditsOf(world.organizationId, "task_type.updated");
      expect(audit.data.floorLoosened).toBeUndefined();
      expect(await rowOf(key)).toMatchObject({ amountLimit: "100.00", reversible: false, dataClass: "phi" });
    });
  });

  it("refuses a stale version instead of overwriting the other admin's save", async () => {
    const key = await taskType();
    const opened = await edit(key);
    await updateTaskTypePolicy(db, world.admin, { key, version: opened.version, policy: { ...opened.policy, slaMinutes: 30 } });
    const error = await expectAppError(updateTaskTypePolicy(db, world.admin, { key, version: opened.version, policy: { ...opened.policy, name: "Mine" } }), "conflict");
    expect(error.message).toMatch(/Someone changed this task type after you opened it/);
    expect(await rowOf(key)).toMatchObject({ slaMinutes: 30, name: opened.policy.name });
  });

  it("refuses a stale version even when the save before it came within the same millisecond", async () => {
    const key = await taskType();
    const opened = await edit(key);
    const saved = await updateTaskTypePolicy(db, world.admin, { key, version: opened.version, policy: { ...opened.policy, slaMinutes: 45 } }, new Date(opened.version));
    expect(saved.changed && saved.version).not.toBe(opened.version);
    await expectAppError(updateTaskTypePolicy(db, world.admin, { key, version: opened.version, policy: { ...opened.policy, name: "Mine" } }), "conflict");
    expect(await rowOf(key)).toMatchObject({ slaMinutes: 45, name: opened.policy.name });
  });

  it("refuses an archived workspace or another organization's", async () => {
    const key = await taskType();
    const [archived] = await db.insert(workspaces).values({ organizationId: world.organizationId, name: `Old ${seq}`, archivedAt: new Date() }).returning();
    expect((await expectAppError(save(key, { workspaceId: archived.id }), "invalid")).fieldErrors?.workspaceId).toBeDefined();
    expect((await expectAppError(save(key, { workspaceId: other.spaces.Theirs }), "invalid")).fieldErrors?.workspaceId).toEqual(["Choose one of your workspaces"]);
    expect((await listWorkspaceChoices(db, world.admin)).map((w) => w.name)).not.toContain(archived.name);
    expect((await listWorkspaceChoices(db, world.admin, archived.id)).map((w) => w.name)).toContain(archived.name);
  });

  it("treats another organization's task type as unknown, and changes nothing there", async () => {
    const theirs = await taskType({}, other);
    const t = (await getTaskTypeForEdit(db, other.admin, theirs))!;
    expect(await getTaskTypeForEdit(db, world.admin, theirs)).toBeNull();
    await expectAppError(updateTaskTypePolicy(db, world.admin, { key: theirs, version: t.version, policy: { ...t.policy, name: "Hijacked" } }), "not_found");
    expect((await getTaskTypeForEdit(db, other.admin, theirs))!.policy.name).toBe(t.policy.name);
  });

  it("refuses managers and reviewers in the query itself", async () => {
    const key = await taskType();
    const t = await edit(key);
    const before = (await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, world.organizationId)))[0].n;
    for (const role of ["manager", "reviewer"] as const) {
      const m = await addMember(db, world.admin, role);
      await expectAppError(updateTaskTypePolicy(db, m.scope, { key, version: t.version, policy: { ...t.policy, mode: "review_after_draft" } }), "forbidden");
    }
    expect((await rowOf(key)).mode).toBe("approve_before_action");
    // Only the two invites were audited.
    expect((await db.select({ n: count() }).from(auditLog).where(eq(auditLog.organizationId, world.organizationId)))[0].n).toBe(before + 4);
  });
});

describe("previewRouting", () => {
  it("routes a recent item under the edited policy, without writing", async () => {
    const key = await taskType({ amountLimit: "100.00", amountCurrency: "USD" });
    const item = await submit(db, world, { taskType: key, action: { qty: 12 }, context: { customer: { tier: "gold" } }, confidence: 0.95, amount: { value: 50, currency: "USD" } });
    const recent = await listRecentReviews(db, world.admin, (await rowOf(key)).id);
    expect(recent.map((r) => r.id)).toEqual([item.id]);
    const { policy } = await edit(key);
    const rules = [{ name: "gold-tier", path: "context.customer.tier", op: "eq" as const, value: "gold" }];

    const strict = await previewRouting(db, world.admin, { key, reviewId: item.id, policy });
    expect(strict.then).toEqual({ mode: "approve_before_action", needsHuman: true, reasons: ["mode:approve_before_action"] });
    expect(strict.now.reasons).toEqual(["mode:approve_before_action"]);

    const ruled = await previewRouting(db, world.admin, { key, reviewId: item.id, policy: { ...policy, mode: "flag_on_exception", exceptionRules: rules } });
    expect(ruled.now).toEqual({ needsHuman: true, blocking: true, reasons: ["rule:gold-tier"] });

    const lowered = await previewRouting(db, world.admin, { key, reviewId: item.id, policy: { ...policy, mode: "flag_on_exception", amountLimit: 10 } });
    expect(lowered.now.reasons).toEqual(["floor:amount"]);

    const free = await previewRouting(db, world.admin, { key, reviewId: item.id, policy: { ...policy, mode: "flag_on_exception" } });
    expect(free.now).toEqual({ needsHuman: false, blocking: false, reasons: [] });
    expect((await rowOf(key)).mode).toBe("approve_before_action");
  });

  it("doesn't reach another organization's item, or an item of another task type", async () => {
    const mine = await taskType();
    const second = await taskType();
    const item = await submit(db, world, { taskType: second, action: { a: 1 } });
    const { policy } = await edit(mine);
    await expectAppError(previewRouting(db, world.admin, { key: mine, reviewId: item.id, policy }), "not_found");
    await expectAppError(previewRouting(db, other.admin, { key: second, reviewId: item.id, policy }), "not_found");
  });
});
