import { createHash } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { canonicalJson } from "@/lib/data/canonical-json";
import { DEMO_API_KEY, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

/**
 * An MCP-capable agent configured with only the endpoint URL and an API key: the SDK's own client over
 * real HTTP to the running app. Items submitted to the demo organization are low priority with unique
 * titles, so "Next item" in parallel specs never takes them.
 */

type Review = { id: string; status: string; action: Record<string, unknown>; decision: { outcome: string; action: Record<string, unknown>; actionHash: string; reviewer: { email: string } | null } | null };

const run = `${Date.now().toString(36)}-${process.pid}`;
let seq = 0;
const unique = (label: string) => `${label} ${run}-${++seq}`;

async function connect(baseURL: string | undefined, key: string): Promise<Client> {
  const client = new Client({ name: "countersign-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL("/api/mcp", baseURL), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 })) as CallToolResult;
}

const textOf = (result: CallToolResult) => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
function reviewOf(result: CallToolResult): Review {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as Review;
}
const hashOf = (action: Record<string, unknown>) => createHash("sha256").update(canonicalJson(action)).digest("hex");

test("an agent lists the tools and task types, and an auto-approved action is approved at once", async ({ baseURL }) => {
  const client = await connect(baseURL, DEMO_API_KEY);
  try {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(["cancel_review", "get_review", "list_task_types", "request_review"]);
    expect(tools.find((t) => t.name === "request_review")?.description).toContain("rejected: do not perform the action");

    const listed = await call(client, "list_task_types", {});
    const { taskTypes } = listed.structuredContent as { taskTypes: { key: string; mode: string; needsHumanByDefault: boolean; confidenceThreshold: number }[] };
    const routeAdjust = taskTypes.find((t) => t.key === "route.adjust");
    expect(routeAdjust).toMatchObject({ mode: "flag_on_exception", needsHumanByDefault: false });

    // Above route.adjust's confidence threshold, with no rule or floor: the policy approves it.
    const action = { routeId: `R-${run}`, vehicleId: "V-12", stopsAdded: 1, stopsRemoved: 0, etaChangeMinutes: 4 };
    const result = await call(client, "request_review", { taskType: "route.adjust", title: unique("MCP route"), action, confidence: 0.99, priority: "low" });
    const review = reviewOf(result);
    expect(review).toMatchObject({ status: "approved", decision: { outcome: "auto_approved", action } });
    expect(review.decision?.actionHash).toBe(hashOf(action));
    expect(textOf(result)).toContain("you may proceed");
  } finally {
    await client.close();
  }
});

test("a gated action answers pending, then approved with the final action once a reviewer approves it in the queue", async ({ baseURL, browser }) => {
  const client = await connect(baseURL, DEMO_API_KEY);
  try {
    const title = unique("MCP refund");
    const action = { orderId: `M-${run}`, amount: 35, reason: "damaged" };
    const submitted = await call(client, "request_review", {
      taskType: "refund.issue",
      title,
      action,
      amount: { value: 35, currency: "USD" },
      confidence: 0.93,
      priority: "low",
      context: { customer: "e2e" },
      waitSeconds: 0,
    });
    const pending = reviewOf(submitted);
    expect(pending).toMatchObject({ status: "pending", decision: null });
    expect(textOf(submitted)).toContain("Do not perform the action yet");

    const reviewer = await signedInPage(browser, demo.reviewer);
    await reviewer.goto(`/queue/${pending.id}`);
    await expect(reviewer.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(reviewer.getByTestId("claim-note")).toBeVisible();

    // The agent waits; the reviewer's approval wakes it (LISTEN/NOTIFY), well before the wait runs out.
    const waiting = call(client, "get_review", { id: pending.id, waitSeconds: 30 });
    const started = Date.now();
    await reviewer.getByRole("button", { name: /^Approve/ }).click();
    await expect(reviewer.getByText("Approved. The agent has been told.")).toBeVisible();
    const result = await waiting;
    expect(Date.now() - started).toBeLessThan(25_000);
    const decided = reviewOf(result);
    expect(decided).toMatchObject({ id: pending.id, status: "approved", decision: { outcome: "approved", action, reviewer: { email: demo.reviewer } } });
    expect(decided.decision?.actionHash).toBe(hashOf(action));
    expect(textOf(result)).toMatch(/^APPROVED by .*: you may proceed/);
  } finally {
    await client.close();
  }
});

test("another organization's key finds none of the demo's reviews, and once revoked is refused", async ({ baseURL, page }) => {
  const demoClient = await connect(baseURL, DEMO_API_KEY);
  const demoReview = reviewOf(
    await call(demoClient, "request_review", { taskType: "refund.issue", title: unique("MCP other-org"), action: { orderId: `O-${run}`, amount: 12 }, priority: "low", waitSeconds: 0 }),
  );

  await signUpOrganization(page, "mcp");
  await page.goto("/admin/api-keys");
  const name = unique("MCP agent");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = await dialog.getByTestId("new-api-key").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  const theirs = await connect(baseURL, key);
  try {
    for (const tool of ["get_review", "cancel_review"]) {
      const result = await call(theirs, tool, { id: demoReview.id });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`No review with id "${demoReview.id}" in your organization`);
    }
    // Still pending for the demo organization: the other key changed nothing.
    expect(reviewOf(await call(demoClient, "get_review", { id: demoReview.id, waitSeconds: 0 })).status).toBe("pending");

    await page.getByRole("row").filter({ hasText: name }).getByRole("button", { name: `Revoke ${name}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
    await expect(page.getByRole("row").filter({ hasText: name }).getByText("Revoked", { exact: true })).toBeVisible();

    // A client already connected is refused on its next call, and a new one can't connect.
    await expect(call(theirs, "list_task_types", {})).rejects.toThrow(/401/);
    await expect(connect(baseURL, key)).rejects.toThrow(/401/);
  } finally {
    await call(demoClient, "cancel_review", { id: demoReview.id });
    await Promise.all([theirs.close(), demoClient.close()]);
  }
});

test("malformed arguments are a clear tool error, and the session carries on", async ({ baseURL }) => {
  const client = await connect(baseURL, DEMO_API_KEY);
  try {
    const result = await call(client, "request_review", { taskType: "Refund Issue!", action: [1, 2], confidence: 7, waitSeconds: 120 });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain("Invalid arguments for tool request_review");
    expect(text).toContain("at taskType");
    expect(text).toContain("at action");
    expect(text).toContain("Between 0 and 1 at confidence");
    expect(text).toContain("Wait at most 50 seconds");

    const unknown = await call(client, "get_review", { id: "not-a-review" });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toContain("No review with id");

    expect((await call(client, "list_task_types", {})).isError).toBeFalsy();
  } finally {
    await client.close();
  }
});

test("the endpoint refuses a request without a key before any MCP processing", async ({ request }) => {
  const res = await request.post("/api/mcp", {
    headers: { accept: "application/json, text/event-stream" },
    data: { jsonrpc: "2.0", id: 1, method: "tools/list" },
  });
  expect(res.status()).toBe(401);
  expect(res.headers()["content-type"]).toBe("application/problem+json");
});

test("the API reference documents the MCP server's tools as the server lists them", async ({ baseURL, page }) => {
  const client = await connect(baseURL, DEMO_API_KEY);
  const { tools } = await client.listTools().finally(() => client.close());
  await page.goto("/docs/api#mcp");
  const table = page.getByRole("table", { name: "MCP tools" });
  for (const tool of tools) await expect(table.getByRole("row", { name: new RegExp(`^${tool.name}`) })).toContainText(tool.description!.split("\n")[0]);
  await expect(table.getByRole("row")).toHaveCount(tools.length + 1);
  await expect(page.getByText('"url": "http://localhost:3000/api/mcp"')).toBeVisible();
});
