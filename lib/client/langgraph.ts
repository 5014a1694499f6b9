import { requestApproval, type ApprovalResult } from "./approval";
import type { CountersignClient } from "./index";
import { submissionFor, type ToolMapping } from "./mapping";
import type { JsonObject, Outcome, ReviewSubmission } from "./types";

/**
 * LangGraph.js (`@langchain/langgraph`) adapter, for a graph with a checkpointer. In a node:
 *
 *   const decision = interrupt(approvalRequest("issue_refund", args));
 *   if (!decision.approved) return { result: decision.reason };
 *   await issueRefund(decision.action);            // the approved, possibly edited, action
 *
 * and around the graph: `await resumeWithApproval(client, graph, config)` after an invoke that stopped
 * on such an interrupt turns it into a review, waits for the decision, and resumes the thread with
 * `new Command({ resume })` carrying it. The review is keyed by the thread and the interrupt's id, so a
 * retried resume (after a crash mid-wait) answers the same review.
 */

export type { ToolMapping } from "./mapping";

/** What a node passes to `interrupt()`: the review to request. */
export type ApprovalInterrupt = { countersign: ReviewSubmission };

/** What `interrupt()` returns in the node once the thread is resumed: the decision. */
export type ApprovalResume =
  | { approved: true; action: JsonObject; actionHash: string; draft: string | null; outcome: Outcome; edited: boolean; reviewId: string }
  | { approved: false; reason: string; outcome: Outcome; reviewId: string };

/** The payload for `interrupt()`, from a tool-like name, its arguments and (optionally) a mapping. */
export function approvalRequest<Args>(name: string, args: Args, mapping: ToolMapping<Args> = {}): ApprovalInterrupt {
  return { countersign: submissionFor(name, args, mapping) };
}

export function resumeValueOf(result: ApprovalResult): ApprovalResume {
  return result.approved
    ? { approved: true, action: result.action, actionHash: result.actionHash, draft: result.draft, outcome: result.outcome, edited: result.edited, reviewId: result.review.id }
    : { approved: false, reason: result.reason, outcome: result.outcome, reviewId: result.review.id };
}

/** The parts of a compiled graph this adapter uses (structural: no static import of LangGraph). */
type Config = { configurable?: { thread_id?: string | number; [key: string]: unknown }; [key: string]: unknown };
type GraphLike<Out> = {
  getState(config: Config): Promise<{ tasks: ReadonlyArray<{ interrupts?: ReadonlyArray<{ id?: string; value?: unknown }> }> }>;
  invoke(input: unknown, config: Config): Promise<Out>;
};

const isApprovalInterrupt = (value: unknown): value is ApprovalInterrupt =>
  !!value && typeof value === "object" && "countersign" in value && !!(value as ApprovalInterrupt).countersign?.taskType;

export type ResumeOptions = {
  signal?: AbortSignal;
  timeoutSeconds?: number;
  /** At most this many resumes before giving up (default 10). */
  maxRounds?: number;
  onDecision?: (request: ReviewSubmission, result: ApprovalResult) => void;
};

/**
 * While the thread is stopped on Countersign interrupts: request each review, wait for the decisions,
 * and resume with them. Returns the last `invoke` result (or null when nothing was waiting).
 */
export async function resumeWithApproval<Out>(client: CountersignClient, graph: GraphLike<Out>, config: Config, options: ResumeOptions = {}): Promise<Out | null> {
  const threadId = config.configurable?.thread_id;
  if (threadId === undefined) throw new TypeError("resumeWithApproval needs config.configurable.thread_id (a graph with a checkpointer).");
  // A variable specifier: LangGraph is an optional peer, loaded only when this runs.
  const specifier = "@langchain/langgraph";
  const { Command } = (await import(specifier)) as { Command: new (params: { resume: unknown }) => unknown };
  let last: Out | null = null;
  for (let round = 0; ; round++) {
    const state = await graph.getState(config);
    const pending = state.tasks.flatMap((t) => t.interrupts ?? []).filter((i) => isApprovalInterrupt(i.value));
    if (pending.length === 0) return last;
    if (round >= (options.maxRounds ?? 10)) throw new Error("resumeWithApproval: too many approval rounds.");
    const answers: Record<string, ApprovalResume> = {};
    for (const [index, item] of pending.entries()) {
      const request = (item.value as ApprovalInterrupt).countersign;
      const callId = `langgraph:${threadId}:${item.id ?? index}`;
      const result = await requestApproval(client, request, { callId, signal: options.signal, timeoutSeconds: options.timeoutSeconds });
      options.onDecision?.(request, result);
      answers[item.id ?? String(index)] = resumeValueOf(result);
    }
    const values = Object.values(answers);
    last = await graph.invoke(new Command({ resume: pending.length === 1 ? values[0] : answers }), config);
  }
}
