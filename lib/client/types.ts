/**
 * The client's types, written out by hand so the published package carries no dependency on the app or
 * on zod. `types.test.ts` checks at compile time that the server's zod schemas still fit them, so the
 * two can't drift apart silently.
 */

export type Mode = "approve_before_action" | "review_after_draft" | "flag_on_exception";
export type Priority = "low" | "normal" | "high" | "urgent";
export type ReviewStatus = "pending" | "approved" | "rejected" | "expired" | "cancelled";
/**
 * How a review was decided. Open to outcomes a newer server adds: treat any outcome you don't know on a
 * review that isn't `approved` as a refusal.
 */
export type Outcome = "approved" | "edited" | "rejected" | "changes_requested" | "auto_approved" | (string & {});

export type JsonObject = Record<string, unknown>;
export type Amount = { value: number; currency: string };
export type ReviewAttributes = { irreversible?: boolean; phi?: boolean; customerFacing?: boolean; flagged?: boolean };

/** What an agent sends to `POST /reviews` (optional fields may be left out). */
export type ReviewSubmission = {
  /** The task type's key: lowercase letters, digits, `.`, `_`, `-` (at most 100). */
  taskType: string;
  /** The proposed action's parameters, exactly as the agent would execute them. */
  action: JsonObject;
  draft?: string;
  title?: string;
  /** Evidence shown to the reviewer. */
  context?: JsonObject;
  /** 0..1 */
  confidence?: number;
  amount?: Amount;
  attributes?: ReviewAttributes;
  priority?: Priority;
  externalId?: string;
  callbackUrl?: string;
  expiresInSeconds?: number;
  revisionOf?: string;
};

export type Routing = { needsHuman: boolean; blocking: boolean; reasons: string[] };

/** A review's decision, present once it is decided. */
export type Decision = {
  outcome: Outcome;
  /** The final action to execute (edited when outcome is `edited`). */
  action: JsonObject;
  draft: string | null;
  reason: string | null;
  note: string | null;
  reviewer: { name: string; email: string } | null;
  decidedAt: string;
  /** Hex SHA-256 of the RFC 8785 canonical JSON of `action`. */
  actionHash: string;
  /** Fields a newer server adds (e.g. a changes request's instruction) pass through. */
  [extra: string]: unknown;
};

/** A review as the API answers it. */
export type Review = {
  id: string;
  status: ReviewStatus;
  mode: Mode;
  taskType: string;
  title: string | null;
  action: JsonObject;
  draft: string | null;
  context: JsonObject | null;
  confidence: number | null;
  amount: Amount | null;
  attributes: ReviewAttributes;
  priority: Priority;
  externalId: string | null;
  callbackUrl: string | null;
  revisionOf: string | null;
  routing: Routing;
  createdAt: string;
  expiresAt: string | null;
  decidedAt: string | null;
  decision: Decision | null;
};

export type TaskType = {
  key: string;
  name: string;
  mode: Mode;
  classified: boolean;
  needsHumanByDefault: boolean;
  confidenceThreshold: number;
  amountLimit: Amount | null;
  amountPath: string | null;
  amountCurrencyPath: string | null;
  floors: Array<"irreversible" | "phi" | "amount">;
};

export type ListReviewsQuery = { status?: ReviewStatus; taskType?: string; externalId?: string; cursor?: string; limit?: number };
export type ReviewPage = { data: Review[]; nextCursor: string | null };

/** One item of `POST /reviews/batch`: a submission with, optionally, its own Idempotency-Key. */
export type BatchItem = ReviewSubmission & { idempotencyKey?: string };

/** RFC 9457 problem details, as every error answer carries them. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  /** Messages per field, keyed by its dotted path. */
  errors?: Record<string, string[]>;
};

/** One result of a batch, in the order the items were sent: a review (201) or a problem. */
export type BatchResult = { index: number; status: number; review?: Review; problem?: Problem };

/** Events about one review; a per-item `callbackUrl` receives the last three, org endpoints what they subscribe to. */
export type ReviewEventType = "review.created" | "review.decided" | "review.expired" | "review.cancelled";

/** The body of a webhook delivery: `{ type, timestamp, data }`. */
export type WebhookEvent =
  | { type: ReviewEventType; timestamp: string; data: { review: Review } }
  | { type: "task_type.mode_changed"; timestamp: string; data: Record<string, unknown> };
