import { actionHashOf } from "./action-hash";
import { requestApproval, type ApprovalResult } from "./approval";
import type { CountersignClient } from "./index";
import { submissionFor, type ToolMapping } from "./mapping";
import type { JsonObject } from "./types";

/**
 * OpenAI Agents SDK (`@openai/agents`) adapter. Mark the gated tools `needsApproval: true`; this resolves
 * each interruption through Countersign (submit, wait, then `state.approve` or `state.reject` with the
 * reviewer's reason as the message the model reads) and resumes the run until it finishes.
 *
 * The SDK approves a call as the model made it: it can't run a tool with edited arguments. An edit is
 * therefore passed to the model as the rejection message, naming the reviewer's arguments; when the
 * model calls the tool again with exactly those, the call is approved at once (its action hashes to the
 * one the reviewer approved), with no second review.
 */

export type { ToolMapping } from "./mapping";

/** The parts of the SDK's objects this adapter uses (structural: no import of `@openai/agents`). */
type ApprovalItem = { name?: string; arguments?: string; rawItem: { callId?: string; id?: string; name?: string } };
type RunStateLike = { approve(item: ApprovalItem): void; reject(item: ApprovalItem, options?: { message?: string }): void };
type RunResultLike = { interruptions?: ApprovalItem[]; state: RunStateLike };

export type OpenAIAgentsOptions = {
  /** Mappings per tool name; a tool marked `needsApproval` without one is gated with the defaults. */
  mappings?: Record<string, ToolMapping<JsonObject>>;
  signal?: AbortSignal;
  /** At most this many approval rounds before giving up (default 10). */
  maxRounds?: number;
  onDecision?: (toolName: string, result: ApprovalResult) => void;
};

function parseArgs(text: string | undefined): JsonObject {
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as JsonObject) : { input: parsed };
}

/**
 * Decides every pending interruption of `result` on its run state. `approvedEdits` remembers the hashes
 * of reviewer-edited actions, so the model's call with exactly those arguments is approved at once.
 */
export async function resolveInterruptions(client: CountersignClient, result: RunResultLike, options: OpenAIAgentsOptions & { approvedEdits?: Set<string> } = {}): Promise<void> {
  const edits = options.approvedEdits ?? new Set<string>();
  for (const item of result.interruptions ?? []) {
    const name = item.name ?? item.rawItem.name ?? "tool";
    const args = parseArgs(item.arguments);
    const mapping = options.mappings?.[name] ?? {};
    const submission = submissionFor(name, args, mapping);
    const hash = `${submission.taskType}:${actionHashOf(submission.action)}`;
    if (edits.has(hash)) {
      edits.delete(hash);
      result.state.approve(item);
      continue;
    }
    const callId = item.rawItem.callId ?? item.rawItem.id;
    if (!callId) throw new Error(`The interruption for ${name} carries no call id.`);
    const decision = await requestApproval(client, submission, { callId: `openai-agents:${callId}`, signal: options.signal, timeoutSeconds: mapping.timeoutSeconds });
    options.onDecision?.(name, decision);
    if (!decision.approved) {
      result.state.reject(item, { message: `NOT APPROVED (${decision.outcome}). ${decision.reason}` });
    } else if (decision.edited && actionHashOf(submission.action) !== decision.actionHash) {
      edits.add(`${submission.taskType}:${decision.actionHash}`);
      const note = decision.review.decision?.note ? ` Reviewer's note: ${JSON.stringify(decision.review.decision.note)}.` : "";
      result.state.reject(item, {
        message: `EDITED by a reviewer: not run as proposed. Call ${name} again with exactly these arguments, which are approved: ${JSON.stringify(decision.action)}.${note}`,
      });
    } else {
      result.state.approve(item);
    }
  }
}

/**
 * Runs the agent, resolving approval interruptions through Countersign until the run ends:
 * `const result = await runWithCountersign(client, run, agent, "Refund order A-1")`.
 */
export async function runWithCountersign<R extends RunResultLike, A, I>(client: CountersignClient, run: (agent: A, input: I | R["state"]) => Promise<R>, agent: A, input: I, options: OpenAIAgentsOptions = {}): Promise<R> {
  const approvedEdits = new Set<string>();
  let result = await run(agent, input);
  for (let round = 0; (result.interruptions?.length ?? 0) > 0; round++) {
    if (round >= (options.maxRounds ?? 10)) throw new Error("runWithCountersign: too many approval rounds.");
    await resolveInterruptions(client, result, { ...options, approvedEdits });
    result = await run(agent, result.state);
  }
  return result;
}
