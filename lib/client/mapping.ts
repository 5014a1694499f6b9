import type { Amount, JsonObject, Priority, ReviewAttributes, ReviewSubmission } from "./types";

/**
 * How one tool's call becomes a review, written once per tool. Everything is optional: by default the
 * task type is the tool's name, the action is the call's arguments, and an approved (possibly edited)
 * action is the arguments the tool runs with.
 */
export type ToolMapping<Args = JsonObject> = {
  /** The task type's key (default: the tool's name, lowercased, other characters as `_`). */
  taskType?: string;
  /** The action a reviewer sees and approves (default: the arguments). */
  action?: (args: Args) => JsonObject;
  /** The arguments to run with, from the approved action (default: the action itself). */
  argsFrom?: (action: JsonObject, args: Args) => Args;
  title?: string | ((args: Args) => string | undefined);
  draft?: (args: Args) => string | undefined;
  context?: JsonObject | ((args: Args) => JsonObject | undefined);
  confidence?: number | ((args: Args) => number | undefined);
  amount?: (args: Args) => Amount | undefined;
  attributes?: ReviewAttributes | ((args: Args) => ReviewAttributes | undefined);
  priority?: Priority;
  expiresInSeconds?: number;
  /** How long the tool call waits for a decision before it is refused (default 3600). */
  timeoutSeconds?: number;
};

const valueOf = <Args, T>(v: T | ((args: Args) => T | undefined) | undefined, args: Args): T | undefined =>
  typeof v === "function" ? (v as (args: Args) => T | undefined)(args) : v;

/** A tool name as a task type key: lowercase letters, digits, `.`, `_`, `-`. */
export function taskTypeKeyOf(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "_")
      .slice(0, 100) || "tool"
  );
}

export function submissionFor<Args>(toolName: string, args: Args, mapping: ToolMapping<Args> = {}): ReviewSubmission {
  const action = mapping.action ? mapping.action(args) : ((args ?? {}) as unknown as JsonObject);
  const submission: ReviewSubmission = { taskType: mapping.taskType ?? taskTypeKeyOf(toolName), action };
  const title = valueOf(mapping.title, args);
  const draft = mapping.draft?.(args);
  const context = valueOf(mapping.context, args);
  const confidence = valueOf(mapping.confidence, args);
  const amount = mapping.amount?.(args);
  const attributes = valueOf(mapping.attributes, args);
  if (title !== undefined) submission.title = title;
  if (draft !== undefined) submission.draft = draft;
  if (context !== undefined) submission.context = context;
  if (confidence !== undefined) submission.confidence = confidence;
  if (amount !== undefined) submission.amount = amount;
  if (attributes !== undefined) submission.attributes = attributes;
  if (mapping.priority !== undefined) submission.priority = mapping.priority;
  if (mapping.expiresInSeconds !== undefined) submission.expiresInSeconds = mapping.expiresInSeconds;
  return submission;
}

export function argsFromApproved<Args>(action: JsonObject, args: Args, mapping: ToolMapping<Args> = {}): Args {
  return mapping.argsFrom ? mapping.argsFrom(action, args) : (action as unknown as Args);
}
