import { z } from "zod";
import { MAX_JSON_BYTES } from "@/lib/data/json-shape";
import { JsonObject, priorityValues } from "./reviews";
import { firstValues } from "./search-params";

/**
 * The reviewer workspace's inputs: the queue's URL state (shared by the page, its links and the tests)
 * and the decisions a reviewer submits. Unknown fields are dropped by zod, so a crafted form can't set
 * `status`, `decidedBy` or `organizationId`: only what is named here ever reaches a query.
 */

export const rejectionReasons = [
  { value: "incorrect", label: "Incorrect: the details are wrong" },
  { value: "insufficient_evidence", label: "Not enough evidence to approve" },
  { value: "policy_violation", label: "Against policy" },
  { value: "duplicate", label: "Duplicate of another item" },
  { value: "other", label: "Other (explain in the note)" },
] as const;
export const rejectionReasonValues = rejectionReasons.map((r) => r.value) as [string, ...string[]];

export const reasonFilters = [
  { value: "floor:irreversible", label: "Irreversible" },
  { value: "floor:phi", label: "PHI write" },
  { value: "floor:amount", label: "Amount over limit" },
  { value: "floor:amount_missing", label: "Amount missing" },
  { value: "mode:approve_before_action", label: "Approve before action" },
  { value: "mode:review_after_draft", label: "Review after draft" },
  { value: "low_confidence", label: "Low confidence" },
  { value: "missing_confidence", label: "No confidence given" },
  { value: "rule", label: "Exception rule" },
  { value: "agent_flagged", label: "Flagged by the agent" },
  { value: "sampled_for_audit", label: "Audit sample" },
] as const;

export const queueSortColumns = ["priority", "age", "sla", "confidence", "amount"] as const;
export type QueueSortColumn = (typeof queueSortColumns)[number];
export const pageSizes = [25, 50, 100] as const;

/** Tolerant on purpose: a hand-edited or stale URL falls back to the defaults instead of failing the page. */
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum(values)
    .optional()
    .catch(undefined);

export const QueueParams = z.object({
  taskType: z
    .string()
    .max(100)
    .regex(/^[a-z0-9._-]+$/)
    .optional()
    .catch(undefined),
  workspace: z.uuid().optional().catch(undefined),
  priority: optionalEnum(priorityValues),
  reason: optionalEnum(reasonFilters.map((r) => r.value) as [string, ...string[]]),
  sla: optionalEnum(["overdue", "due_soon", "on_track"] as const),
  claim: optionalEnum(["unclaimed", "claimed", "mine"] as const),
  age: optionalEnum(["1h", "4h", "24h"] as const),
  q: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(queueSortColumns).default("priority").catch("priority"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  size: z.coerce
    .number()
    .pipe(z.union(pageSizes.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<25>, z.ZodLiteral<50>, z.ZodLiteral<100>]))
    .default(25)
    .catch(25),
});
export type QueueParams = z.output<typeof QueueParams>;

/** Each column's natural first direction: most urgent first. */
export const defaultDirection: Record<QueueSortColumn, "asc" | "desc"> = { priority: "desc", age: "desc", sla: "asc", confidence: "asc", amount: "desc" };

/** Reads the queue's state from URL search params (a repeated parameter counts once). */
export function parseQueueParams(searchParams: Record<string, string | string[] | undefined>): QueueParams {
  return QueueParams.parse(firstValues(searchParams));
}

/** The URL query for a queue state, leaving out defaults so shared links stay short. */
export function queueQuery(params: Partial<QueueParams>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    if (key === "sort" && value === "priority") continue;
    if (key === "page" && value === 1) continue;
    if (key === "size" && value === 25) continue;
    if (key === "dir" && params.sort && value === defaultDirection[params.sort]) continue;
    q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

const ReviewId = z.uuid("Unknown item");
const Version = z.coerce.number().int().min(1);
const TimeOnItem = z.coerce
  .number()
  .int()
  .min(0)
  .catch(0)
  .transform((ms) => Math.min(ms, 24 * 3600 * 1000));

export const ClaimInput = z.object({ reviewId: ReviewId });
export const LeaseInput = z.object({ reviewId: ReviewId, version: Version });
export const NextInput = z.object({ from: ReviewId.optional().catch(undefined) });

const Note = z.string().trim().max(2000, "Use at most 2,000 characters").optional();

export const ApproveInput = z.object({ reviewId: ReviewId, version: Version, timeOnItemMs: TimeOnItem, note: Note });

/**
 * The edited action arrives as JSON text from the editor; it must still be an object, and pass the
 * API's own checks (size, depth, finite numbers): an edit can't store what an agent couldn't submit.
 */
const JsonObjectText = z
  .string()
  .refine((text) => new TextEncoder().encode(text).length <= MAX_JSON_BYTES, `The action is limited to ${MAX_JSON_BYTES / 1024} KiB`)
  .transform((text, ctx) => {
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through
    }
    ctx.addIssue({ code: "custom", message: "The action must be a JSON object, e.g. {\"amount\": 120}" });
    return z.NEVER;
  })
  .pipe(JsonObject);

export const EditInput = z.object({
  reviewId: ReviewId,
  version: Version,
  timeOnItemMs: TimeOnItem,
  action: JsonObjectText.optional(),
  // Browsers send a textarea's line breaks as CRLF; drafts are stored with LF.
  draft: z
    .string()
    .max(100_000, "Drafts are limited to 100,000 characters")
    .transform((s) => s.replace(/\r\n?/g, "\n"))
    .optional(),
  note: Note,
});

export const RejectInput = z.object({
  reviewId: ReviewId,
  version: Version,
  timeOnItemMs: TimeOnItem,
  reason: z.enum(rejectionReasonValues, "Choose a reason"),
  note: Note,
});

/** Send back with instructions: the item ends `rejected` (outcome `changes_requested`) and the agent is told what to change. */
export const RequestChangesInput = z.object({
  reviewId: ReviewId,
  version: Version,
  timeOnItemMs: TimeOnItem,
  instruction: z.string({ error: "Tell the agent what to change" }).trim().min(1, "Tell the agent what to change").max(2000, "Use at most 2,000 characters"),
});

export const DecisionInput = z.discriminatedUnion("outcome", [
  ApproveInput.extend({ outcome: z.literal("approved") }),
  EditInput.extend({ outcome: z.literal("edited") }),
  RejectInput.extend({ outcome: z.literal("rejected") }),
  RequestChangesInput.extend({ outcome: z.literal("changes_requested") }),
]);
export type DecisionInput = z.output<typeof DecisionInput>;

export const MyDecisionsParams = z.object({
  outcome: optionalEnum(["approved", "edited", "rejected", "changes_requested"] as const),
  taskType: z
    .string()
    .max(100)
    .regex(/^[a-z0-9._-]+$/)
    .optional()
    .catch(undefined),
  days: z.coerce.number().int().min(1).max(365).default(30).catch(30),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type MyDecisionsParams = z.output<typeof MyDecisionsParams>;
