import { createHash } from "node:crypto";
import { and, asc, count, eq, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { linkAndVerifyAudit, queryRows, scopeOf, TEST_PASSWORD, testPasswordHash } from "@/test/fixtures";
import { verifyPassword } from "@/lib/security/password";
import { canonicalJson } from "@/lib/data/canonical-json";
import { decryptSecret, sha256Hex } from "@/lib/security/crypto";
import type { Db } from "./client";
import { authenticateApiKey, listApiKeys } from "./queries/api-keys";
import { findCredentials } from "./queries/login";
import { listMembers } from "./queries/members";
import { listAuditEntries } from "./queries/audit";
import * as schema from "./schema";
import { apiKeys, decisions, memberships, organizations, reviews, taskTypeModeChanges, taskTypes, users, workspaceMembers, workspaces } from "./schema";
import { analyticsOverview } from "./queries/analytics";
import { rollupDifferences } from "./queries/rollups";
import { readinessOf } from "@/lib/views/analytics";
import { reviewerRows } from "@/lib/views/reviewers";
import { reviewerTotals } from "./queries/reviewer-analytics";
import { DEMO_API_KEY, DEMO_WEBHOOK_SECRET, demoApiKey, demoWebhookSecret, seedDemo } from "./seed";

const DAY = 24 * 3600 * 1000;
// A fixed "now" (a Wednesday, mid-morning UTC) keeps the seeded content identical on every run.
const NOW = new Date("2025-03-12T10:30:00.000Z");
const TODAY = Date.UTC(2025, 2, 12);

const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of tables) out[getTableName(table)] = (await db.select({ n: count() }).from(table))[0].n;
  return out;
}

describe("seedDemo", () => {
  let db: Db;
  let dispose: () => Promise<void>;
  let organizationId: string;
  let userIds: Record<string, string>;

  beforeAll(async () => {
    const test = await createTestDb();
    db = test.handle.db;
    dispose = test.dispose;
    const result = await seedDemo(db, { now: NOW, passwordHash: await testPasswordHash() });
    expect(result.created).toBe(true);
    organizationId = result.organizationId;
    const rows = await db.select({ id: users.id, email: users.email }).from(users);
    userIds = Object.fromEntries(rows.map((r) => [r.email, r.id]));
  });
  afterAll(async () => dispose?.());

  it("creates the organization with its settings", async () => {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    expect(org).toMatchObject({ name: "Acme Health & Home", slug: "acme", settings: { autoRegisterTaskTypes: true, leaseMinutes: 10 } });
  });

  it("creates the demo logins with their roles, all sharing the demo password", async () => {
    const admin = await scopeOf(db, userIds["admin@acme.test"]);
    const members = await listMembers(db, admin);
    const byEmail = Object.fromEntries(members.map((m) => [m.email, m]));
    expect(members).toHaveLength(7);
    expect(byEmail["admin@acme.test"]).toMatchObject({ name: "Avery Admin", role: "admin", status: "active" });
    expect(byEmail["manager@acme.test"]).toMatchObject({ name: "Morgan Manager", role: "manager", status: "active" });
    expect(byEmail["reviewer@acme.test"]).toMatchObject({ name: "Riley Reviewer", role: "reviewer", status: "active" });
    expect(byEmail["clinician@acme.test"]).toMatchObject({ name: "Casey Clinician", role: "reviewer", status: "active" });
    for (const email of ["sam.ortiz@acme.test", "priya.nair@acme.test", "jordan.lee@acme.test"]) expect(byEmail[email]?.role).toBe("reviewer");
    for (const email of ["admin@acme.test", "reviewer@acme.test"]) {
      const credentials = await findCredentials(db, email);
      expect(credentials?.activeMemberships).toBe(1);
      expect(await verifyPassword(credentials!.passwordHash, TEST_PASSWORD)).toBe(true);
    }
    for (const [email, role] of [
      ["admin@acme.test", "admin"],
      ["manager@acme.test", "manager"],
      ["reviewer@acme.test", "reviewer"],
    ] as const) {
      const scope = await scopeOf(db, userIds[email]);
      expect(scope).toMatchObject({ organizationId, role, organizationName: "Acme Health & Home" });
    }
  });

  it("puts people in the workspaces as specified", async () => {
    const ws = await db.select({ name: workspaces.name, isDefault: workspaces.isDefault }).from(workspaces).where(eq(workspaces.organizationId, organizationId)).orderBy(asc(workspaces.name));
    expect(ws).toEqual([
      { name: "Clinical", isDefault: false },
      { name: "Customer operations", isDefault: true },
    ]);
    const rows = await db
      .select({ email: users.email, workspace: workspaces.name })
      .from(workspaceMembers)
      .innerJoin(users, eq(users.id, workspaceMembers.userId))
      .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspaceId))
      .where(eq(workspaceMembers.organizationId, organizationId));
    const of = (email: string) => rows.filter((r) => r.email === email).map((r) => r.workspace).sort();
    expect(of("admin@acme.test")).toEqual(["Clinical", "Customer operations"]);
    expect(of("manager@acme.test")).toEqual(["Clinical", "Customer operations"]);
    expect(of("reviewer@acme.test")).toEqual(["Clinical", "Customer operations"]);
    expect(of("clinician@acme.test")).toEqual(["Clinical"]);
    const extras = ["sam.ortiz@acme.test", "priya.nair@acme.test", "jordan.lee@acme.test"].map(of);
    for (const w of extras) expect(w.length).toBeGreaterThan(0);
    expect(new Set(extras.flat())).toEqual(new Set(["Clinical", "Customer operations"]));
  });

  it("creates the eight classified task types with their policies", async () => {
    const rows = await db
      .select({ t: taskTypes, workspace: workspaces.name })
      .from(taskTypes)
      .innerJoin(workspaces, eq(workspaces.id, taskTypes.workspaceId))
      .where(eq(taskTypes.organizationId, organizationId));
    const byKey = Object.fromEntries(rows.map((r) => [r.t.key, { ...r.t, workspace: r.workspace }]));
    expect(Object.keys(byKey).sort()).toEqual([
      "crm.contact.update",
      "delivery.reschedule",
      "ehr.note.write",
      "email.reply.send",
      "refund.issue",
      "route.adjust",
      "supplies.order.place",
      "ticket.tag",
    ]);
    for (const t of Object.values(byKey)) expect(t.classified).toBe(true);
    expect(byKey["ehr.note.write"]).toMatchObject({ name: "Write EHR note", workspace: "Clinical", dataClass: "phi", reversible: false, mode: "approve_before_action", slaMinutes: 60 });
    expect(byKey["refund.issue"]).toMatchObject({ workspace: "Customer operations", dataClass: "financial", amountLimit: "500.00", amountCurrency: "USD", mode: "approve_before_action", slaMinutes: 240 });
    expect(byKey["email.reply.send"]).toMatchObject({ customerFacing: true, dataClass: "pii", mode: "review_after_draft", slaMinutes: 120 });
    expect(byKey["crm.contact.update"]).toMatchObject({ customerFacing: false, dataClass: "pii", mode: "review_after_draft", slaMinutes: 480 });
    expect(byKey["route.adjust"]).toMatchObject({ dataClass: "none", mode: "flag_on_exception", previousMode: "review_after_draft", slaMinutes: 240 });
    expect(byKey["route.adjust"].confidenceThreshold).toBeCloseTo(0.8, 5);
    expect(byKey["route.adjust"].auditSampleRate).toBeCloseTo(0.05, 5);
    expect(byKey["route.adjust"].modeSince.getTime()).toBe(TODAY - 20 * DAY);
    expect(byKey["ticket.tag"]).toMatchObject({ workspace: "Customer operations", dataClass: "none", reversible: true, amountLimit: null, mode: "review_after_draft" });
    expect(byKey["supplies.order.place"]).toMatchObject({ workspace: "Clinical", dataClass: "financial", reversible: true, amountLimit: "1000.00", amountCurrency: "USD", mode: "approve_before_action" });
    expect(byKey["delivery.reschedule"]).toMatchObject({ dataClass: "pii", reversible: true, customerFacing: true, mode: "flag_on_exception", previousMode: "review_after_draft" });
    expect(byKey["delivery.reschedule"].modeSince.getTime()).toBe(TODAY - 26 * DAY);
    for (const key of ["ehr.note.write", "refund.issue", "email.reply.send", "crm.contact.update", "ticket.tag", "supplies.order.place"]) expect(byKey[key].modeSince.getTime()).toBe(TODAY - 42 * DAY);
  });

  it("generates six weeks of history with thousands of decisions at realistic rates", async () => {
    const stats = await queryRows<{ key: string; mode: string; reviews: number; human: number; accepted: number; edited: number; rejected: number; auto: number; first: Date; last: Date }>(
      db,
      sql`select t.key, r.mode, count(*)::int as reviews,
            count(d.id) filter (where d.outcome in ('approved', 'edited', 'rejected'))::int as human,
            count(d.id) filter (where d.outcome = 'approved')::int as accepted,
            count(d.id) filter (where d.outcome = 'edited')::int as edited,
            count(d.id) filter (where d.outcome = 'rejected')::int as rejected,
            count(d.id) filter (where d.outcome = 'auto_approved')::int as auto,
            min(r.created_at) as first, max(r.decided_at) as last
          from reviews r join task_types t on t.id = r.task_type_id left join decisions d on d.review_id = r.id
          where r.organization_id = ${organizationId} and r.status <> 'pending'
          group by t.key, r.mode`,
    );
    const of = (key: string, mode?: string) => stats.filter((s) => s.key === key && (!mode || s.mode === mode));
    const acceptance = (key: string, mode?: string) => {
      const rows = of(key, mode);
      return rows.reduce((n, r) => n + r.accepted, 0) / rows.reduce((n, r) => n + r.human, 0);
    };
    const totalDecisions = stats.reduce((n, s) => n + s.human + s.auto, 0);
    expect(totalDecisions).toBeGreaterThan(3000);
    expect(of("crm.contact.update")[0].human).toBeGreaterThanOrEqual(400);
    expect(of("crm.contact.update")[0].human).toBeLessThan(500);
    expect(acceptance("crm.contact.update")).toBeGreaterThan(0.975);
    expect(acceptance("crm.contact.update")).toBeLessThan(0.995);
    expect(acceptance("email.reply.send")).toBeGreaterThan(0.87);
    expect(acceptance("email.reply.send")).toBeLessThan(0.93);
    expect(acceptance("refund.issue")).toBeGreaterThan(0.91);
    expect(acceptance("ehr.note.write")).toBeGreaterThan(0.94);
    expect(acceptance("route.adjust", "flag_on_exception")).toBeGreaterThan(0.94);
    for (const key of ["email.reply.send", "refund.issue", "ehr.note.write"]) {
      expect(of(key)[0].edited).toBeGreaterThan(0);
      expect(of(key)[0].rejected).toBeGreaterThan(0);
    }
    expect(acceptance("ticket.tag")).toBeGreaterThan(0.98);
    expect(acceptance("supplies.order.place")).toBeGreaterThan(0.98);
    // The promoted types ran in review_after_draft before their promotion and mostly automatically since;
    // delivery.reschedule did well before and badly after.
    for (const key of ["route.adjust", "delivery.reschedule"]) {
      expect(of(key, "review_after_draft")[0].auto).toBe(0);
      expect(of(key, "flag_on_exception")[0].auto).toBeGreaterThan(of(key, "flag_on_exception")[0].human);
    }
    expect(acceptance("delivery.reschedule", "review_after_draft")).toBeGreaterThan(0.98);
    expect(acceptance("delivery.reschedule", "flag_on_exception")).toBeLessThan(0.96);
    expect(stats.reduce((n, s) => n + s.reviews, 0)).toBeLessThan(9000);
    const first = Math.min(...stats.map((s) => new Date(s.first).getTime()));
    const last = Math.max(...stats.map((s) => new Date(s.last).getTime()));
    expect(first).toBeGreaterThanOrEqual(TODAY - 42 * DAY);
    expect(first).toBeLessThan(TODAY - 41 * DAY);
    expect(last).toBeLessThan(TODAY);
    expect(last).toBeGreaterThan(TODAY - DAY);
  });

  it("keeps reviews, routing and decisions consistent", async () => {
    const [check] = await queryRows<Record<string, number>>(
      db,
      sql`select
            count(*) filter (where r.status in ('approved', 'rejected') and (d.id is null or d.created_at <> r.decided_at))::int as decided_without_decision,
            count(*) filter (where r.status in ('pending', 'expired') and d.id is not null)::int as undecided_with_decision,
            count(*) filter (where r.status = 'rejected' and d.outcome <> 'rejected')::int as rejected_mismatch,
            count(*) filter (where d.outcome = 'rejected' and (d.reason is null or d.note is null))::int as rejection_without_reason,
            count(*) filter (where d.outcome in ('approved', 'edited', 'rejected') and (d.reviewer_id is null or d.time_on_item_ms is null or r.version <> 2))::int as human_incomplete,
            count(*) filter (where d.outcome in ('approved', 'edited', 'rejected') and not exists (
              select 1 from workspace_members wm where wm.organization_id = r.organization_id and wm.workspace_id = r.workspace_id and wm.user_id = d.reviewer_id))::int as reviewer_outside_workspace,
            count(*) filter (where d.outcome = 'edited' and d.action = r.action and d.draft is not distinct from r.draft)::int as edit_without_change,
            count(*) filter (where d.outcome = 'approved' and (d.action <> r.action or d.draft is distinct from r.draft))::int as approval_with_change,
            count(*) filter (where d.outcome = 'auto_approved' and (r.needs_human or d.reviewer_id is not null))::int as auto_mismatch,
            count(*) filter (where r.needs_human and r.sla_due_at <> r.created_at + make_interval(mins => t.sla_minutes))::int as sla_mismatch,
            count(*) filter (where t.key = 'ehr.note.write' and r.routing_reasons <> array['floor:irreversible', 'floor:phi', 'mode:approve_before_action'])::int as ehr_routing,
            count(*) filter (where t.key = 'ehr.note.write' and not (r.attributes @> '{"phi": true, "irreversible": true}'))::int as ehr_attributes,
            count(*) filter (where t.key = 'email.reply.send' and not (r.attributes @> '{"customerFacing": true}'))::int as email_attributes,
            count(*) filter (where t.amount_limit is not null and (r.amount_value > t.amount_limit) <> ('floor:amount' = any(r.routing_reasons)))::int as amount_floor,
            count(*) filter (where t.key = 'refund.issue' and 'floor:amount' = any(r.routing_reasons))::int as refunds_over_limit,
            count(*) filter (where t.key = 'supplies.order.place' and 'floor:amount' = any(r.routing_reasons))::int as supplies_over_limit,
            count(*) filter (where t.key = 'supplies.order.place')::int as supplies,
            count(*) filter (where t.previous_mode is not null and (r.created_at >= t.mode_since) <> (r.mode = t.mode))::int as promoted_mode,
            count(*) filter (where r.mode = 'flag_on_exception' and (r.confidence::numeric < t.confidence_threshold) <> ('low_confidence' = any(r.routing_reasons)))::int as low_confidence_mismatch,
            count(*) filter (where r.mode = 'flag_on_exception' and 'sampled_for_audit' = any(r.routing_reasons) and (r.blocking or not r.needs_human))::int as sampled_mismatch,
            count(*) filter (where r.mode = 'flag_on_exception' and 'sampled_for_audit' = any(r.routing_reasons))::int as sampled,
            count(*) filter (where r.confidence::numeric < 0.55 or r.confidence::numeric > 0.99)::int as confidence_out_of_range,
            count(*) filter (where r.status = 'expired')::int as expired
          from reviews r
          join task_types t on t.id = r.task_type_id
          left join decisions d on d.review_id = r.id and d.final
          where r.organization_id = ${organizationId}`,
    );
    expect(check).toMatchObject({
      decided_without_decision: 0,
      undecided_with_decision: 0,
      rejected_mismatch: 0,
      rejection_without_reason: 0,
      human_incomplete: 0,
      reviewer_outside_workspace: 0,
      edit_without_change: 0,
      approval_with_change: 0,
      auto_mismatch: 0,
      sla_mismatch: 0,
      ehr_routing: 0,
      ehr_attributes: 0,
      email_attributes: 0,
      amount_floor: 0,
      promoted_mode: 0,
      low_confidence_mismatch: 0,
      sampled_mismatch: 0,
      confidence_out_of_range: 0,
    });
    expect(check.refunds_over_limit).toBeGreaterThan(0);
    expect(check.supplies_over_limit / check.supplies).toBeGreaterThan(0.6);
    expect(check.sampled).toBeGreaterThan(0);
    expect(check.expired).toBeGreaterThan(0);
  });

  it("stores each decision's actionHash as the SHA-256 of the canonical JSON of its action", async () => {
    const rows = await db.select({ action: decisions.action, actionHash: decisions.actionHash }).from(decisions).where(eq(decisions.organizationId, organizationId));
    expect(rows.length).toBeGreaterThan(3000);
    const mismatches = rows.filter((r) => createHash("sha256").update(canonicalJson(r.action)).digest("hex") !== r.actionHash);
    expect(mismatches).toEqual([]);
  });

  it("writes daily rollups equal to a recount of reviews and decisions", async () => {
    expect(await rollupDifferences(db, organizationId)).toEqual([]);
    const [{ days, rows }] = await queryRows<{ days: number; rows: number }>(
      db,
      sql`select count(distinct day)::int as days, count(*)::int as rows from daily_rollups where organization_id = ${organizationId}`,
    );
    expect(days).toBeGreaterThanOrEqual(42);
    expect(rows).toBeGreaterThan(200);
  });

  it("records how the promoted task types earned flag_on_exception", async () => {
    const rows = await db
      .select({ key: taskTypes.key, modeSince: taskTypes.modeSince, change: taskTypeModeChanges })
      .from(taskTypeModeChanges)
      .innerJoin(taskTypes, eq(taskTypes.id, taskTypeModeChanges.taskTypeId))
      .where(eq(taskTypeModeChanges.organizationId, organizationId))
      .orderBy(asc(taskTypeModeChanges.createdAt));
    expect(rows.map((r) => [r.key, r.change.reason])).toEqual([
      ["delivery.reschedule", "admin"],
      ["route.adjust", "recommendation"],
    ]);
    for (const { modeSince, change } of rows) {
      expect(change).toMatchObject({ fromMode: "review_after_draft", toMode: "flag_on_exception", confidenceThreshold: 0.8, actorUserId: userIds["admin@acme.test"] });
      expect(change.createdAt.getTime()).toBe(modeSince.getTime());
      const evidence = change.evidence as { decisions: number; accepted: number };
      expect(evidence.decisions).toBeGreaterThan(100);
      expect(evidence.accepted / evidence.decisions).toBeGreaterThan(0.98);
    }
  });

  // Every readiness state the Analytics pages can show, computed as the pages do (rollups → readinessOf).
  describe("readiness as the Analytics pages show it", () => {
    let readiness: Record<string, ReturnType<typeof readinessOf>>;
    let summaries: Awaited<ReturnType<typeof analyticsOverview>>;

    beforeAll(async () => {
      const manager = await scopeOf(db, userIds["manager@acme.test"]);
      summaries = await analyticsOverview(db, manager, { from: "2025-02-10", to: "2025-03-12", now: NOW });
      readiness = Object.fromEntries(summaries.map((s) => [s.taskType.key, readinessOf(s, NOW)]));
    });
    const missing = (key: string) => {
      const rec = readiness[key].recommendation;
      return rec.kind === "hold" ? rec.missing.map((c) => c.key) : null;
    };
    const blockedBy = (key: string) => {
      const rec = readiness[key].recommendation;
      return rec.kind === "hold" ? rec.blockedBy : null;
    };

    it("ticket.tag is ready to step up, with a confidence threshold to suggest", () => {
      const r = readiness["ticket.tag"];
      expect(r.recommendation).toMatchObject({ kind: "step_up", toMode: "flag_on_exception", confidenceThreshold: expect.any(Number) });
      expect(r.stats.decided).toBeGreaterThanOrEqual(500);
      expect(r.stats.acceptance).toBeGreaterThanOrEqual(0.98);
      expect(r.stats.interval!.lower).toBeGreaterThanOrEqual(0.96);
      expect(r.days).toBeGreaterThanOrEqual(28);
      expect(r.threshold).toMatchObject({ threshold: expect.any(Number), decided: expect.any(Number) });
      expect(r.sentence).toMatch(/^Ready: .* Step to flag-on-exception at confidence ≥ 0\.\d/);
    });

    it("crm.contact.update is short of decisions only", () => {
      expect(missing("crm.contact.update")).toEqual(["decisions"]);
      expect(readiness["crm.contact.update"].stats.decided).toBeGreaterThanOrEqual(400);
      expect(readiness["crm.contact.update"].sentence).toMatch(/^Not yet: \d+ \/ 500 decisions\.$/);
    });

    it("email.reply.send is below target", () => {
      expect(missing("email.reply.send")).toEqual(["acceptance", "lowerBound"]);
      expect(blockedBy("email.reply.send")).toEqual([]);
      expect(readiness["email.reply.send"].stats.decided).toBeGreaterThanOrEqual(500);
    });

    it("ehr.note.write is blocked by its PHI (and irreversible) floor", () => {
      expect(blockedBy("ehr.note.write")).toEqual(["irreversible", "phi"]);
      expect(readiness["ehr.note.write"].sentence).toBe("Blocked: irreversible, PHI write — a person always approves first.");
    });

    it("supplies.order.place is blocked by its amount limit, and by nothing else", async () => {
      const summary = summaries.find((s) => s.taskType.key === "supplies.order.place")!;
      const [direct] = await queryRows<{ over: number; items: number }>(
        db,
        sql`select count(*) filter (where r.amount_value > 1000)::int as over, count(*)::int as items
            from reviews r join task_types t on t.id = r.task_type_id
            where r.organization_id = ${organizationId} and t.key = 'supplies.order.place'`,
      );
      expect(summary.shareOverAmountLimit).toBeCloseTo(direct.over / direct.items, 10);
      expect(summary.shareOverAmountLimit).toBeGreaterThanOrEqual(0.5);
      expect(missing("supplies.order.place")).toEqual(["floors"]);
      expect(blockedBy("supplies.order.place")).toEqual(["amount"]);
      expect(readiness["supplies.order.place"].sentence).toMatch(/^Blocked: \d+\.\d% of items are over 1000\.00 USD and always go to a person/);
      // refund.issue has a limit too, but few refunds are over it: it isn't blocked, only below target.
      expect(summaries.find((s) => s.taskType.key === "refund.issue")!.shareOverAmountLimit).toBeLessThan(0.1);
      expect(blockedBy("refund.issue")).toEqual([]);
      expect(missing("refund.issue")).toEqual(["acceptance", "lowerBound"]);
      for (const s of summaries) if (s.taskType.amountLimit === null) expect(s.shareOverAmountLimit).toBeNull();
    });

    it("route.adjust runs in flag_on_exception with healthy audits", () => {
      const r = readiness["route.adjust"];
      expect(r.recommendation).toEqual({ kind: "none" });
      expect(r.stats.decided).toBeGreaterThanOrEqual(30);
      expect(r.stats.acceptance).toBeGreaterThanOrEqual(0.98);
      expect(r.sentence).toMatch(/^Healthy: /);
    });

    it("delivery.reschedule is regressing and recommended to step back", () => {
      const r = readiness["delivery.reschedule"];
      expect(r.recommendation).toEqual({ kind: "step_down", toMode: "review_after_draft", reason: "below_target" });
      expect(r.stats.decided).toBeGreaterThanOrEqual(30);
      expect(r.stats.interval!.upper).toBeLessThan(0.98);
      expect(r.sentence).toMatch(/^Step back to review-after-draft: /);
    });

    it("judges the flag-on-exception types on the last 14 days, says 'Blocked' for floors, and warns of ticket.tag's rubber stamp", () => {
      for (const key of ["route.adjust", "delivery.reschedule"]) expect(readiness[key].window).toMatchObject({ kind: "recent", days: 14, label: "in the last 14 days" });
      expect(readiness["route.adjust"].status.word).toBe("Healthy");
      expect(readiness["delivery.reschedule"].status.word).toBe("Should step back");
      expect(readiness["ehr.note.write"].status.word).toBe("Blocked");
      expect(readiness["supplies.order.place"].status.word).toBe("Blocked");
      expect(readiness["ticket.tag"].status.word).toBe("Ready to step up");
      expect(readiness["ticket.tag"].rubberStamp).toMatchObject({ reviewers: 1, excluded: false });
      expect(readiness["ticket.tag"].rubberStamp?.sentence).toMatch(/^1 reviewer's approvals look rubber-stamped: \d+% of this type's acceptances\.$/);
      for (const key of Object.keys(readiness).filter((k) => k !== "ticket.tag")) expect(readiness[key].rubberStamp).toBeNull();
    });
  });

  it("shows one rubber stamp in the reviewers view (its default 28 days): Jordan Lee on ticket tags, and nobody else", async () => {
    const manager = await scopeOf(db, userIds["manager@acme.test"]);
    const rows = reviewerRows(await reviewerTotals(db, manager, { from: "2025-02-13", to: "2025-03-12" }), 5);
    const flagged = rows.filter((r) => r.signal.atRisk);
    expect(flagged.map((r) => [r.email, r.taskTypeKey])).toEqual([["jordan.lee@acme.test", "ticket.tag"]]);
    expect(flagged[0].signal.fastShare).toBeGreaterThan(0.6);
    // Everyone else's quick approvals are the occasional one, not a habit.
    for (const r of rows.filter((r) => !r.signal.atRisk && r.signal.approvals >= 20)) expect(r.signal.fastShare).toBeLessThan(0.1);
  });

  it("leaves a queue of fresh pending work, some of it past its SLA", async () => {
    const pending = await db
      .select({ createdAt: reviews.createdAt, slaDueAt: reviews.slaDueAt, claimedBy: reviews.claimedBy, needsHuman: reviews.needsHuman, blocking: reviews.blocking, taskTypeId: reviews.taskTypeId, version: reviews.version })
      .from(reviews)
      .where(and(eq(reviews.organizationId, organizationId), eq(reviews.status, "pending")));
    expect(pending.length).toBeGreaterThanOrEqual(10);
    expect(pending.length).toBeLessThanOrEqual(20);
    for (const p of pending) {
      expect(p.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(p.createdAt.getTime()).toBeGreaterThan(NOW.getTime() - 4 * 3600 * 1000);
      expect(p).toMatchObject({ claimedBy: null, needsHuman: true, blocking: true, version: 1 });
    }
    expect(new Set(pending.map((p) => p.taskTypeId)).size).toBe(8);
    expect(pending.filter((p) => p.slaDueAt! < NOW).length).toBeGreaterThanOrEqual(2);
  });

  it("records an audit chain that verifies", async () => {
    const admin = await scopeOf(db, userIds["admin@acme.test"]);
    expect(await linkAndVerifyAudit(db, admin)).toMatchObject({ ok: true, entries: 4 });
    const entries = await listAuditEntries(db, admin);
    expect(entries.map((e) => e.action)).toEqual(["task_type.mode_changed", "task_type.mode_changed", "api_key.created", "organization.created"]);
    // Newest first: route.adjust (20 days ago) after delivery.reschedule (26 days ago).
    expect(entries[0].data).toMatchObject({ key: "route.adjust", before: { mode: "review_after_draft" }, after: { mode: "flag_on_exception" } });
    expect(entries[1].data).toMatchObject({ key: "delivery.reschedule", before: { mode: "review_after_draft" }, after: { mode: "flag_on_exception" }, effectiveAt: new Date(TODAY - 26 * DAY).toISOString() });
    expect(entries[2].data).toEqual({ name: "Demo agent", prefix: "cs_live_demo", scopes: ["reviews:write", "reviews:read"], source: "demo seed" });
  });

  it("gives the demo agent a working key with both scopes, stored only as a hash", async () => {
    const admin = await scopeOf(db, userIds["admin@acme.test"]);
    const keys = await listApiKeys(db, admin);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ name: "Demo agent", prefix: "cs_live_demo", scopes: ["reviews:write", "reviews:read"], revokedAt: null, createdByName: "Avery Admin" });
    // It submitted the history: last used with the newest item, and every review names it.
    const [{ newest }] = await queryRows<{ newest: string }>(db, sql`select max(created_at) as newest from reviews where organization_id = ${organizationId}`);
    expect(keys[0].lastUsedAt?.getTime()).toBe(new Date(newest).getTime());
    const [{ unattributed }] = await queryRows<{ unattributed: number }>(
      db,
      sql`select count(*)::int as unattributed from reviews where organization_id = ${organizationId} and api_key_id is distinct from ${keys[0].id}`,
    );
    expect(unattributed).toBe(0);

    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.id, keys[0].id));
    expect(stored.hash).toBe(sha256Hex(DEMO_API_KEY));
    expect(JSON.stringify(stored)).not.toContain(DEMO_API_KEY.slice(12));
    expect(await authenticateApiKey(db, DEMO_API_KEY)).toEqual({ keyId: keys[0].id, organizationId, scopes: ["reviews:write", "reviews:read"], name: "Demo agent" });
  });

  it("stores the demo webhook secret encrypted", async () => {
    const [org] = await db.select({ sealed: organizations.webhookSecretEncrypted }).from(organizations).where(eq(organizations.id, organizationId));
    expect(org.sealed).toMatch(/^v1\./);
    expect(decryptSecret(org.sealed!)).toBe(DEMO_WEBHOOK_SECRET);
    expect(org.sealed).not.toContain(DEMO_WEBHOOK_SECRET.slice(6));
    expect(org.sealed).not.toContain("whsec_");
  });

  it("uses DEMO_API_KEY and DEMO_WEBHOOK_SECRET when set, and refuses malformed ones clearly", async () => {
    expect(DEMO_API_KEY).toBe("cs_live_demo_countersign_acme_0000000000000000");
    expect(Buffer.from(DEMO_WEBHOOK_SECRET.slice(6), "base64")).toHaveLength(32);
    expect(demoApiKey(undefined)).toBe(DEMO_API_KEY);
    expect(demoApiKey("cs_live_e2e_demo_key_0123456789abcdefghijklmnopqrstuv")).toBe("cs_live_e2e_demo_key_0123456789abcdefghijklmnopqrstuv");
    for (const bad of ["secret", "cs_live_short", `cs_test_${"a".repeat(40)}`, `cs_live_${"a".repeat(40)}!`]) expect(() => demoApiKey(bad)).toThrow(/DEMO_API_KEY must be `cs_live_`/);
    expect(demoWebhookSecret(undefined)).toBe(DEMO_WEBHOOK_SECRET);
    for (const good of ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", `whsec_${Buffer.alloc(32, 7).toString("base64")}`]) expect(demoWebhookSecret(good)).toBe(good);
    for (const bad of ["whsec_c2hvcnQ=", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw!", "whsec_MfKQ9r8G-KYqrTwjUPD8ILPZIo2LaLaSw"]) {
      expect(() => demoWebhookSecret(bad)).toThrow(/DEMO_WEBHOOK_SECRET must be `whsec_`/);
    }
    // Checked even when the demo organization exists, so a mistyped value never goes unnoticed.
    await expect(seedDemo(db, { apiKey: "not-a-key", passwordHash: "unused" })).rejects.toThrow(/DEMO_API_KEY/);
    await expect(seedDemo(db, { webhookSecret: "whsec_short", passwordHash: "unused" })).rejects.toThrow(/DEMO_WEBHOOK_SECRET/);
  });

  it("does nothing the second time", async () => {
    const before = await rowCounts(db);
    expect(before.reviews).toBeGreaterThan(3000);
    const again = await seedDemo(db, { now: new Date(NOW.getTime() + DAY), passwordHash: "unused" });
    expect(again).toEqual({ created: false, organizationId });
    expect(await rowCounts(db)).toEqual(before);
    const memberCount = await db.select({ n: count() }).from(memberships).where(eq(memberships.organizationId, organizationId));
    expect(memberCount[0].n).toBe(7);
  });
});
