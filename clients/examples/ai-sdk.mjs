import { generateText, isStepCount, tool } from "ai";
import { z } from "zod";
import { createCountersignClient } from "@countersign/client";
import { countersignTools } from "@countersign/client/ai-sdk";

const countersign = createCountersignClient({ baseUrl: process.env.COUNTERSIGN_URL, apiKey: process.env.COUNTERSIGN_API_KEY });

export async function refundAgent({ model, issueRefund, prompt = "Order A-1 arrived broken." }) {
  const refund = tool({ description: "Refund an order", inputSchema: z.object({ orderId: z.string(), amount: z.number() }), execute: issueRefund });
  // One wrapper and a mapping: issueRefund now runs only once a person approves it, with their edits.
  const tools = countersignTools(countersign, { issueRefund: refund }, {
    issueRefund: { taskType: "refund.issue", title: (a) => `Refund ${a.orderId}`, amount: (a) => ({ value: a.amount, currency: "USD" }), priority: "low" },
  });
  return generateText({ model, tools, prompt, stopWhen: isStepCount(3) });
}
