import type { Review } from "@/db/schema";

/**
 * The columns a submission writes to `reviews`, for every path of lib/submissions/submit.ts: each
 * writes through `writeSubmissions`, which builds its recordset, its insert and the JSON it sends
 * from this list. `organization_id`, `api_key_id`, `created_at` and `updated_at` come from the
 * request, not the item. A new column: the schema, `planSubmission` (the typed `Review` it builds) and
 * one line here.
 */
export const submittedReviewColumns = [
  { column: "id", type: "uuid", value: (r: Review) => r.id },
  { column: "workspace_id", type: "uuid", value: (r: Review) => r.workspaceId },
  { column: "task_type_id", type: "uuid", value: (r: Review) => r.taskTypeId },
  { column: "status", type: "text", value: (r: Review) => r.status },
  { column: "mode", type: "text", value: (r: Review) => r.mode },
  { column: "needs_human", type: "boolean", value: (r: Review) => r.needsHuman },
  { column: "blocking", type: "boolean", value: (r: Review) => r.blocking },
  { column: "routing_reasons", type: "text[]", value: (r: Review) => r.routingReasons },
  { column: "title", type: "text", value: (r: Review) => r.title },
  { column: "action", type: "jsonb", value: (r: Review) => r.action },
  { column: "draft", type: "text", value: (r: Review) => r.draft },
  { column: "context", type: "jsonb", value: (r: Review) => r.context },
  { column: "confidence", type: "double precision", value: (r: Review) => r.confidence },
  { column: "amount_value", type: "numeric", value: (r: Review) => r.amountValue },
  { column: "amount_currency", type: "text", value: (r: Review) => r.amountCurrency },
  { column: "attributes", type: "jsonb", value: (r: Review) => r.attributes },
  { column: "priority", type: "text", value: (r: Review) => r.priority },
  { column: "external_id", type: "text", value: (r: Review) => r.externalId },
  { column: "callback_url", type: "text", value: (r: Review) => r.callbackUrl },
  { column: "expires_at", type: "timestamptz", value: (r: Review) => r.expiresAt?.toISOString() ?? null },
  { column: "sla_due_at", type: "timestamptz", value: (r: Review) => r.slaDueAt?.toISOString() ?? null },
  { column: "revision_of", type: "uuid", value: (r: Review) => r.revisionOf },
  { column: "approvals_needed", type: "int", value: (r: Review) => r.approvalsNeeded },
  { column: "decided_at", type: "timestamptz", value: (r: Review) => r.decidedAt?.toISOString() ?? null },
] as const;

/** A review's row as the write's JSON recordset carries it (`column: value`). */
export function submittedReviewRecord(r: Review): Record<string, unknown> {
  return Object.fromEntries(submittedReviewColumns.map((c) => [c.column, c.value(r)]));
}

/** `name type, …` for `json_to_recordset(…) as x(…)`. */
export const submittedReviewRecordset = submittedReviewColumns.map((c) => `${c.column} ${c.type}`).join(", ");

/** `name, …` for the insert and its select. */
export const submittedReviewColumnList = submittedReviewColumns.map((c) => c.column).join(", ");
