import { describe, expect, it } from "vitest";
import type { ReviewResource } from "@/lib/validation/reviews";
import { guidanceFor, problemResult, taskTypesResult } from "./results";
import { problemFor } from "@/lib/api/problem";

const base: ReviewResource = {
  id: "0b6d3f8e-2f52-4f3a-9a8e-6d1b2c3d4e5f",
  status: "pending",
  mode: "approve_before_action",
  taskType: "refund.issue",
  title: "Refund",
  action: { orderId: "A-1", amount: 40 },
  draft: null,
  context: null,
  confidence: 0.9,
  amount: null,
  attributes: {},
  priority: "normal",
  externalId: null,
  callbackUrl: null,
  revisionOf: null,
  routing: { needsHuman: true, blocking: true, reasons: ["mode:approve_before_action"] },
  createdAt: "2026-01-01T00:00:00.000Z",
  expiresAt: null,
  decidedAt: null,
  decision: null,
};

const decided = (outcome: "approved" | "edited" | "rejected" | "auto_approved", extra: Partial<NonNullable<ReviewResource["decision"]>> = {}): ReviewResource => ({
  ...base,
  status: outcome === "rejected" ? "rejected" : "approved",
  decidedAt: "2026-01-01T00:05:00.000Z",
  decision: {
    outcome,
    instruction: null,
    approvals: [],
    action: { orderId: "A-1", amount: 35 },
    draft: null,
    reason: null,
    note: null,
    reviewer: outcome === "auto_approved" ? null : { name: "Riley Reviewer", email: "reviewer@acme.test" },
    decidedAt: "2026-01-01T00:05:00.000Z",
    actionHash: "ab".repeat(32),
    ...extra,
  },
});

describe("guidanceFor", () => {
  it("lets the agent proceed only when approved, always with the decision's action and its hash", () => {
    expect(guidanceFor(decided("auto_approved"))).toMatch(/^APPROVED automatically .*you may proceed now\. Execute exactly decision\.action\. .*abab/);
    expect(guidanceFor(decided("approved", { note: "Fine" }))).toMatch(/^APPROVED by Riley Reviewer \(reviewer@acme\.test\): you may proceed\..*Reviewer's note: "Fine"\.$/);
    expect(guidanceFor(decided("edited", { draft: "Hi" }))).toMatch(/^APPROVED WITH EDITS by Riley Reviewer .*decision\.action and send exactly decision\.draft, not what you proposed\./);
  });

  it("tells the agent not to act when rejected, expired, cancelled or still pending", () => {
    const rejected = guidanceFor(decided("rejected", { reason: "incorrect" }));
    expect(rejected).toMatch(/^REJECTED by Riley Reviewer .*: do not perform the action\. Reason: "incorrect"\./);
    expect(rejected).toContain(`revisionOf "${base.id}"`);
    expect(guidanceFor({ ...base, status: "expired" })).toMatch(/^EXPIRED: .*Do not perform the action/);
    expect(guidanceFor({ ...base, status: "cancelled" })).toMatch(/^CANCELLED: .*Do not perform the action/);
    const pending = guidanceFor({ ...base, expiresAt: "2026-01-02T00:00:00.000Z" });
    expect(pending).toMatch(/^PENDING: a person must decide before you act \(why: mode:approve_before_action\)\. Do not perform the action yet\./);
    expect(pending).toContain(`get_review with id "${base.id}"`);
    expect(pending).toContain("2026-01-02T00:00:00.000Z");
  });
});

describe("taskTypesResult", () => {
  it("describes each task type's mode and floors in a sentence, and says what an empty list means", () => {
    const result = taskTypesResult([
      { key: "refund.issue", name: "Refund", mode: "approve_before_action", classified: true, needsHumanByDefault: true, confidenceThreshold: 0.8, amountLimit: { value: 500, currency: "USD" }, amountPath: "action.amount", amountCurrencyPath: null, floors: ["amount"] },
      { key: "new.thing", name: "new.thing", mode: "flag_on_exception", classified: false, needsHumanByDefault: false, confidenceThreshold: 0.7, amountLimit: null, amountPath: null, amountCurrencyPath: null, floors: [] },
    ]);
    const [summary] = result.content;
    expect(summary).toMatchObject({ type: "text" });
    const text = (summary as { text: string }).text;
    expect(text).toContain("- refund.issue (approve_before_action): a person decides each item first; always a person first for amounts over 500 USD; reads each item's amount from action.amount (a top-level amount must match it)");
    expect(text).toContain("- new.thing (flag_on_exception): runs automatically unless confidence is under 0.7, a rule matches or you flag it; not yet classified by an admin");
    expect(taskTypesResult([]).content[0]).toMatchObject({ text: expect.stringContaining("registers it in approve_before_action") });
  });
});

describe("problemResult", () => {
  it("is a tool error carrying the problem's status, detail, field errors and retry time", () => {
    const result = problemResult(problemFor("invalid", "The submission has invalid fields.", { errors: { taskType: ["Use lowercase"], "amount.currency": ["Use an ISO 4217 code"] } }), "3");
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      { type: "text", text: "Invalid request (422): The submission has invalid fields. Retry after 3 seconds.\n- taskType: Use lowercase\n- amount.currency: Use an ISO 4217 code" },
    ]);
  });
});

describe("MCP waits", () => {
  it("wait up to 50 s by default, under the usual 60 s tool-call timeout, and say how to keep waiting", async () => {
    const { GetReviewArguments, RequestReviewArguments, DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS } = await import("./schemas");
    const { MCP_TOOLS } = await import("./tools");
    expect([DEFAULT_WAIT_SECONDS, MAX_WAIT_SECONDS]).toEqual([50, 50]);
    expect(GetReviewArguments.safeParse({ id: "x", waitSeconds: 50 }).success).toBe(true);
    expect(GetReviewArguments.safeParse({ id: "x", waitSeconds: 51 }).success).toBe(false);
    expect(RequestReviewArguments.safeParse({ taskType: "a", action: {}, waitSeconds: 51 }).success).toBe(false);
    expect(MCP_TOOLS.request_review.description).toContain("call get_review with the id again");
    expect(MCP_TOOLS.get_review.description).toContain("default and most 50");
  });
});
