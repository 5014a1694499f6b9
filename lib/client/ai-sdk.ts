import { requestApproval, type ApprovalResult } from "./approval";
import type { CountersignClient } from "./index";
import type { JsonObject } from "./types";
import { argsFromApproved, submissionFor, type ToolMapping } from "./mapping";

/**
 * Vercel AI SDK (`ai`) adapter. `countersignTools` wraps tools' `execute`: a call runs only after a
 * person (or the policy) approves it, with the approved — possibly edited — arguments; a refusal is the
 * tool's result, so the model reads the reviewer's reason. Works with `generateText`, `streamText` and
 * `ToolLoopAgent`. For the SDK's own approval parts (`toolApproval`, AI SDK 6+), add
 * `countersignToolApproval` with the same mappings: both answer the same review (same tool call id).
 */

export type { ToolMapping } from "./mapping";

/** The part of an AI SDK tool this adapter touches (kept structural: no import of `ai`). */
type ExecutableTool = { execute?: (input: never, options: { toolCallId: string; abortSignal?: AbortSignal }) => unknown };

export type AiSdkGateOptions = {
  /** Called with each decision (logging, metrics). */
  onDecision?: (toolName: string, result: ApprovalResult) => void;
};

/** The text a refused tool call returns to the model. */
export function refusalOutput(result: Extract<ApprovalResult, { approved: false }>): string {
  return `NOT APPROVED (${result.outcome}). ${result.reason}`;
}

export function gateTool<T extends ExecutableTool>(client: CountersignClient, name: string, tool: T, mapping: ToolMapping<Parameters<NonNullable<T["execute"]>>[0]> = {}, options: AiSdkGateOptions = {}): T {
  const execute = tool.execute as ((input: unknown, opts: { toolCallId: string; abortSignal?: AbortSignal }) => unknown) | undefined;
  if (!execute) throw new TypeError(`Tool ${name} has no execute function to gate.`);
  const m = mapping as ToolMapping<unknown>;
  const gated = async (input: unknown, opts: { toolCallId: string; abortSignal?: AbortSignal }) => {
    const result = await requestApproval(client, submissionFor(name, input, m), { callId: `ai-sdk:${opts.toolCallId}`, signal: opts.abortSignal, timeoutSeconds: m.timeoutSeconds });
    options.onDecision?.(name, result);
    if (!result.approved) return refusalOutput(result);
    return execute(argsFromApproved(result.action, input, m), opts);
  };
  return { ...tool, execute: gated };
}

/** Gates the tools named in `mappings` (a tool without a mapping entry runs as before). */
export function countersignTools<T extends Record<string, ExecutableTool>>(client: CountersignClient, tools: T, mappings: { [K in keyof T]?: ToolMapping<Parameters<NonNullable<T[K]["execute"]>>[0]> | true }, options: AiSdkGateOptions = {}): T {
  const out: Record<string, ExecutableTool> = { ...tools };
  for (const [name, mapping] of Object.entries(mappings)) {
    if (!mapping || !tools[name]) continue;
    out[name] = gateTool(client, name, tools[name], mapping === true ? {} : (mapping as ToolMapping<never>), options);
  }
  return out as T;
}

/**
 * A `toolApproval` function for `generateText` / `streamText` / `ToolLoopAgent`: each gated call's
 * approval request and response parts come from Countersign's decision. The SDK can't run a tool with
 * edited input, so pair it with `countersignTools` (same mappings): the gated `execute` then answers the
 * same, already decided review and runs with the edit.
 */
export function countersignToolApproval(client: CountersignClient, mappings: Record<string, ToolMapping<JsonObject> | true>) {
  return async ({ toolCall, abortSignal }: { toolCall: { toolName: string; toolCallId: string; input: unknown }; abortSignal?: AbortSignal }) => {
    const mapping = mappings[toolCall.toolName];
    if (!mapping) return undefined;
    const m: ToolMapping<JsonObject> = mapping === true ? {} : mapping;
    const result = await requestApproval(client, submissionFor(toolCall.toolName, toolCall.input as JsonObject, m), { callId: `ai-sdk:${toolCall.toolCallId}`, signal: abortSignal, timeoutSeconds: m.timeoutSeconds });
    return result.approved
      ? { type: "approved" as const, reason: result.edited ? "Approved with edits by a reviewer" : `Approved (${result.outcome})` }
      : { type: "denied" as const, reason: refusalOutput(result) };
  };
}
