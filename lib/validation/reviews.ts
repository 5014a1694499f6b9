import { z } from "zod";
import { jsonShape, MAX_JSON_DEPTH } from "@/lib/data/json-shape";

/** Shared by the API, the server actions and the OpenAPI document: one source of truth for the contract. */

export const modeValues = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const;
export const priorityValues = ["low", "normal", "high", "urgent"] as const;
export const statusValues = ["pending", "approved", "rejected", "expired", "cancelled"] as const;
export const outcomeValues = ["approved", "edited", "rejected", "changes_requested", "auto_approved"] as const;
export const apiKeyScopeValues = ["reviews:write", "reviews:read", "audit:read"] as const;

export const TaskTypeKey = z
  .string()
  .min(1, "Name the task type")
  .max(100, "Use at most 100 characters")
  .regex(/^[a-z0-9._-]+$/, "Use lowercase letters, digits, '.', '_' and '-' only")
  .meta({ description: "The task type's key, e.g. `refund.issue`. An unknown key registers a new, strict task type (org setting).", example: "refund.issue" });

/** A JSON object the API accepts: finite numbers, at most `MAX_JSON_DEPTH` deep. Also checks reviewers' edits. */
export const JsonObject = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const { depth, finite } = jsonShape(value);
  if (depth > MAX_JSON_DEPTH) ctx.addIssue({ code: "custom", message: `Nest at most ${MAX_JSON_DEPTH} levels deep` });
  if (!finite) ctx.addIssue({ code: "custom", message: "Numbers must be finite" });
});

export const Amount = z
  .object({
    value: z.number().finite().nonnegative("Amounts are not negative").max(1e15, "That amount is too large"),
    currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as USD"),
  })
  .strict()
  .meta({
    description:
      "The money the action moves; over the task type's limit a person always approves first. A task type may read it from the action instead (`amountPath`); when both are given they must agree, or the submission is a 422.",
  });

export const ReviewAttributes = z
  .object({
    irreversible: z.boolean().optional().meta({ description: "The action can't be undone: a person always approves first." }),
    phi: z.boolean().optional().meta({ description: "The action writes protected health information: a person always approves first." }),
    customerFacing: z.boolean().optional(),
    flagged: z.boolean().optional().meta({ description: "The agent itself flags this item as an exception: a person looks first." }),
  })
  .strict();

export const ReviewSubmission = z
  .object({
    taskType: TaskTypeKey,
    action: JsonObject.meta({ description: "The proposed action's parameters, exactly as the agent would execute them." }),
    draft: z.string().max(100_000, "Drafts are limited to 100,000 characters").optional().meta({ description: "A draft (email, note, report) a person reviews and may edit." }),
    title: z.string().trim().min(1).max(200, "Use at most 200 characters").optional(),
    context: JsonObject.optional().meta({ description: "Evidence shown to the reviewer." }),
    confidence: z.number().min(0, "Between 0 and 1").max(1, "Between 0 and 1").optional(),
    amount: Amount.optional(),
    attributes: ReviewAttributes.optional(),
    priority: z.enum(priorityValues).optional(),
    externalId: z.string().min(1).max(200, "Use at most 200 characters").optional(),
    callbackUrl: z
      .url({ protocol: /^https?$/, error: "Use an http(s) URL" })
      .max(2000, "Use at most 2,000 characters")
      .optional()
      .meta({ description: "Receives signed Standard Webhooks events for this item (review.decided, review.expired, review.cancelled)." }),
    expiresInSeconds: z
      .number()
      .int()
      .min(10, "At least 10 seconds")
      .max(30 * 24 * 3600, "At most 30 days")
      .optional()
      .meta({ description: "After this, an undecided item expires (fail closed: never approved by silence)." }),
    revisionOf: z.uuid({ error: "Use the id of a rejected review" }).optional().meta({ description: "The rejected review this one revises (including one sent back with outcome `changes_requested`): the reviewer sees its reason or instruction and what changed." }),
  })
  .strict()
  ;

export type ReviewSubmissionInput = z.infer<typeof ReviewSubmission>;

export const BatchSubmission = z
  .object({
    items: z
      .array(z.unknown())
      .min(1, "Send at least one item")
      .max(100, "At most 100 items per batch")
      .meta({ description: "Each item is a ReviewSubmission, optionally with its own `idempotencyKey`." }),
  })
  .strict();

export const IdempotencyKey = z.string().min(1).max(255, "Idempotency keys are at most 255 characters").regex(/^[\x21-\x7e]+$/, "Use printable ASCII without spaces");

export const ListReviewsQuery = z
  .object({
    status: z.enum(statusValues).optional(),
    taskType: TaskTypeKey.optional(),
    externalId: z.string().max(200).optional(),
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const WaitQuery = z
  .object({ wait: z.coerce.number().int("Whole seconds").min(0).max(30, "Wait at most 30 seconds").optional() })
  .strict();

export const Routing = z.object({
  needsHuman: z.boolean(),
  blocking: z.boolean(),
  reasons: z.array(z.string()).meta({ description: "Why: floor:irreversible, floor:phi, floor:amount, floor:amount_missing, mode:approve_before_action, mode:review_after_draft, low_confidence, missing_confidence, rule:<name>, rule_error:<name>, agent_flagged, sampled_for_audit." }),
});

export const Decision = z
  .object({
    outcome: z.enum(outcomeValues).meta({
      description:
        "approved: approved as proposed. edited: a person changed the action or draft, then approved it. rejected: do not perform it. changes_requested: do not perform it as proposed; `instruction` says what to change, and you may resubmit with `revisionOf` set to this review's id. auto_approved: the policy approved it without a person.",
    }),
    instruction: z.string().nullable().meta({ description: "With outcome `changes_requested`: the reviewer's instruction to the agent (what to change before resubmitting). Null otherwise." }),
    approvals: z
      .array(z.object({ reviewer: z.object({ name: z.string(), email: z.string() }).nullable(), outcome: z.enum(["approved", "edited"]), decidedAt: z.iso.datetime() }))
      .meta({ description: "Items needing more than one approval: the earlier approvals, each with what that person did (`edited` if they changed the action). The final approver's own part is `outcome` unless an earlier approver edited." }),
    action: JsonObject.meta({ description: "The final action to execute (edited when outcome is `edited`)." }),
    draft: z.string().nullable(),
    reason: z.string().nullable(),
    note: z.string().nullable(),
    reviewer: z.object({ name: z.string(), email: z.string() }).nullable(),
    decidedAt: z.iso.datetime(),
    actionHash: z.string().meta({ description: "Hex SHA-256 of the RFC 8785 canonical JSON of `action`." }),
  })
  ;

export const Review = z
  .object({
    id: z.uuid(),
    status: z.enum(statusValues),
    mode: z.enum(modeValues),
    taskType: z.string(),
    title: z.string().nullable(),
    action: JsonObject,
    draft: z.string().nullable(),
    context: JsonObject.nullable(),
    confidence: z.number().nullable(),
    amount: Amount.nullable(),
    attributes: ReviewAttributes,
    priority: z.enum(priorityValues),
    externalId: z.string().nullable(),
    callbackUrl: z.string().nullable(),
    revisionOf: z.uuid().nullable(),
    routing: Routing,
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    decision: Decision.nullable(),
  })
  ;

export type ReviewResource = z.infer<typeof Review>;

export const TaskTypeResource = z
  .object({
    key: z.string(),
    name: z.string(),
    mode: z.enum(modeValues),
    classified: z.boolean(),
    needsHumanByDefault: z.boolean().meta({ description: "Whether an ordinary item of this type waits for a person." }),
    confidenceThreshold: z.number(),
    amountLimit: Amount.nullable(),
    amountPath: z.string().nullable().meta({ description: 'Where the policy reads each item\'s amount in its action (e.g. "action.amount"); null: the top-level `amount`.' }),
    amountCurrencyPath: z.string().nullable().meta({ description: "Where it reads that amount's currency (e.g. \"action.currency\"); null: the limit's currency." }),
    floors: z.array(z.enum(["irreversible", "phi", "amount"])),
  })
  ;

export const ApiKeyInput = z.object({
  name: z.string({ error: "Name the key" }).trim().min(1, "Name the key").max(100, "Use at most 100 characters"),
  scopes: z.array(z.enum(apiKeyScopeValues)).min(1, "Choose at least one scope"),
});
