import { matchesActionHash } from "./action-hash";
import type { BatchItem, BatchResult, ListReviewsQuery, Problem, Review, ReviewPage, ReviewSubmission, TaskType } from "./types";

/**
 * A small typed client for agents calling the Countersign API. No dependencies beyond `fetch`
 * (Node 20+, Deno, Bun, browsers with a CORS-enabled deployment).
 *
 *   const countersign = createCountersignClient({ baseUrl: "http://localhost:3000", apiKey: process.env.COUNTERSIGN_API_KEY! });
 *   const review = await countersign.submit({ taskType: "refund.issue", action: { orderId: "A-1", amount: 42 } });
 *   const decided = await countersign.waitForDecision(review.id);
 *   const action = approvedActionOf(decided); // null unless approved; throws if the hash doesn't match
 */

export * from "./types";
export { actionHashOf, matchesActionHash } from "./action-hash";
export { parseWebhook, verifySignature, WebhookVerificationError, type WebhookHeaders } from "./webhooks";

/** A non-2xx answer, carrying its RFC 9457 problem. `status` is 0 when no answer arrived at all. */
export class CountersignError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  /** Messages per field, keyed by its dotted path (422s). */
  readonly errors?: Record<string, string[]>;
  readonly requestId?: string;
  /** Seconds the server asked to wait (429, 503), when it said. */
  readonly retryAfterSeconds?: number;
  readonly problem: Problem;

  constructor(problem: Problem, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(`${problem.status ? `${problem.status} ` : ""}${problem.title}: ${problem.detail}`, { cause: options.cause });
    this.name = "CountersignError";
    this.problem = problem;
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = problem.errors;
    this.requestId = problem.requestId;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export type CountersignClientOptions = {
  /** The app's origin, e.g. `http://localhost:3000` (a URL ending in `/api/v1` works too). */
  baseUrl: string;
  /** An API key, `cs_live_…`. */
  apiKey: string;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Retries of a 429 or 503 answer (default 3). */
  maxRetries?: number;
  /** The longest wait between retries; a Retry-After beyond it is not waited out but thrown (default 30). */
  maxRetryDelaySeconds?: number;
};

export type WaitOptions = {
  /** Give up after this long and return the review as it then is, still `pending` (default 300). */
  timeoutSeconds?: number;
  signal?: AbortSignal;
};

export type CountersignClient = ReturnType<typeof createCountersignClient>;

type RequestOptions = { body?: unknown; idempotencyKey?: string; query?: Record<string, string | number | undefined>; signal?: AbortSignal };

const LONG_POLL_SECONDS = 30;

function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return /\/api\/v1$/.test(trimmed) ? trimmed : `${trimmed}/api/v1`;
}

/** Retry-After as seconds: either delta-seconds or an HTTP date. */
function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === "object" && typeof body.title === "string") {
      return { ...body, type: body.type ?? "about:blank", title: body.title, status: response.status, detail: body.detail ?? "" };
    }
  } catch {
    // Not JSON: a proxy's error page, say. Described from the status line instead.
  }
  return { type: "about:blank", title: response.statusText || "Request failed", status: response.status, detail: `The server answered ${response.status} without problem details.` };
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === "AbortError" || e.name === "TimeoutError");
}

export function createCountersignClient(options: CountersignClientOptions) {
  const root = apiRoot(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 3;
  const maxDelay = options.maxRetryDelaySeconds ?? 30;
  if (!options.apiKey) throw new TypeError("createCountersignClient needs an apiKey.");
  if (typeof doFetch !== "function") throw new TypeError("No fetch available: pass one as `fetch`.");

  async function request<T>(method: "GET" | "POST", path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(`${root}${path}`);
    for (const [name, value] of Object.entries(opts.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${options.apiKey}`, accept: "application/json" };
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    // Every attempt carries the same key, so a retry after a lost or refused answer never submits twice.
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);

    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(url, { method, headers, body, signal: opts.signal });
      } catch (e) {
        if (isAbort(e)) throw e;
        const reason = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
        throw new CountersignError({ type: "about:blank", title: "Network error", status: 0, detail: `Couldn't reach ${root}: ${reason}` }, { cause: e });
      }
      if (response.ok) return (await response.json()) as T;

      const retryAfter = retryAfterOf(response);
      // 409 is retried only for a keyed request still in flight (the server then says when to retry).
      const retryable = response.status === 429 || response.status === 503 || (response.status === 409 && !!opts.idempotencyKey && retryAfter !== undefined);
      const delay = retryAfter ?? Math.min(maxDelay, 0.5 * 2 ** attempt);
      if (!retryable || attempt >= maxRetries || delay > maxDelay) {
        throw new CountersignError(await problemOf(response), { retryAfterSeconds: retryAfter });
      }
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay * 1000, opts.signal);
    }
  }

  const client = {
    /** `POST /reviews`. Sends an Idempotency-Key (a fresh UUID unless given) so retries never duplicate. */
    submit(submission: ReviewSubmission, opts: { idempotencyKey?: string; signal?: AbortSignal } = {}): Promise<Review> {
      return request<Review>("POST", "/reviews", { body: submission, idempotencyKey: opts.idempotencyKey ?? crypto.randomUUID(), signal: opts.signal });
    },

    /** `POST /reviews/batch`: up to 100 items, one result per item in order. Items without a key get one. */
    async submitBatch(items: BatchItem[], opts: { signal?: AbortSignal } = {}): Promise<BatchResult[]> {
      const keyed = items.map((item) => ({ ...item, idempotencyKey: item.idempotencyKey ?? crypto.randomUUID() }));
      const { results } = await request<{ results: BatchResult[] }>("POST", "/reviews/batch", { body: { items: keyed }, signal: opts.signal });
      return results;
    },

    /** `GET /reviews/{id}`; with `wait` (≤ 30), held open until the review is decided or the time is up. */
    get(id: string, opts: { wait?: number; signal?: AbortSignal } = {}): Promise<Review> {
      return request<Review>("GET", `/reviews/${encodeURIComponent(id)}`, { query: { wait: opts.wait }, signal: opts.signal });
    },

    /** `GET /reviews`, newest first; pass `nextCursor` back as `cursor` for the next page. */
    list(query: ListReviewsQuery = {}, opts: { signal?: AbortSignal } = {}): Promise<ReviewPage> {
      return request<ReviewPage>("GET", "/reviews", { query, signal: opts.signal });
    },

    /**
     * Long-polls until the review leaves `pending` or `timeoutSeconds` pass; returns the review either
     * way, so check `status` (still `pending` after a timeout — never treat that as approval).
     */
    async waitForDecision(id: string, opts: WaitOptions = {}): Promise<Review> {
      const deadline = Date.now() + (opts.timeoutSeconds ?? 300) * 1000;
      for (;;) {
        const remaining = Math.ceil((deadline - Date.now()) / 1000);
        const review = await client.get(id, { wait: Math.max(0, Math.min(LONG_POLL_SECONDS, remaining)), signal: opts.signal });
        if (review.status !== "pending" || Date.now() >= deadline) return review;
      }
    },

    /** `POST /reviews/{id}/cancel`: withdraws a pending review (409 once it is decided). */
    cancel(id: string, opts: { signal?: AbortSignal } = {}): Promise<Review> {
      return request<Review>("POST", `/reviews/${encodeURIComponent(id)}/cancel`, { signal: opts.signal });
    },

    /** `GET /task-types`: the organization's task types, their modes and hard floors. */
    async listTaskTypes(opts: { signal?: AbortSignal } = {}): Promise<TaskType[]> {
      const { data } = await request<{ data: TaskType[] }>("GET", "/task-types", { signal: opts.signal });
      return data;
    },
  };
  return client;
}

/**
 * The action to execute, or null when the review isn't approved. Throws when the decision's action
 * doesn't hash to its `actionHash` — execute nothing then.
 */
export function approvedActionOf(review: Review): Record<string, unknown> | null {
  if (review.status !== "approved" || !review.decision) return null;
  const { action, actionHash } = review.decision;
  if (!matchesActionHash(action, actionHash)) throw new Error(`Review ${review.id}: the decision's action does not match its actionHash; refusing to execute it.`);
  return action;
}

export { approvalResultOf, idempotencyKeyFor, refusalReason, requestApproval, type ApprovalResult, type Approved, type Refused, type RequestApprovalOptions } from "./approval";
