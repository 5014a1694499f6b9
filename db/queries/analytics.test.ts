import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, taskTypeModeChanges, taskTypes, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import type { Scope } from "@/db/scope";
import { createTenant, expectAppError, queryRows, scopeByEmail, testPasswordHash } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { analyticsOverview } from "./analytics";
import { changeTaskTypeMode } from "./mode-changes";

const NOW = new Date("2026-03-12T10:30:00.000Z");
let db: Db;
let dispose: () => Promise<void>;
let organizationId: string;
const acme = {} as Record<"admin" | "manager", Scope>;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  organizationId = (await seedDemo(db, { now: NOW, passwordHash: await testPasswordHash() })).organizationId;
  for (const who of ["admin", "manager"] as const) acme[who] = await scopeByEmail(db, `${who}@acme.test`);
}, 120_000);
afterAll(async () => dispose?.());

describe("analyticsOverview", () => {
  it("sums the rollups of the range, and of the current mode since it began", async () => {
    const range = { from: "2026-02-10", to: "2026-03-12" };
    const summaries = await analyticsOverview(db, acme.manager, range);
    expect(summaries.map((s) => s.taskType.key).sort()).toEqual([
      "crm.contact.update",
      "delivery.reschedule",
      "ehr.note.write",
      "email.reply.send",
      "refund.issue",
      "route.adjust",
      "supplies.order.place",
      "ticket.tag",
    ]);
    const [expected] = await queryRows<{ approved: number; rejected: number }>(
      db,
      sql`select sum(approved)::int as approved, sum(rejected)::int as rejected from daily_rollups where organization_id = ${organizationId} and day between ${range.from} and ${range.to}`,
    );
    expect(summaries.reduce((n, s) => n + s.range.approved, 0)).toBe(expected.approved);
    expect(summaries.reduce((n, s) => n + s.range.rejected, 0)).toBe(expected.rejected);
    // route.adjust was promoted to flag_on_exception: only what happened since counts toward its mode.
    const route = summaries.find((s) => s.taskType.key === "route.adjust")!;
    expect(route.taskType.mode).toBe("flag_on_exception");
    expect(route.sinceMode.firstDay! >= route.taskType.modeSince.toISOString().slice(0, 10)).toBe(true);
    expect(route.sinceMode.autoApproved).toBeGreaterThan(0);
    for (const s of summaries) expect(s.range.decided).toBe(s.range.approved + s.range.edited + s.range.rejected);
  });

  it("filters by workspace, and shows another organization nothing", async () => {
    const all = await analyticsOverview(db, acme.manager, { from: "2026-01-01", to: "2026-03-12" });
    const clinical = all.find((s) => s.taskType.key === "ehr.note.write")!.taskType.workspace.id;
    const only = await analyticsOverview(db, acme.manager, { from: "2026-01-01", to: "2026-03-12", workspaceId: clinical });
    expect(only.map((s) => s.taskType.key)).toEqual(["supplies.order.place", "ehr.note.write"]);
    const other = await createTenant(db, "Other");
    expect(await analyticsOverview(db, other.admin, { from: "2026-01-01", to: "2026-03-12" })).toEqual([]);
    expect(await analyticsOverview(db, other.admin, { from: "2026-01-01", to: "2026-03-12", workspaceId: clinical })).toEqual([]);
  });
});

describe("changeTaskTypeMode", () => {
  it("applies and rolls back with one history row, one audit entry and one webhook each", async () => {
    await db.insert(webhookEndpoints).values({ organizationId, url: "https://hooks.example.com/cs", events: ["task_type.mode_changed"], secretEncrypted: "sealed" });
    const count = async (table: typeof taskTypeModeChanges | typeof auditLog) =>
      (await db.select({ n: sql<number>`count(*)::int` }).from(table).where(eq(table.organizationId, organizationId)))[0].n;
    const [histories, audits] = [await count(taskTypeModeChanges), await count(auditLog)];
    await changeTaskTypeMode(db, acme.admin, { taskTypeKey: "crm.contact.update", toMode: "flag_on_exception", reason: "recommendation", confidenceThreshold: 0.85, evidence: { decisions: 600 } }, NOW);
    const [t] = await db.select().from(taskTypes).where(and(eq(taskTypes.organizationId, organizationId), eq(taskTypes.key, "crm.contact.update")));
    expect(t).toMatchObject({ mode: "flag_on_exception", previousMode: "review_after_draft", confidenceThreshold: 0.85, modeSince: NOW });
    expect(await count(taskTypeModeChanges)).toBe(histories + 1);
    expect(await count(auditLog)).toBe(audits + 1);
    await changeTaskTypeMode(db, acme.admin, { taskTypeKey: "crm.contact.update", toMode: "review_after_draft", reason: "rollback" }, NOW);
    expect(await count(taskTypeModeChanges)).toBe(histories + 2);
    expect(await count(auditLog)).toBe(audits + 2);
    const hooks = await db.select({ event: webhookDeliveries.event }).from(webhookDeliveries).where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.event, "task_type.mode_changed")));
    expect(hooks).toHaveLength(2);
  });

  it("refuses floors, no-op changes, managers and other organizations, changing nothing", async () => {
    const before = await db.select({ key: taskTypes.key, mode: taskTypes.mode }).from(taskTypes).where(eq(taskTypes.organizationId, organizationId));
    await expectAppError(changeTaskTypeMode(db, acme.admin, { taskTypeKey: "ehr.note.write", toMode: "flag_on_exception", reason: "admin" }), "invalid");
    await expectAppError(changeTaskTypeMode(db, acme.admin, { taskTypeKey: "route.adjust", toMode: "flag_on_exception", reason: "admin" }), "conflict");
    await expectAppError(changeTaskTypeMode(db, acme.manager, { taskTypeKey: "crm.contact.update", toMode: "flag_on_exception", reason: "recommendation" }), "forbidden");
    const other = await createTenant(db, "Other");
    await expectAppError(changeTaskTypeMode(db, other.admin, { taskTypeKey: "crm.contact.update", toMode: "flag_on_exception", reason: "recommendation" }), "not_found");
    expect(await db.select({ key: taskTypes.key, mode: taskTypes.mode }).from(taskTypes).where(eq(taskTypes.organizationId, organizationId))).toEqual(before);
  });
});
