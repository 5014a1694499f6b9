import { describe, expect, it, vi } from "vitest";
import { actionHashOf } from "./action-hash";
import { countersignToolApproval, gateTool } from "./ai-sdk";
import { createCountersignClient, idempotencyKeyFor, requestApproval, type Review } from "./index";
import { submissionFor, taskTypeKeyOf } from "./mapping";
import { resolveInterruptions } from "./openai-agents";

const ID = "0b6f3c1e-8d2a-4f57-9c1b-2e4d6a8b0c13";

function review(overrides: Partial<Review> = {}): Review {
  return {
    id: ID, status: "pending", mode: "approve_before_action", taskType: "refund.issue", title: null, action: { orderId: "A-1", amount: 35 }, draft: null,
    context: null, confidence: null, amount: null, attributes: {}, priority: "normal", externalId: null, callbackUrl: null, revisionOf: null,
    routing: { needsHuman: true, blocking: true, reasons: [] }, createdAt: "2025-01-01T00:00:00.000Z", expiresAt: null, decidedAt: null, decision: null,
    ...overrides,
  };
}
const decided = (status: Review["status"], outcome: string, action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  review({ status, decision: { outcome, action, draft: null, reason: null, note: null, reviewer: { name: "Rita", email: "r@x.test" }, decidedAt: "2025-01-01T00:01:00.000Z", actionHash: actionHashOf(action), ...extra } });

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function clientAnswering(...answers: Response[]) {
  const calls: Array<{ url: string; method: string; headers: Headers }> = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers) });
    const next = answers.shift();
    if (!next) throw new Error("unexpected request");
    return next;
  });
  return { client: createCountersignClient({ baseUrl: "http://cs.test", apiKey: "k", fetch: fetch as unknown as typeof globalThis.fetch }), calls };
}

describe("requestApproval", () => {
  it("keys the submission by the call id, waits across long polls, and answers the edited action", async () => {
    const edited = { orderId: "A-1", amount: 30 };
    const { client, calls } = clientAnswering(json(review(), 201), json(review()), json(decided("approved", "edited", edited)));
    const result = await requestApproval(client, { taskType: "refund.issue", action: { orderId: "A-1", amount: 35 } }, { callId: "call-1" });
    expect(result).toMatchObject({ approved: true, action: edited, actionHash: actionHashOf(edited), edited: true, outcome: "edited" });
    expect(calls[0].headers.get("idempotency-key")).toBe(idempotencyKeyFor("call-1"));
    expect(idempotencyKeyFor("call-1")).toBe(idempotencyKeyFor("call-1"));
    expect(calls.slice(1).map((c) => new URL(c.url).searchParams.get("wait"))).toEqual(["30", "30"]);
  });

  it("answers an auto-approval at once, without waiting", async () => {
    const { client, calls } = clientAnswering(json(decided("approved", "auto_approved", { a: 1 }), 201));
    expect(await requestApproval(client, { taskType: "t", action: { a: 1 } }, { callId: "c" })).toMatchObject({ approved: true, outcome: "auto_approved" });
    expect(calls).toHaveLength(1);
  });

  it("treats every other end as a refusal with the reviewer's words, changes requests included", async () => {
    const changes = decided("rejected", "changes_requested", { a: 1 }, { reason: null, instruction: "Split it in two refunds." });
    const { client } = clientAnswering(json(changes, 201));
    const result = await requestApproval(client, { taskType: "t", action: { a: 1 } }, { callId: "c" });
    expect(result).toMatchObject({ approved: false, outcome: "changes_requested" });
    expect(!result.approved && result.reason).toContain("Split it in two refunds.");
    for (const status of ["expired", "cancelled"] as const) {
      const { client: c } = clientAnswering(json(review({ status }), 201));
      expect(await requestApproval(c, { taskType: "t", action: { a: 1 } }, { callId: "c" })).toMatchObject({ approved: false, outcome: status });
    }
  });

  it("refuses an action that doesn't match its hash", async () => {
    const tampered = decided("approved", "approved", { a: 1 });
    tampered.decision!.action = { a: 2 };
    const { client } = clientAnswering(json(tampered, 201));
    await expect(requestApproval(client, { taskType: "t", action: { a: 1 } }, { callId: "c" })).rejects.toThrow(/actionHash/);
  });

  it("withdraws the review at the deadline, unless it was decided meanwhile", async () => {
    const { client, calls } = clientAnswering(json(review(), 201), json(review()), json(review({ status: "cancelled" })));
    expect(await requestApproval(client, { taskType: "t", action: { a: 1 } }, { callId: "c", timeoutSeconds: 0 })).toMatchObject({ approved: false, outcome: "cancelled" });
    expect(calls[2]).toMatchObject({ method: "POST" });
    expect(calls[2].url).toMatch(/\/cancel$/);
  });
});

describe("mappings and adapters", () => {
  it("default to the tool's name as task type and its arguments as action", () => {
    expect(taskTypeKeyOf("issueRefund")).toBe("issue_refund");
    expect(submissionFor("issueRefund", { orderId: "A" })).toEqual({ taskType: "issue_refund", action: { orderId: "A" } });
    expect(submissionFor("x", { n: 2 }, { taskType: "t", title: (a) => `N ${a.n}`, confidence: 0.5, priority: "low" })).toEqual({ taskType: "t", action: { n: 2 }, title: "N 2", confidence: 0.5, priority: "low" });
  });

  it("AI SDK: the tool never runs on a refusal, whose reason is the result", async () => {
    const rejected = decided("rejected", "rejected", { a: 1 }, { reason: "incorrect", note: "Wrong order." });
    const { client } = clientAnswering(json(rejected, 201));
    const execute = vi.fn(async () => "ran");
    const tool = { execute: execute as (input: { a: number }, options: { toolCallId: string }) => Promise<string> };
    const out = await gateTool(client, "refund", tool).execute({ a: 1 }, { toolCallId: "t1" });
    expect(execute).not.toHaveBeenCalled();
    expect(out).toContain("Wrong order.");
  });

  it("AI SDK toolApproval: approved or denied with the reason; tools without a mapping are left alone", async () => {
    const { client } = clientAnswering(json(decided("approved", "approved", { a: 1 }), 201), json(decided("rejected", "rejected", { a: 2 }, { reason: "duplicate" }), 201));
    const approval = countersignToolApproval(client, { refund: true });
    expect(await approval({ toolCall: { toolName: "refund", toolCallId: "t1", input: { a: 1 } } })).toMatchObject({ type: "approved" });
    const denied = await approval({ toolCall: { toolName: "refund", toolCallId: "t2", input: { a: 2 } } });
    expect(denied).toMatchObject({ type: "denied" });
    expect(denied?.reason).toContain("duplicate");
    expect(await approval({ toolCall: { toolName: "search", toolCallId: "t3", input: {} } })).toBeUndefined();
  });

  it("OpenAI Agents: approve, reject with the reason, and an edit as a message whose exact call is then approved", async () => {
    const edit = { orderId: "A-1", amount: 30 };
    const { client } = clientAnswering(json(decided("approved", "edited", edit), 201));
    const state = { approve: vi.fn(), reject: vi.fn() };
    const item = { name: "issue_refund", arguments: JSON.stringify({ orderId: "A-1", amount: 35 }), rawItem: { callId: "c1" } };
    const approvedEdits = new Set<string>();
    await resolveInterruptions(client, { interruptions: [item], state }, { approvedEdits });
    expect(state.approve).not.toHaveBeenCalled();
    expect(state.reject.mock.calls[0][1].message).toContain(JSON.stringify(edit));
    const again = { name: "issue_refund", arguments: JSON.stringify(edit), rawItem: { callId: "c2" } };
    await resolveInterruptions(client, { interruptions: [again], state }, { approvedEdits }); // no request: the client has no answers left
    expect(state.approve).toHaveBeenCalledWith(again);
  });
});
