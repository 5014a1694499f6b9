// Scripted models for the client examples, one per framework, built on each framework's own model
// interface (the AI SDK's MockLanguageModelV4, the Agents SDK's Model, a plan/answer pair for the
// LangGraph example). Each calls the gated tool once with the given arguments, then answers with the
// tool's result, and records every tool result it was shown. No network. Copied into the scratch
// project by e2e/clients.spec.ts, so its imports resolve against the frameworks installed there.
import { MockLanguageModelV4 } from "ai/test";
import { Usage } from "@openai/agents";

const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } };

export function aiSdkModel({ toolName, args, callId }) {
  const seen = [];
  const model = new MockLanguageModelV4({
    doGenerate: async ({ prompt }) => {
      const results = prompt.filter((m) => m.role === "tool").flatMap((m) => m.content).filter((p) => p.type === "tool-result");
      if (results.length === 0) {
        return { content: [{ type: "tool-call", toolCallId: callId, toolName, input: JSON.stringify(args) }], finishReason: { unified: "tool-calls", raw: undefined }, usage, warnings: [] };
      }
      seen.push(...results.map((r) => JSON.stringify(r.output)));
      return { content: [{ type: "text", text: `Tool said: ${seen.at(-1)}` }], finishReason: { unified: "stop", raw: undefined }, usage, warnings: [] };
    },
  });
  return { model, seen };
}

/** Follows a reviewer's edit the way a model would: calls the tool again with the arguments it was given. */
export function agentsModel({ toolName, args, callId }) {
  const seen = [];
  let calls = 0;
  const call = (id, a) => ({ type: "function_call", callId: id, name: toolName, arguments: JSON.stringify(a), status: "completed" });
  const model = {
    async getResponse(request) {
      const input = Array.isArray(request.input) ? request.input : [];
      const results = input.filter((i) => i.type === "function_call_result");
      const respond = (output) => ({ usage: new Usage(), output, responseId: `resp-${++calls}` });
      if (results.length === 0) return respond([call(callId, args)]);
      const last = JSON.stringify(results.at(-1).output);
      seen.push(last);
      const edited = /EDITED by a reviewer.*exactly these arguments, which are approved: (\{.*?\})\./.exec(JSON.parse(last).text ?? last);
      if (edited && results.length === 1) return respond([call(`${callId}-again`, JSON.parse(edited[1]))]);
      return respond([{ type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: `Tool said: ${last}` }] }]);
    },
    async *getStreamedResponse() {
      throw new Error("not scripted");
    },
  };
  return { model, seen };
}

export function langGraphModel({ args }) {
  const seen = [];
  return {
    seen,
    model: {
      plan: async () => ({ name: "issue_refund", args }),
      answer: async (result) => {
        seen.push(typeof result === "string" ? result : JSON.stringify(result));
        return `Tool said: ${seen.at(-1)}`;
      },
    },
  };
}
