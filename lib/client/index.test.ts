import { afterEach, describe, expect, it, vi } from "vitest";
import { actionHashOf } from "./action-hash";
import { approvedActionOf, CountersignError, createCountersignClient, type Review } from "./index";

const KEY = "cs_live_test_key";
const ID = "0b6f3c1e-8d2a-4f57-9c1b-2e4d6a8b0c13";

function review(overrides: Partial<Review> = {}): Review {
  return {
    id: ID,
    status: "pending",
    mode: "approve_before_action",
    taskType: "refund.issue",
    title: null,
    action: { orderId: "A-1", amount: 42 },
    draft: null,
    context: null,
    confidence: 0.9,
    amount: { value: 42, currency: "USD" },
    attributes: {},
    priority: "normal",
    externalId: null,
    callbackUrl: null,
    revisionOf: null,
    routing: { needsHuman: true, blocking: true, reasons: ["mode:approve_before_action"] },
    createdAt: "2025-01-01T00:00:00.000Z",
    expiresAt: null,
    decidedAt: null,
    decision: null,
    ...overrides,
  };
}

function approved(action: Record<string, unknown> = { orderId: "A-1", amount: 40 }): Review {
  return review({
    status: "approved",
    decidedAt: "2025-01-01T00:05:00.000Z",
    decision: { outcome: "edited", instruction: null, approvals: [], action, draft: null, reason: null, note: "Partial refund", reviewer: { name: "Rita", email: "rita@example.com" }, decidedAt: "2025-01-01T00:05:00.000Z", actionHash: actionHashOf(action) },
  });
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `https://countersign.dev/problems/${title.toLowerCase()}`, title, status, detail, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });

/** A fetch stub that answers from a queue and records each call's URL, method, headers and body. */
function stubFetch(...answers: Array<Response | (() => Response)>) {
  const calls: Array<{ url: string; method: string; headers: Headers; body: unknown }> = [];
  const fetch = vi.fn(async (input: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(input), method: init.method ?? "GET", headers: new Headers(init.headers), body: init.body ? JSON.parse(String(init.body)) : undefined });
    const next = answers.shift();
    if (!next) throw new Error("unexpected request");
    return typeof next === "function" ? next() : next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("createCountersignClient", () => {
  it("sends the key, JSON headers and an Idempotency-Key to /api/v1", async () => {
    const { fetch, calls } = stubFetch(json(review(), 201));
    const client = createCountersignClient({ baseUrl: "http://cs.test/", apiKey: KEY, fetch });
    const submission = { taskType: "refund.issue", action: { orderId: "A-1", amount: 42 }, amount: { value: 42, currency: "USD" } };

    const created = await client.submit(submission);

    expect(created.id).toBe(ID);
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe("http://cs.test/api/v1/reviews");
    expect(calls[0].method).toBe("POST");
    expect(calls[0].headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(calls[0].headers.get("content-type")).toBe("application/json");
    expect(calls[0].headers.get("accept")).toBe("application/json");
    expect(calls[0].headers.get("idempotency-key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0].body).toEqual(submission);
  });

  it("uses the caller's Idempotency-Key and accepts a base URL that already ends in /api/v1", async () => {
    const { fetch, calls } = stubFetch(json(review(), 201));
    const client = createCountersignClient({ baseUrl: "http://cs.test/api/v1", apiKey: KEY, fetch });
    await client.submit({ taskType: "refund.issue", action: {} }, { idempotencyKey: "order-A-1-refund" });
    expect(calls[0].url).toBe("http://cs.test/api/v1/reviews");
    expect(calls[0].headers.get("idempotency-key")).toBe("order-A-1-refund");
  });

  it("retries a 503 after its Retry-After with the same Idempotency-Key", async () => {
    vi.useFakeTimers();
    const { fetch, calls } = stubFetch(problem(503, "Unavailable", "The database is briefly unavailable.", {}, { "retry-after": "2" }), json(review(), 201));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });

    const pending = client.submit({ taskType: "refund.issue", action: { orderId: "A-1" } });
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toMatchObject({ id: ID });

    expect(calls).toHaveLength(2);
    const [first, second] = calls.map((c) => c.headers.get("idempotency-key"));
    expect(first).toBeTruthy();
    expect(second).toBe(first);
    expect(calls[1].body).toEqual(calls[0].body);
  });

  it("retries 429s a bounded number of times, then throws with Retry-After", async () => {
    vi.useFakeTimers();
    const limited = () => problem(429, "Too many requests", "Over the limit.", {}, { "retry-after": "1" });
    const { fetch, calls } = stubFetch(limited, limited, limited);
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch, maxRetries: 2 });

    const pending = client.listTaskTypes().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    const error = await pending;

    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(CountersignError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 1 });
  });

  it("doesn't wait out a Retry-After longer than maxRetryDelaySeconds", async () => {
    const { fetch, calls } = stubFetch(problem(429, "Too many requests", "Over the limit.", {}, { "retry-after": "120" }));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch, maxRetryDelaySeconds: 30 });
    await expect(client.get(ID)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 120 });
    expect(calls).toHaveLength(1);
  });

  it("surfaces problem+json as a CountersignError with its field errors", async () => {
    const errors = { confidence: ["Between 0 and 1"], "amount.currency": ["Use an ISO 4217 code such as USD"] };
    const { fetch, calls } = stubFetch(problem(422, "Invalid request", "The submission has invalid fields.", { errors, requestId: "req_1" }));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });

    const error = await client.submit({ taskType: "refund.issue", action: {}, confidence: 2 }).catch((e: unknown) => e);

    expect(calls).toHaveLength(1); // a 422 is not retried
    expect(error).toBeInstanceOf(CountersignError);
    const e = error as CountersignError;
    expect(e.status).toBe(422);
    expect(e.title).toBe("Invalid request");
    expect(e.detail).toBe("The submission has invalid fields.");
    expect(e.errors).toEqual(errors);
    expect(e.requestId).toBe("req_1");
    expect(e.message).toBe("422 Invalid request: The submission has invalid fields.");
  });

  it("describes a non-JSON error answer and an unreachable server", async () => {
    const { fetch } = stubFetch(new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });
    await expect(client.get(ID)).rejects.toMatchObject({ status: 502, title: "Bad Gateway" });

    const refused = vi.fn(async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    }) as unknown as typeof globalThis.fetch;
    const offline = createCountersignClient({ baseUrl: "http://127.0.0.1:9", apiKey: KEY, fetch: refused });
    await expect(offline.get(ID)).rejects.toMatchObject({ status: 0, title: "Network error", detail: expect.stringContaining("ECONNREFUSED") });
  });

  it("waitForDecision long-polls with wait=30 until the review is decided", async () => {
    const { fetch, calls } = stubFetch(json(review()), json(review()), json(approved()));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });

    const decided = await client.waitForDecision(ID);

    expect(decided.status).toBe("approved");
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.method).toBe("GET");
      expect(call.url).toBe(`http://cs.test/api/v1/reviews/${ID}?wait=30`);
      expect(call.headers.get("idempotency-key")).toBeNull();
    }
  });

  it("waitForDecision stops at its timeout and returns the still-pending review", async () => {
    vi.useFakeTimers();
    // Each long poll "takes" its full wait before answering pending.
    const slowPending = vi.fn(async (input: string | URL | Request) => {
      const wait = Number(new URL(String(input)).searchParams.get("wait"));
      await new Promise((r) => setTimeout(r, wait * 1000));
      return json(review());
    }) as unknown as typeof globalThis.fetch;
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch: slowPending });

    const pending = client.waitForDecision(ID, { timeoutSeconds: 45 });
    await vi.advanceTimersByTimeAsync(45_000);
    const result = await pending;

    expect(result.status).toBe("pending");
    const waits = vi.mocked(slowPending).mock.calls.map(([url]) => new URL(String(url)).searchParams.get("wait"));
    expect(waits).toEqual(["30", "15"]);
  });

  it("waitForDecision stops when its signal aborts", async () => {
    const controller = new AbortController();
    const fetch = vi.fn(async (_input: string | URL | Request, init: RequestInit = {}) => {
      controller.abort();
      throw init.signal?.reason;
    }) as unknown as typeof globalThis.fetch;
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });
    await expect(client.waitForDecision(ID, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("cancels, lists task types and lists reviews at their paths", async () => {
    const { fetch, calls } = stubFetch(json(review({ status: "cancelled" })), json({ data: [{ key: "refund.issue" }] }), json({ data: [], nextCursor: null }));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });

    expect((await client.cancel(ID)).status).toBe("cancelled");
    expect(await client.listTaskTypes()).toEqual([{ key: "refund.issue" }]);
    expect(await client.list({ status: "pending", taskType: undefined, limit: 10 })).toEqual({ data: [], nextCursor: null });

    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      `POST http://cs.test/api/v1/reviews/${ID}/cancel`,
      "GET http://cs.test/api/v1/task-types",
      "GET http://cs.test/api/v1/reviews?status=pending&limit=10",
    ]);
  });

  it("submitBatch gives every item its own Idempotency-Key, keeps given ones, and returns results in order", async () => {
    const results = [
      { index: 0, status: 201, review: review() },
      { index: 1, status: 422, problem: { type: "x", title: "Invalid request", status: 422, detail: "Bad" } },
    ];
    const { fetch, calls } = stubFetch(json({ results }));
    const client = createCountersignClient({ baseUrl: "http://cs.test", apiKey: KEY, fetch });

    const answer = await client.submitBatch([
      { taskType: "refund.issue", action: { orderId: "A-1" } },
      { taskType: "refund.issue", action: { orderId: "A-2" }, idempotencyKey: "mine" },
    ]);

    expect(answer).toEqual(results);
    const sent = (calls[0].body as { items: Array<{ idempotencyKey: string }> }).items;
    expect(calls[0].url).toBe("http://cs.test/api/v1/reviews/batch");
    expect(sent[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1].idempotencyKey).toBe("mine");
  });
});

describe("approvedActionOf", () => {
  it("returns the decided action of an approved review whose hash matches", () => {
    expect(approvedActionOf(approved({ amount: 40, orderId: "A-1" }))).toEqual({ amount: 40, orderId: "A-1" });
  });

  it("returns null for anything not approved", () => {
    expect(approvedActionOf(review())).toBeNull();
    expect(approvedActionOf(review({ status: "rejected" }))).toBeNull();
  });

  it("refuses an action that doesn't match its hash", () => {
    const tampered = approved();
    tampered.decision!.action = { ...tampered.decision!.action, amount: 4000 };
    expect(() => approvedActionOf(tampered)).toThrow(/actionHash/);
  });
});
