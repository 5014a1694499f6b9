import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Problem } from "@/lib/api/problem";
import type { z } from "zod";
import type { ReviewResource, TaskTypeResource } from "@/lib/validation/reviews";

/**
 * Tool results written for the model that reads them: first what the answer means for what it may do
 * next, then the resource itself (also as structured content, checked against the output schema).
 */

type TaskType = z.infer<typeof TaskTypeResource>;

const quoted = (s: string) => JSON.stringify(s);

function decidedBy(review: ReviewResource): string {
  const reviewer = review.decision?.reviewer;
  return reviewer ? ` by ${reviewer.name} (${reviewer.email})` : "";
}

function noteOf(review: ReviewResource): string {
  const note = review.decision?.note;
  return note ? ` Reviewer's note: ${quoted(note)}.` : "";
}

/** What the review's state allows the agent to do, in one paragraph. */
export function guidanceFor(review: ReviewResource): string {
  const d = review.decision;
  const hash = d ? ` Its actionHash (SHA-256 of the RFC 8785 canonical JSON of decision.action) is ${d.actionHash}; check it before you act.` : "";
  switch (review.status) {
    case "approved":
      if (d?.outcome === "auto_approved") {
        return `APPROVED automatically by the task type's policy (outcome auto_approved): you may proceed now. Execute exactly decision.action.${hash}`;
      }
      if (d?.outcome === "edited") {
        return (
          `APPROVED WITH EDITS${decidedBy(review)}: you may proceed, but the reviewer changed your proposal. Execute exactly decision.action` +
          `${d.draft !== null ? " and send exactly decision.draft" : ""}, not what you proposed.${hash}${noteOf(review)}`
        );
      }
      return `APPROVED${decidedBy(review)}: you may proceed. Execute exactly decision.action${d?.draft ? " and send exactly decision.draft" : ""}.${hash}${noteOf(review)}`;
    case "rejected":
      if (d?.outcome === "changes_requested") {
        return (
          `CHANGES REQUESTED${decidedBy(review)}: do not perform the action as proposed. The reviewer's instruction: ${quoted(d.instruction ?? d.note ?? "")}. ` +
          `Change the proposal as instructed and submit it again with request_review and revisionOf ${quoted(review.id)}.`
        );
      }
      return (
        `REJECTED${decidedBy(review)}: do not perform the action. Reason: ${quoted(d?.reason ?? "none given")}.${noteOf(review)} ` +
        `If you can address the reason, submit a corrected proposal with request_review and revisionOf ${quoted(review.id)}.`
      );
    case "expired":
      return "EXPIRED: nobody decided in time, so it is not approved. Do not perform the action; submit it again with request_review if it is still needed.";
    case "cancelled":
      return "CANCELLED: this review was withdrawn. Do not perform the action.";
    case "pending":
      return (
        `PENDING: a person must decide before you act (why: ${review.routing.reasons.join(", ") || "policy"}). Do not perform the action yet. ` +
        `Call get_review with id ${quoted(review.id)} to keep waiting (it waits up to 50 s a call); call it again while it stays pending.` +
        (review.expiresAt ? ` Undecided at ${review.expiresAt}, it expires and must not be acted on.` : "")
      );
  }
}

export function reviewResult(review: ReviewResource, prefix = ""): CallToolResult {
  return {
    content: [
      { type: "text", text: prefix + guidanceFor(review) },
      { type: "text", text: JSON.stringify(review) },
    ],
    structuredContent: review as unknown as Record<string, unknown>,
  };
}

function describeTaskType(t: TaskType): string {
  const looks = t.needsHumanByDefault ? "a person decides each item first" : `runs automatically unless confidence is under ${t.confidenceThreshold}, a rule matches or you flag it`;
  const floorNames = { irreversible: "irreversible actions", phi: "writes of protected health information", amount: t.amountLimit ? `amounts over ${t.amountLimit.value} ${t.amountLimit.currency}` : "amounts over its limit" };
  const floors = t.floors.length ? `; always a person first for ${t.floors.map((f) => floorNames[f]).join(", ")}` : "";
  const where = t.amountPath ? `; reads each item's amount from ${t.amountPath} (a top-level amount must match it)` : "";
  const unclassified = t.classified ? "" : "; not yet classified by an admin";
  return `- ${t.key} (${t.mode}): ${looks}${floors}${where}${unclassified}`;
}

export function taskTypesResult(taskTypes: TaskType[]): CallToolResult {
  const lines = taskTypes.length
    ? taskTypes.map(describeTaskType).join("\n")
    : "No task types yet. Submitting with a new key registers it in approve_before_action: a person decides each item first.";
  return {
    content: [
      { type: "text", text: `Task types of your organization:\n${lines}` },
      { type: "text", text: JSON.stringify({ taskTypes }) },
    ],
    structuredContent: { taskTypes },
  };
}

/** A refused call as a tool error: the same problem the REST API would answer, as text a model can act on. */
export function problemResult(problem: Problem, retryAfter?: string): CallToolResult {
  const fields = Object.entries(problem.errors ?? {}).map(([field, messages]) => `\n- ${field}: ${messages.join("; ")}`);
  const retry = retryAfter ? ` Retry after ${retryAfter} seconds.` : "";
  return { content: [{ type: "text", text: `${problem.title} (${problem.status}): ${problem.detail}${retry}${fields.join("")}` }], isError: true };
}
