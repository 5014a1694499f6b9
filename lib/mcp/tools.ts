// What the MCP server's tools are called and tell a model, apart from the server (which needs the
// database): clients list these, and the API reference page shows them.

const REQUEST_REVIEW = `Ask a person to countersign an action before you perform it, or a draft before you send it. Call this BEFORE any consequential action.
Put the action's parameters in \`action\` exactly as you would execute them; a draft (email, note, report) in \`draft\`; the evidence a reviewer needs in \`context\`; your \`confidence\` (0–1); the \`amount\` it moves; \`attributes.irreversible\` / \`attributes.phi\` when true, and \`attributes.flagged\` when you yourself are unsure. Use list_task_types to choose \`taskType\`.
It waits for the decision up to \`waitSeconds\` (default and most 50, under the usual 60 s tool-call timeout; with a key that has the reviews:read scope; without it, it answers at once with the review as submitted). A person may take minutes or hours: while the answer is pending, call get_review with the id again (each call waits up to 50 s) — a long-running wait is a loop of get_review calls, never a resubmission. What the answer's status means:
- approved with decision.outcome auto_approved: the policy lets this run without a person; you may proceed, executing exactly decision.action.
- approved with outcome approved or edited: a person approved; proceed, executing exactly decision.action (and decision.draft) as returned, which may differ from your proposal. Check decision.actionHash.
- rejected: do not perform the action; read decision.reason. You may submit a corrected proposal with revisionOf set to the rejected review's id.
- rejected with decision.outcome changes_requested: the reviewer sent it back with an instruction in decision.instruction. Do not perform it as proposed; change it as instructed and submit it again with revisionOf set to this review's id (the reviewer sees your changes beside the instruction).
- pending: nobody has decided yet; do not act. Call get_review with the id until it is decided.
- expired or cancelled: do not act.
Pass an idempotencyKey so that a retry after a timeout or an error answers the same review instead of creating a second one.`;

const GET_REVIEW = `Get a review and its decision by id. Use it to wait for a pending review: each call waits up to waitSeconds (default and most 50, under the usual 60 s tool-call timeout) and answers pending if nobody has decided by then; call it again while it stays pending. Pass waitSeconds 0 to check a review at once before acting.
Status means the same as for request_review: approved → proceed, executing exactly decision.action (check decision.actionHash); rejected → do not act, read decision.reason (outcome changes_requested: follow decision.instruction and resubmit with revisionOf); pending → not decided yet, do not act, keep waiting; expired or cancelled → do not act.`;

const CANCEL_REVIEW = `Withdraw a pending review you no longer need (the task was abandoned or superseded), so no reviewer spends time on it. Only a pending review can be cancelled; for a decided one the answer is an error that names its status. After cancelling, do not perform the action.`;

const LIST_TASK_TYPES = `List your organization's task types: the keys to use as taskType in request_review, with each one's mode and whether a person decides first. Call it once when you plan.
Modes: approve_before_action (a person approves every item before it runs); review_after_draft (a person reviews your draft, may edit it, before it is sent); flag_on_exception (runs automatically unless your confidence is under confidenceThreshold, an exception rule matches, or you flag it).
floors name conditions that always need a person: irreversible, phi, amount (over amountLimit). A key that isn't listed registers a new task type in approve_before_action.`;

/** The tools: title and description as clients list them, and the key scope each call needs. */
export const MCP_TOOLS = {
  list_task_types: { title: "List task types", description: LIST_TASK_TYPES, scope: "reviews:read" },
  request_review: { title: "Ask a person to approve an action", description: REQUEST_REVIEW, scope: "reviews:write" },
  get_review: { title: "Get a review's decision", description: GET_REVIEW, scope: "reviews:read" },
  cancel_review: { title: "Withdraw a pending review", description: CANCEL_REVIEW, scope: "reviews:write" },
} as const satisfies Record<string, { title: string; description: string; scope: "reviews:read" | "reviews:write" }>;
