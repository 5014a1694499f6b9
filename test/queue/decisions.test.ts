import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, DbHandle } from "@/db/client";
import { decideReview } from "@/db/queries/decisions";
import { claimItem } from "@/db/queries/queue";
import { reviewResource } from "@/db/queries/reviews";
import { auditLog, decisions, reviews, webhookDeliveries, webhookEndpoints, type Decision } from "@/db/schema";
import { canonicalJson } from "@/lib/data/canonical-json";
import { encryptSecret, newWebhookSecret } from "@/lib/security/crypto";
import { fieldErrorsFrom } from "@/lib/errors";
import { channelForReviews, type ReviewEvent } from "@/db/notify";
import { ApproveInput, DecisionInput, EditInput, RejectInput } from "@/lib/validation/queue";
import { expectAppError } from "@/test/fixtures";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, member, submit, type Member, type World } from "./world";

/**
 * What a decision writes, and what it refuses to: fields a crafted form adds are dropped by the
 * schemas and never reach a row; an "edit" must change something; the API, the audit log, the
 * webhook outbox and the live queue all hear about the decision from the same transaction.
 */

// Callback targets (nothing is sent: no worker runs here); loopback is refused unless allow-listed.
process.env.WEBHOOK_ALLOWLIST = "localhost:443";
const HOOK = "https://localhost/hook";

let handle: DbHandle;
let db: Db;
let dispose: () => Promise<void>;
let world: World;
let other: World;
let rita: Member;
let intruder: Member;

const proposal = { orderId: "A-1001", amount: 120, reason: "damaged", lines: [{ sku: "X1", qty: 1 }] };
const draft = "Dear customer,\nyour refund is on its way.";

beforeAll(async () => {
  const t = await createTestDb();
  handle = t.handle;
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Decide", ["Ops"]);
  other = await createWorld(db, "Elsewhere", ["Ops"]);
  await createTaskType(db, world, { key: "refund.issue", space: "Ops", mode: "approve_before_action" });
  await createTaskType(db, world, { key: "audit.me", space: "Ops", mode: "flag_on_exception", auditSampleRate: 1, confidenceThreshold: 0.5 });
  rita = await member(db, world, "reviewer", ["Ops"], "Rita Reviewer");
  intruder = await member(db, other, "admin", ["Ops"], "Ian Intruder");
});
afterAll(async () => dispose?.());

async function newItem(extra: { callbackUrl?: string; draft?: string } = {}) {
  const r = await submit(db, world, { taskType: "refund.issue", title: "Refund A-1001", action: proposal, ...extra });
  const claim = (await claimItem(db, rita.scope, r.id, { leaseMinutes: 10 }))!;
  return { id: r.id, version: claim.version };
}

async function decisionsOf(reviewId: string): Promise<Decision[]> {
  return db.select().from(decisions).where(eq(decisions.reviewId, reviewId)).orderBy(asc(decisions.createdAt));
}

async function reviewRow(reviewId: string) {
  const [r] = await db.select().from(reviews).where(eq(reviews.id, reviewId));
  return r;
}

/** What a browser posts: every value a string, plus whatever a crafted form adds. */
function form(fields: Record<string, string | number>): Record<string, unknown> {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, String(v));
  return Object.fromEntries(data);
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("mass assignment", () => {
  const smuggled = (id: string) => ({
    status: "rejected",
    decidedBy: intruder.userId,
    reviewerId: intruder.userId,
    organizationId: other.organizationId,
    workspaceId: other.spaces.Ops,
    final: "false",
    decidedAt: "2020-01-01T00:00:00Z",
    actionHash: "0".repeat(64),
    id,
  });

  it("drops every field the schemas don't name, for each outcome", () => {
    const id = "0b5c0a3e-8f2a-4a57-9d0e-6f1f7a1d2c3b";
    const approve = DecisionInput.parse(form({ outcome: "approved", reviewId: id, version: "3", timeOnItemMs: "1500", reason: "incorrect", action: '{"amount":1}', draft: "x", ...smuggled(id) }));
    expect(approve).toEqual({ outcome: "approved", reviewId: id, version: 3, timeOnItemMs: 1500 });
    const reject = DecisionInput.parse(form({ outcome: "rejected", reviewId: id, version: "3", timeOnItemMs: "9", reason: "duplicate", note: " dup ", action: '{"amount":1}', ...smuggled(id) }));
    expect(reject).toEqual({ outcome: "rejected", reviewId: id, version: 3, timeOnItemMs: 9, reason: "duplicate", note: "dup" });
    const edit = DecisionInput.parse(form({ outcome: "edited", reviewId: id, version: "3", timeOnItemMs: "9", action: '{"amount":1}', reason: "incorrect", ...smuggled(id) }));
    expect(edit).toEqual({ outcome: "edited", reviewId: id, version: 3, timeOnItemMs: 9, action: { amount: 1 } });
    for (const schema of [ApproveInput, EditInput, RejectInput]) {
      const parsed = schema.safeParse(form({ reviewId: id, version: "1", timeOnItemMs: "1", reason: "other", ...smuggled(id) }));
      expect(parsed.success).toBe(true);
      for (const key of Object.keys(smuggled(id))) expect(parsed.data).not.toHaveProperty(key);
    }
  });

  it("refuses an outcome that isn't one a person can give, or that lacks what it needs", () => {
    const base = { reviewId: "0b5c0a3e-8f2a-4a57-9d0e-6f1f7a1d2c3b", version: "1", timeOnItemMs: "1" };
    for (const outcome of ["auto_approved", "APPROVED", "", "expired"]) expect(DecisionInput.safeParse(form({ ...base, outcome })).success).toBe(false);
    expect(DecisionInput.safeParse(form(base)).success).toBe(false);
    expect(DecisionInput.safeParse(form({ ...base, outcome: "rejected" })).success).toBe(false);
    expect(DecisionInput.safeParse(form({ ...base, outcome: "approved", version: "0" })).success).toBe(false);
    expect(DecisionInput.safeParse(form({ ...base, outcome: "approved", reviewId: "1 or 1=1" })).success).toBe(false);
  });

  it("writes only what the parsed decision and the scope say, whatever the form carried", async () => {
    const { id, version } = await newItem({ draft });
    const input = DecisionInput.parse(
      form({ outcome: "approved", reviewId: id, version, timeOnItemMs: "2500", reason: "incorrect", note: "looks right", action: '{"amount":99999}', draft: "hijacked", ...smuggled(id) }),
    );
    await decideReview(db, rita.scope, input);
    const r = await reviewRow(id);
    expect(r).toMatchObject({ organizationId: world.organizationId, workspaceId: world.spaces.Ops, status: "approved", action: proposal, draft });
    const [d] = await decisionsOf(id);
    expect(d).toMatchObject({
      organizationId: world.organizationId,
      outcome: "approved",
      final: true,
      reviewerId: rita.userId,
      action: proposal,
      draft,
      reason: null,
      note: "looks right",
      timeOnItemMs: 2500,
      actionHash: sha256(canonicalJson(proposal)),
    });
    expect(d.createdAt.getFullYear()).toBeGreaterThan(2020);
  });

  it("ignores the same fields even when they reach the domain function unparsed", async () => {
    const { id, version } = await newItem();
    const raw = { outcome: "approved", reviewId: id, version, timeOnItemMs: 10, reason: "incorrect", action: { amount: 1 }, ...smuggled(id), final: false };
    await decideReview(db, rita.scope, raw as unknown as DecisionInput);
    expect(await reviewRow(id)).toMatchObject({ organizationId: world.organizationId, status: "approved", action: proposal });
    const [d] = await decisionsOf(id);
    expect(d).toMatchObject({ reviewerId: rita.userId, organizationId: world.organizationId, final: true, action: proposal, reason: null });
    expect(d.actionHash).not.toBe("0".repeat(64));
  });

  it("can't be pointed at another organization's item by naming that organization", async () => {
    const theirs = await submit(db, other, { taskType: "refund.issue", action: proposal });
    const raw = { outcome: "approved", reviewId: theirs.id, version: 1, timeOnItemMs: 1, organizationId: other.organizationId };
    await expectAppError(decideReview(db, rita.scope, raw as DecisionInput), "not_found");
    expect(await reviewRow(theirs.id)).toMatchObject({ status: "pending", reviewedAt: null, version: 1 });
    expect(await decisionsOf(theirs.id)).toEqual([]);
  });
});

describe("edit, reject and what a decision announces", () => {
  it("refuses an edit that changes nothing, including a reordered action and CRLF line breaks, and writes nothing", async () => {
    const { id, version } = await newItem({ draft });
    const reordered = JSON.stringify({ lines: [{ qty: 1, sku: "X1" }], reason: "damaged", amount: 120, orderId: "A-1001" });
    const sameDraft = EditInput.parse(form({ reviewId: id, version, timeOnItemMs: "1", action: reordered, draft: draft.replace(/\n/g, "\r\n") }));
    for (const edit of [sameDraft, { reviewId: id, version, timeOnItemMs: 1 }, { reviewId: id, version, timeOnItemMs: 1, action: { ...proposal } }]) {
      const error = await expectAppError(decideReview(db, rita.scope, { ...edit, outcome: "edited" }), "invalid");
      expect(error.message).toMatch(/Nothing was changed/);
    }
    const r = await reviewRow(id);
    expect(r).toMatchObject({ status: "pending", version, claimedBy: rita.userId, reviewedAt: null });
    expect(await decisionsOf(id)).toEqual([]);
  });

  it("stores an edited action with its hash, and the API reports the edit", async () => {
    const { id, version } = await newItem({ callbackUrl: HOOK });
    const edited = { ...proposal, amount: 80, reason: "partial refund" };
    const input = DecisionInput.parse(form({ outcome: "edited", reviewId: id, version, timeOnItemMs: "4200", action: JSON.stringify(edited), note: "Only one item was damaged" }));
    const result = await decideReview(db, rita.scope, input);
    expect(result).toEqual({ reviewId: id, status: "approved", outcome: "edited", auditSample: false });

    const [d] = await decisionsOf(id);
    expect(d).toMatchObject({ outcome: "edited", final: true, action: edited, draft: null, reviewerId: rita.userId, timeOnItemMs: 4200, note: "Only one item was damaged" });
    expect(d.actionHash).toBe(sha256(canonicalJson(edited)));
    expect(d.actionHash).not.toBe(sha256(canonicalJson(proposal)));
    // The proposal stays as the agent sent it; the decision carries what to execute.
    expect(await reviewRow(id)).toMatchObject({ status: "approved", action: proposal, claimedBy: null, leaseExpiresAt: null, version: version + 1 });

    const resource = (await reviewResource(db, world.organizationId, id))!;
    expect(resource.status).toBe("approved");
    expect(resource.decidedAt).not.toBeNull();
    expect(resource.decision).toMatchObject({ outcome: "edited", action: edited, actionHash: d.actionHash, note: "Only one item was damaged", reviewer: { name: rita.name, email: rita.email } });
    // Another organization can't read it back.
    expect(await reviewResource(db, other.organizationId, id)).toBeNull();

    // The agent's callback gets review.decided carrying the same resource.
    const hooks = await db
      .select({ url: webhookDeliveries.url, event: webhookDeliveries.event, payload: webhookDeliveries.payload, status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, world.organizationId), eq(webhookDeliveries.event, "review.decided"), sql`${webhookDeliveries.payload}->>'reviewId' = ${id}`));
    expect(hooks).toHaveLength(1);
    expect(hooks[0]).toMatchObject({ url: HOOK, status: "pending" });
    const body = JSON.parse((hooks[0].payload as { body: string }).body);
    expect(body).toMatchObject({ type: "review.decided", data: { review: { id, status: "approved", decision: { outcome: "edited", action: edited, actionHash: d.actionHash } } } });

    const audit = await db
      .select({ action: auditLog.action, actorUserId: auditLog.actorUserId, data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "review.decided")));
    expect(audit).toEqual([{ action: "review.decided", actorUserId: rita.userId, data: { outcome: "edited", reason: null, timeOnItemMs: 4200 } }]);
  });

  it("stores an edited draft with line breaks normalized and the action unchanged", async () => {
    const { id, version } = await newItem({ draft });
    const input = DecisionInput.parse(form({ outcome: "edited", reviewId: id, version, timeOnItemMs: "1", draft: "Dear customer,\r\nyour refund of $120 is on its way." }));
    await decideReview(db, rita.scope, input);
    const [d] = await decisionsOf(id);
    expect(d).toMatchObject({ outcome: "edited", action: proposal, draft: "Dear customer,\nyour refund of $120 is on its way.", actionHash: sha256(canonicalJson(proposal)) });
    expect((await reviewResource(db, world.organizationId, id))!.decision).toMatchObject({ outcome: "edited", draft: d.draft });
  });

  it("refuses an edited action that isn't a JSON object", () => {
    const base = { outcome: "edited", reviewId: "0b5c0a3e-8f2a-4a57-9d0e-6f1f7a1d2c3b", version: "1", timeOnItemMs: "1" };
    for (const action of ["[1,2]", "42", "null", "{not json", '"text"']) {
      const parsed = DecisionInput.safeParse(form({ ...base, action }));
      expect(parsed.success).toBe(false);
      expect(fieldErrorsFrom(parsed.error!.issues).action?.[0]).toMatch(/JSON object/);
    }
  });

  it("requires a known reason to reject, and records reason and note", async () => {
    const { id, version } = await newItem({ callbackUrl: HOOK });
    const missing = RejectInput.safeParse(form({ reviewId: id, version, timeOnItemMs: "1", note: "no" }));
    expect(missing.success).toBe(false);
    expect(fieldErrorsFrom(missing.error!.issues).reason).toEqual(["Choose a reason"]);
    expect(RejectInput.safeParse(form({ reviewId: id, version, timeOnItemMs: "1", reason: "because" })).success).toBe(false);

    const input = DecisionInput.parse(form({ outcome: "rejected", reviewId: id, version, timeOnItemMs: "700", reason: "insufficient_evidence", note: "Attach the photo" }));
    await expect(decideReview(db, rita.scope, input)).resolves.toMatchObject({ status: "rejected", outcome: "rejected" });
    const [d] = await decisionsOf(id);
    expect(d).toMatchObject({ outcome: "rejected", reason: "insufficient_evidence", note: "Attach the photo", action: proposal, final: true });
    expect((await reviewResource(db, world.organizationId, id))).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "insufficient_evidence" } });
    const [audit] = await db.select({ data: auditLog.data }).from(auditLog).where(and(eq(auditLog.targetId, id), eq(auditLog.action, "review.decided")));
    expect(audit.data).toEqual({ outcome: "rejected", reason: "insufficient_evidence", timeOnItemMs: 700 });
    const [hooks] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.event, "review.decided"), sql`${webhookDeliveries.payload}->>'reviewId' = ${id}`));
    expect(hooks.n).toBe(1);
  });

  it("queues review.decided for every subscribed endpoint of the organization too, and nothing for another's", async () => {
    await db.insert(webhookEndpoints).values([
      { organizationId: world.organizationId, url: "https://localhost/org-hook", events: ["review.decided"], secretEncrypted: encryptSecret(newWebhookSecret()) },
      { organizationId: world.organizationId, url: "https://localhost/created-only", events: ["review.created"], secretEncrypted: encryptSecret(newWebhookSecret()) },
      { organizationId: other.organizationId, url: "https://localhost/other-org", events: ["review.decided"], secretEncrypted: encryptSecret(newWebhookSecret()) },
    ]);
    try {
      const { id, version } = await newItem({ callbackUrl: HOOK });
      await decideReview(db, rita.scope, { outcome: "approved", reviewId: id, version, timeOnItemMs: 1 });
      const urls = await db
        .select({ url: webhookDeliveries.url })
        .from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.event, "review.decided"), sql`${webhookDeliveries.payload}->>'reviewId' = ${id}`));
      expect(urls.map((u) => u.url).sort()).toEqual([HOOK, "https://localhost/org-hook"]);
    } finally {
      await db.delete(webhookEndpoints);
    }
  });

  it("records an audit review of a sampled auto-approval without changing what the agent was told", async () => {
    const sampled = await submit(db, world, { taskType: "audit.me", title: "Sampled", action: proposal, confidence: 0.99, callbackUrl: HOOK });
    expect(sampled).toMatchObject({ status: "approved", routing: { needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] } });
    const before = (await reviewResource(db, world.organizationId, sampled.id))!;
    const claim = (await claimItem(db, rita.scope, sampled.id, { leaseMinutes: 10 }))!;
    const result = await decideReview(db, rita.scope, { outcome: "rejected", reviewId: sampled.id, version: claim.version, timeOnItemMs: 3000, reason: "incorrect" });
    expect(result).toEqual({ reviewId: sampled.id, status: "approved", outcome: "rejected", auditSample: true });
    const rows = await decisionsOf(sampled.id);
    expect(rows.map((d) => [d.outcome, d.final, d.reviewerId])).toEqual([
      ["auto_approved", true, null],
      ["rejected", false, rita.userId],
    ]);
    const r = await reviewRow(sampled.id);
    expect(r.status).toBe("approved");
    expect(r.reviewedAt).not.toBeNull();
    expect(r.decidedAt).toEqual(before.decidedAt ? new Date(before.decidedAt) : null);
    expect((await reviewResource(db, world.organizationId, sampled.id))!.decision).toEqual(before.decision);
    const actions = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, sampled.id)).orderBy(asc(auditLog.id));
    expect(actions.map((a) => a.action)).toEqual(["review.submitted", "review.audited"]);
    // The agent heard "decided" once, at submission; the audit review sends nothing new.
    const [hooks] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.event, "review.decided"), sql`${webhookDeliveries.payload}->>'reviewId' = ${sampled.id}`));
    expect(hooks.n).toBe(1);
    // And it can't be audited twice.
    await expectAppError(decideReview(db, rita.scope, { outcome: "approved", reviewId: sampled.id, version: r.version, timeOnItemMs: 1 }), "conflict");
  });

  it("tells the live queue on commit, and says nothing about a refused decision", async () => {
    const events: ReviewEvent[] = [];
    let wake: () => void = () => {};
    const unlisten = await handle.listen(channelForReviews, (payload) => {
      events.push(JSON.parse(payload) as ReviewEvent);
      wake();
    });
    try {
      const refused = await newItem();
      const decided = await newItem();
      await expectAppError(decideReview(db, rita.scope, { outcome: "edited", reviewId: refused.id, version: refused.version, timeOnItemMs: 1 }), "invalid");
      const arrived = new Promise<void>((resolve) => (wake = () => events.some((e) => e.reviewId === decided.id && e.type === "decided") && resolve()));
      await decideReview(db, rita.scope, { outcome: "approved", reviewId: decided.id, version: decided.version, timeOnItemMs: 1 });
      await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error("no notification within 5 s")), 5_000))]);
      expect(events.filter((e) => e.reviewId === decided.id && e.type === "decided")).toEqual([{ organizationId: world.organizationId, reviewId: decided.id, status: "approved", type: "decided" }]);
      expect(events.filter((e) => e.reviewId === refused.id && e.type === "decided")).toEqual([]);
    } finally {
      await unlisten();
    }
  });
});
