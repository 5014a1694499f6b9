import { Annotation, END, interrupt, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { createCountersignClient } from "@countersign/client";
import { approvalRequest, resumeWithApproval } from "@countersign/client/langgraph";

const countersign = createCountersignClient({ baseUrl: process.env.COUNTERSIGN_URL, apiKey: process.env.COUNTERSIGN_API_KEY });
const State = Annotation.Root({ prompt: Annotation(), call: Annotation(), result: Annotation(), answer: Annotation() });

export async function refundAgent({ model, issueRefund, prompt = "Order A-1 arrived broken.", threadId }) {
  const graph = new StateGraph(State)
    .addNode("plan", async (s) => ({ call: await model.plan(s.prompt) })) // the model picks the tool call
    .addNode("refund", async (s) => {
      const decision = interrupt(approvalRequest("issue_refund", s.call.args, { taskType: "refund.issue", title: (a) => `Refund ${a.orderId}`, amount: (a) => ({ value: a.amount, currency: "USD" }), priority: "low" }));
      return { result: decision.approved ? await issueRefund(decision.action) : decision.reason };
    })
    .addNode("respond", async (s) => ({ answer: await model.answer(s.result) })) // and reads the tool's result
    .addEdge(START, "plan").addEdge("plan", "refund").addEdge("refund", "respond").addEdge("respond", END)
    .compile({ checkpointer: new MemorySaver() });
  const config = { configurable: { thread_id: threadId } };
  await graph.invoke({ prompt }, config); // stops at the interrupt
  return resumeWithApproval(countersign, graph, config); // decided in Countersign, then resumed
}
