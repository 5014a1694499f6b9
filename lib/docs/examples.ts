import { actionHashOf } from "@/lib/client/action-hash";
import type { AuditHead } from "@/lib/validation/audit";
import type { BatchItem, Problem, Review, ReviewSubmission, WebhookEvent } from "@/lib/client/types";

/**
 * Example payloads for the API reference. They are illustrations, not the contract; the unit tests
 * parse each one with the real zod schemas so an example can never show a field the server refuses.
 */

const REVIEW_ID = "5f0c2b8e-3d1a-4c6b-9e7f-1a2b3c4d5e6f";
const CREATED_AT = "2025-06-02T09:14:07.512Z";
const DECIDED_AT = "2025-06-02T09:16:41.093Z";

export const exampleSubmission = {
  taskType: "refund.issue",
  title: "Refund $42.50 on order A-318204 (late delivery)",
  action: { orderId: "A-318204", customerId: "C-40417", amount: 42.5, reason: "late_delivery" },
  amount: { value: 42.5, currency: "USD" },
  confidence: 0.93,
  context: { ticketId: "T-771203", orderTotal: 42.5, previousRefunds90d: 0 },
  externalId: "ticket-T-771203",
  callbackUrl: "https://agent.example.com/countersign/webhooks",
} satisfies ReviewSubmission;

export const exampleBatch: { items: BatchItem[] } = {
  items: [
    {
      idempotencyKey: "crm-CT-48210-phone",
      taskType: "crm.contact.update",
      action: { contactId: "CT-48210", field: "phone", to: "(555) 201-9902" },
      draft: 'Change phone for Lena Park from "(555) 201-4431" to "(555) 201-9902".',
      confidence: 0.96,
    },
    {
      idempotencyKey: "route-R-118-0602",
      taskType: "route.adjust",
      action: { routeId: "R-118", stopsAdded: 0, stopsRemoved: 1, etaChangeMinutes: -9 },
      confidence: 0.95,
    },
  ],
};

export const examplePendingReview: Review = {
  id: REVIEW_ID,
  status: "pending",
  mode: "approve_before_action",
  taskType: exampleSubmission.taskType,
  title: exampleSubmission.title,
  action: exampleSubmission.action,
  draft: null,
  context: exampleSubmission.context,
  confidence: exampleSubmission.confidence,
  amount: exampleSubmission.amount,
  attributes: {},
  priority: "normal",
  externalId: exampleSubmission.externalId,
  callbackUrl: exampleSubmission.callbackUrl,
  revisionOf: null,
  routing: { needsHuman: true, blocking: true, reasons: ["mode:approve_before_action"] },
  createdAt: CREATED_AT,
  expiresAt: "2025-06-03T09:14:07.512Z",
  decidedAt: null,
  decision: null,
};

const editedAction = { ...exampleSubmission.action, amount: 30 };

export const exampleDecidedReview: Review = {
  ...examplePendingReview,
  status: "approved",
  decidedAt: DECIDED_AT,
  decision: {
    outcome: "edited",
    instruction: null,
    approvals: [],
    action: editedAction,
    draft: null,
    reason: null,
    note: "Partial refund: the shipping fee was already refunded.",
    reviewer: { name: "Sam Ortiz", email: "sam.ortiz@acme.test" },
    decidedAt: DECIDED_AT,
    actionHash: actionHashOf(editedAction),
  },
};

export const exampleProblem: Problem = {
  type: "https://countersign.dev/problems/invalid",
  title: "Invalid request",
  status: 422,
  detail: "The submission has invalid fields.",
  instance: "/api/v1/reviews",
  requestId: "8c1d2f3a-4b5e-4f60-8a71-92b3c4d5e6f7",
  errors: { confidence: ["Between 0 and 1"], "amount.currency": ["Use an ISO 4217 code such as USD"] },
};

export const exampleWebhook: WebhookEvent = {
  type: "review.decided",
  timestamp: DECIDED_AT,
  data: { review: exampleDecidedReview },
};

/** Example request parts per operationId; operations not listed get a plain curl. */
export const requestExamples: Record<string, { body?: unknown; query?: Record<string, string | number>; headers?: Record<string, string> }> = {
  submitReview: { body: exampleSubmission, headers: { "Idempotency-Key": "ticket-T-771203-refund" } },
  submitReviews: { body: exampleBatch },
  listReviews: { query: { status: "pending", taskType: "refund.issue", limit: 20 } },
  getReview: { query: { wait: 30 } },
};

/** Example answers per operationId, shown beside the request. */
export const responseExamples: Record<string, { status: number; body: unknown }> = {
  submitReview: { status: 201, body: examplePendingReview },
  getReview: { status: 200, body: exampleDecidedReview },
  getAuditHead: { status: 200, body: { seq: 1842, hmac: "5d0c8e4f1a27b3c96e0f4d2a8b71c5e39f6a0d4b2c8e1f7a3b5d9c0e6f2a4b81", entryId: 90417, createdAt: "2025-06-02T09:15:31.086Z" } satisfies AuditHead },
};

export type ReasonExplanation = { reason: string; kind: "floor" | "mode" | "exception" | "audit"; meaning: string };

/**
 * Every routing reason in plain words, in the order `route()` lists them (the tests hold this list to
 * `reasonCodes` in lib/policy and to the reasons the contract names).
 */
export const routingReasons: ReasonExplanation[] = [
  { reason: "floor:irreversible", kind: "floor", meaning: "The action can't be undone — the item says `attributes.irreversible`, or its task type is classified irreversible. A person always approves first." },
  { reason: "floor:phi", kind: "floor", meaning: "The action writes protected health information (`attributes.phi`, or a task type whose data class is PHI). A person always approves first." },
  { reason: "floor:amount", kind: "floor", meaning: "The item's amount is over the task type's limit — or can't be compared with it (another currency), which counts the same. The amount is read where the task type says it lives in `action` (its amount path, e.g. `action.amount`), else from the top-level `amount`; when both are given they must agree (else 422). A person always approves first." },
  { reason: "floor:amount_missing", kind: "floor", meaning: "The task type limits amounts (or asks for two approvals above one) and the item's amount couldn't be read: nothing at its amount path or in `amount`, or a value there that isn't a number. A person always approves first." },
  { reason: "mode:approve_before_action", kind: "mode", meaning: "The task type runs in approve-before-action: nothing executes without a sign-off." },
  { reason: "mode:review_after_draft", kind: "mode", meaning: "The task type runs in review-after-draft: a person reads the draft, may edit it, and only then is it sent or filed." },
  { reason: "missing_confidence", kind: "exception", meaning: "In flag-on-exception, no usable `confidence` was sent, so the item can't run on its own." },
  { reason: "low_confidence", kind: "exception", meaning: "In flag-on-exception, `confidence` was below the task type's threshold." },
  { reason: "rule:<name>", kind: "exception", meaning: "One of the task type's exception rules matched the action or context (an out-of-range value, an anomaly); the rule's name follows the colon." },
  { reason: "rule_error:<name>", kind: "exception", meaning: "A numeric exception rule (gt, gte, lt, lte) met a value that is present but not a number (`\"5000\"`, `[5000]`, `{}`), so it couldn't say whether the item is an exception; a person looks instead." },
  { reason: "agent_flagged", kind: "exception", meaning: "The agent itself flagged the item with `attributes.flagged`." },
  { reason: "sampled_for_audit", kind: "audit", meaning: "Auto-approved and free to run now, but picked at random for an after-the-fact audit review, so acceptance keeps being measured. The agent isn't blocked." },
];

export type ModeExplanation = { mode: Review["mode"]; name: string; blocks: string; summary: string };

export const modes: ModeExplanation[] = [
  {
    mode: "approve_before_action",
    name: "Approve before action",
    blocks: "Always",
    summary: "The strictest mode: nothing executes without a person's sign-off. Every new task type starts here.",
  },
  {
    mode: "review_after_draft",
    name: "Review after draft",
    blocks: "Always",
    summary: "The agent produces a draft (an email, a note, a report); a person reviews it, may edit it, and only then is it sent or filed. Use `decision.draft`, not your own.",
  },
  {
    mode: "flag_on_exception",
    name: "Flag on exception",
    blocks: "Only on an exception",
    summary:
      "Items run automatically (`status: approved`, outcome `auto_approved`) unless confidence is below the threshold, an exception rule matches, or the agent flags the item — then a person looks first. A small random share is audited afterwards.",
  },
];

/** What each review status tells the agent to do. */
export const statuses: Array<{ status: Review["status"]; meaning: string }> = [
  { status: "pending", meaning: "Waiting for a person (a two-person item stays pending until its second approval). Don't act yet." },
  { status: "approved", meaning: "Execute exactly `decision.action` (and `decision.draft`, if any) — possibly edited by the reviewer, or auto-approved by policy." },
  { status: "rejected", meaning: "Don't act. `decision.reason` says why; you may submit a revision with `revisionOf`." },
  { status: "expired", meaning: "Nobody decided before `expiresAt`. Don't act: silence is never approval." },
  { status: "cancelled", meaning: "You withdrew it with the cancel endpoint. Nothing to do." },
];

/** What each decision outcome means. */
export const outcomes: Array<{ outcome: NonNullable<Review["decision"]>["outcome"]; meaning: string }> = [
  { outcome: "approved", meaning: "A person approved the action unchanged." },
  { outcome: "edited", meaning: "A person changed the action or draft, then approved it: execute the edited version." },
  { outcome: "rejected", meaning: "A person rejected it, with a reason." },
  {
    outcome: "changes_requested",
    meaning: "A person sent it back with an instruction (`decision.instruction`): don't perform it as proposed; change it as told and resubmit with `revisionOf` set to this review's id. The review's status is `rejected`.",
  },
  { outcome: "auto_approved", meaning: "Policy let it run without a person (flag-on-exception, no exception found)." },
];
