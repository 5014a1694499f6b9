import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Db } from "@/db/client";
import { cancelReview, listTaskTypesForApi } from "@/db/queries/reviews";
import { authorizeRequest, problemOf } from "@/lib/api/handler";
import { submitOne } from "@/lib/submissions/submit";
import { getReviewWaiting } from "@/lib/api/review-wait";
import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/data/uuid";
import type { ReviewResource } from "@/lib/validation/reviews";
import { problemResult, reviewResult, taskTypesResult } from "./results";
import { MCP_TOOLS } from "./tools";
import {
  CancelReviewArguments,
  DEFAULT_WAIT_SECONDS,
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
      title: MCP_TOOLS.request_review.title,
      description: MCP_TOOLS.request_review.description,
      inputSchema: RequestReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    ({ idempotencyKey, waitSeconds = DEFAULT_WAIT_SECONDS, ...submission }, extra) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, MCP_TOOLS.request_review.scope);
        const stored = await submitOne(ctx.db, { scope }, submission, idempotencyKey);
        const submitted = JSON.parse(stored.body) as ReviewResource;
        // Waiting for a decision, or answering a replay as it stands now, reads the review's current
        // state: that needs `reviews:read`, as GET /reviews/{id} does. Without it the answer is the
        // stored one, as POST /reviews answers; else any key could read a decision (reason, note,
        // reviewer) by replaying another request's idempotencyKey.
        const mayRead = scope.scopes.includes(MCP_TOOLS.get_review.scope);
        const current = mayRead && (submitted.status === "pending" || stored.replayed);
        const review = current ? ((await getReviewWaiting(ctx.db, scope, submitted.id, waitSeconds, waitSignal(ctx, extra.signal))) ?? submitted) : submitted;
        const replayNote = mayRead
          ? "This idempotencyKey was already used with these arguments; this is the review it created, as it stands now. "
          : "This idempotencyKey was already used with these arguments; this is the review as it was first answered (its current state needs the reviews:read scope). ";
        return reviewResult(review, stored.replayed ? replayNote : "");
      }),
  );

  server.registerTool(
    "get_review",
    {
      title: MCP_TOOLS.get_review.title,
      description: MCP_TOOLS.get_review.description,
      inputSchema: GetReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ id, waitSeconds = DEFAULT_WAIT_SECONDS }, extra) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, MCP_TOOLS.get_review.scope);
        if (!isUuid(id)) throw notFound(id);
        const review = await getReviewWaiting(ctx.db, scope, id, waitSeconds, waitSignal(ctx, extra.signal));
        if (!review) throw notFound(id);
        return reviewResult(review);
      }),
  );

  server.registerTool(
    "cancel_review",
    {
      title: MCP_TOOLS.cancel_review.title,
      description: MCP_TOOLS.cancel_review.description,
      inputSchema: CancelReviewArguments,
      outputSchema: ReviewResult,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    ({ id }) =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, MCP_TOOLS.cancel_review.scope);
        if (!isUuid(id)) throw notFound(id);
        return reviewResult(await cancelReview(ctx.db, scope, id).catch((e) => Promise.reject(e instanceof AppError && e.code === "not_found" ? notFound(id) : e)));
      }),
  );

  server.registerTool(
    "list_task_types",
    {
      title: MCP_TOOLS.list_task_types.title,
      description: MCP_TOOLS.list_task_types.description,
      inputSchema: ListTaskTypesArguments,
      outputSchema: TaskTypesResult,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      asToolResult(ctx, async () => {
        const scope = await authorizeRequest(ctx.db, ctx.request, MCP_TOOLS.list_task_types.scope);
        return taskTypesResult(await listTaskTypesForApi(ctx.db, scope));
      }),
  );

  return server;
}
