// A step that submits and waits, to be killed mid-wait and run again (e2e/clients.spec.ts): both runs
// use the same call id, so they must answer the same review. Prints the outcome as one JSON line.
import { createCountersignClient, requestApproval } from "@countersign/client";

const [callId, orderId] = process.argv.slice(2);
const client = createCountersignClient({ baseUrl: process.env.COUNTERSIGN_URL, apiKey: process.env.COUNTERSIGN_API_KEY });
const submission = { taskType: "refund.issue", title: `Refund ${orderId}`, action: { orderId, amount: 20 }, amount: { value: 20, currency: "USD" }, priority: "low" };
const result = await requestApproval(client, submission, { callId, timeoutSeconds: 120, cancelOnTimeout: false });
console.log(JSON.stringify({ approved: result.approved, reviewId: result.review.id, action: result.approved ? result.action : null }));
