import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Db } from "@/db/client";
import { cancelReview, listTaskTypesForApi } from "@/db/queries/reviews";
import { authorizeRequest, problemOf } from "@/lib/api/handler";
import { submitOne } from "@/lib/api/reviews";
import { getReviewWaiting } from "@/lib/api/review-wait";
import { AppError } from "@/lib/errors";
import type { ReviewResource } from "@/lib/validation/reviews";
import { problemResult, reviewResult, taskTypesResult } from "./results";
import {
  CancelReviewArguments,
  DEFAULT_SUBMIT_WAIT_SECONDS,
  GetReviewArguments,
  ListTaskTypesArguments,
  RequestReviewArguments,
  ReviewResult,
  TaskTypesResult,
} from "./schemas";

/** One MCP request: the database, and the HTTP request whose Bearer key each tool call authorizes again. */
export type McpContext = { db: Db; request: Request; requestId: string };

const INSTRUCTIONS = `Countersign lets a person in your organization countersign what you are about to do.
Before a consequential action (a refund, a record change, a message to a customer, an order), call request_review with the action exactly as you would execute it.
Act only when the review's status is approved, and then execute exactly decision.action as returned (it may have been edited; check decision.actionHash).
If it is pending, do not act: call get_review with its id and waitSeconds until it is decided. If it is rejected, expired or cancelled, do not act.
Call list_task_types first to pick a taskType key and to know whether a person will look first.`;

const REQUEST_REVIEW = `Ask a person to countersign an action before you perform it, or a draft before you send it. Call this BEFORE any consequential action.
Put the action's parameters in \`action\` exactly as you would execute them; a draft (email, note, report) in \`draft\`; the evidence a reviewer needs in \`context\`; your \`confidence\` (0–1); the \`amount\` it moves; \`attributes.irreversible\` / \`attributes.phi\` when true, and \`attributes.flagged\` when you yourself are unsure. Use list_task_types to choose \`taskType\`.
It waits up to \`waitSeconds\` for the decision. What the answer's status means:
- approved with decision.outcome auto_approved: the policy lets this run without a person; you may proceed, executing exactly decision.action.
- approved with outcome approved or edited: a person approved; proceed, executing exactly decision.action (and decision.draft) as returned, which may differ from your proposal. Check decision.actionHash.
- rejected: do not perform the action; read decision.reason. You may submit a corrected proposal with revisionOf set to the rejected review's id.
- pending: nobody has decided yet; do not act. Call get_review with the id and waitSeconds until it is decided.
- expired or cancelled: do not act.
Pass an idempotencyKey so that a retry after a timeout or an error answers the same review instead of creating a second one.`;

const GET_REVIEW = `Get a review and its decision by id. Use it to wait for a pending review (set waitSeconds, up to 30, and call again while it stays pending) or to check a review again before acting.
Status means the same as for request_review: approved → proceed, executing exactly decision.action (check decision.actionHash); rejected → do not act, read decision.reason; pending → not decided yet, do not act, keep waiting; expired or cancelled → do not act.`;

const CANCEL_REVIEW = `Withdraw a pending review you no longer need (the task was abandoned or superseded), so no reviewer spends time on it. Only a pending review can be cancelled; for a decided one the answer is an error that names its status. After cancelling, do not perform the action.`;

const LIST_TASK_TYPES = `List your organization's task types: the keys to use as taskType in request_review, with each one's mode and whether a person decides first. Call it once when you plan.
Modes: approve_before_action (a person approves every item before it runs); review_after_draft (a person reviews your draft, may edit it, before it is sent); flag_on_exception (runs automatically unless your confidence is under confidenceThreshold, an exception rule matches, or you flag it).
floors name conditions that always need a person: irreversible, phi, amount (over amountLimit). A key that isn't listed registers a new task type in approve_before_action.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (id: string) => new AppError("not_found", `No review with id ${JSON.stringify(id)} in your organization. Use the id that request_review answered.`);

/** Runs a tool; anything it throws becomes the problem the REST API would answer, as a tool error (an unknown one logged, told generically). */
async function asToolResult(ctx: McpContext, fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    const { problem, headers } = problemOf(e, ctx.requestId, "/api/mcp");
    return problemResult(problem, headers["retry-after"]);
  }
}

/** Stops a wait when the HTTP client goes away or the MCP client cancels the call. */
const waitSignal = (ctx: McpContext, callSignal: AbortSignal) => AbortSignal.any([ctx.request.signal, callSignal]);

/**
 * A server for one request (stateless: any instance answers any request). Each tool call goes through
 * the REST API's own paths: the key's scope and rate limit, submitReviews (routing, idempotency,
 * audit entries, webhooks), the same queries for reading and cancelling.
 */
export function createMcpServer(ctx: McpContext): McpServer {
  const server = new McpServer({ name: "countersign", title: "Countersign", version: "1.0.0" }, { instructions: INSTRUCTIONS });

  server.registerTool(
    "request_review",
    {
      title: "Ask a person to approve an action",
      description: REQUEST_REVIEW,
      inputSchema: RequestReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ idempotencyKey, waitSeconds = DEFAULT_SUBMIT_WAIT_SECONDS, ...submission }, extra) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, "reviews:write");
        const stored = await submitOne(ctx.db, { scope }, submission, idempotencyKey);
        const submitted = JSON.parse(stored.body) as ReviewResource;
        // A replay answers the review as it stands now, not as it was first answered.
        const current = submitted.status === "pending" || stored.replayed;
        const review = current ? ((await getReviewWaiting(ctx.db, scope, submitted.id, waitSeconds, waitSignal(ctx, extra.signal))) ?? submitted) : submitted;
        return reviewResult(review, stored.replayed ? "This idempotencyKey was already used with these arguments; this is the review it created, as it stands now. " : "");
      }),
  );

  server.registerTool(
    "get_review",
    {
      title: "Get a review's decision",
      description: GET_REVIEW,
      inputSchema: GetReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ id, waitSeconds = 0 }, extra) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, "reviews:read");
        if (!UUID.test(id)) throw notFound(id);
        const review = await getReviewWaiting(ctx.db, scope, id, waitSeconds, waitSignal(ctx, extra.signal));
        if (!review) throw notFound(id);
        return reviewResult(review);
      }),
  );

  server.registerTool(
    "cancel_review",
    {
      title: "Withdraw a pending review",
      description: CANCEL_REVIEW,
      inputSchema: CancelReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    ({ id }) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, "reviews:write");
        if (!UUID.test(id)) throw notFound(id);
        return reviewResult(await cancelReview(ctx.db, scope, id).catch((e) => Promise.reject(e instanceof AppError && e.code === "not_found" ? notFound(id) : e)));
      }),
  );

  server.registerTool(
    "list_task_types",
    {
      title: "List task types",
      description: LIST_TASK_TYPES,
      inputSchema: ListTaskTypesArguments,
      outputSchema: TaskTypesResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, "reviews:read");
        return taskTypesResult(await listTaskTypesForApi(ctx.db, scope));
      }),
  );

  return server;
}
