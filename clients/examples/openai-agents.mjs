import { Agent, run, tool } from "@openai/agents";
import { z } from "zod";
import { createCountersignClient } from "@countersign/client";
import { runWithCountersign } from "@countersign/client/openai-agents";

const countersign = createCountersignClient({ baseUrl: process.env.COUNTERSIGN_URL, apiKey: process.env.COUNTERSIGN_API_KEY });

export async function refundAgent({ model, issueRefund, prompt = "Order A-1 arrived broken." }) {
  const refund = tool({ name: "issue_refund", description: "Refund an order", parameters: z.object({ orderId: z.string(), amount: z.number() }), needsApproval: true, execute: issueRefund });
  const agent = new Agent({ name: "Support", instructions: "Refund orders that arrived broken.", model, tools: [refund] });
  // Every interruption is decided in Countersign; the run resumes once each is decided.
  return runWithCountersign(countersign, run, agent, prompt, {
    mappings: { issue_refund: { taskType: "refund.issue", title: (a) => `Refund ${a.orderId}`, amount: (a) => ({ value: a.amount, currency: "USD" }), priority: "low" } },
  });
}
