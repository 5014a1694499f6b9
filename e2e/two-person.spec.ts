import type { APIRequestContext } from "@playwright/test";
import { accessibilityViolations, agentAuth, demo, expect, signedInPage, test } from "./fixtures";

/**
 * The two-person rule in Chromium: the demo's `refund.issue` needs two different approvers above
 * 250 USD. The reviewer's approval leaves the item pending for the agent and read-only for them; the
 * manager's completes it. Low priority and a unique title, so specs running alongside (whose
 * "approve & next" claims the most urgent item) reach the demo's own items before this one.
 */

async function status(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/v1/reviews/${id}`, { headers: agentAuth });
  expect(res.status()).toBe(200);
  return (await res.json()) as { status: string; decision: { outcome: string; action: Record<string, unknown>; reviewer: { name: string; email: string } | null } | null };
}

test("a refund over 250 USD needs two different approvers before the agent hears it is approved", async ({ browser, request }) => {
  const title = `Two-person refund ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const res = await request.post("/api/v1/reviews", {
    headers: agentAuth,
    data: { taskType: "refund.issue", title, priority: "low", action: { orderId: "TP-1", amount: 420 }, amount: { value: 420, currency: "USD" } },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };

  // The reviewer gives the first approval.
  const reviewer = await signedInPage(browser, demo.reviewer);
  await reviewer.goto(`/queue/${id}`);
  await expect(reviewer.getByTestId("claim-note")).toBeVisible();
  await expect(reviewer.getByTestId("approvals-badge")).toHaveText("Needs 2 approvals");
  await expect(reviewer.getByTestId("approval-step")).toContainText("Your approval is the first of 2");
  await reviewer.getByTestId("approve").click();
  await expect(reviewer.getByText("Approved: 1 of 2 approvals. Another reviewer must approve before the agent is told.")).toBeVisible();
  await reviewer.waitForURL((u) => !u.pathname.endsWith(id));

  // The agent still waits.
  expect(await status(request, id)).toMatchObject({ status: "pending", decision: null });

  // The queue shows it as half approved, and not the reviewer's to take.
  await reviewer.goto(`/queue?q=${encodeURIComponent(title)}`);
  const row = reviewer.getByTestId("queue-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("1 of 2 approvals");
  await expect(row).toContainText("approved by you");
  await expect(row).toContainText("Waiting for another reviewer");

  // Opened again, it is read-only for them: they can't give the second approval.
  await reviewer.goto(`/queue/${id}`);
  await expect(reviewer.getByTestId("own-approval-banner")).toContainText("You gave the first approval · 1 of 2 approvals");
  await expect(reviewer.getByTestId("approve")).toBeDisabled();
  await reviewer.keyboard.press("a");
  expect(await accessibilityViolations(reviewer)).toEqual([]);
  expect(await status(request, id)).toMatchObject({ status: "pending", decision: null });

  // A manager gives the second and completes it.
  const manager = await signedInPage(browser, demo.manager);
  await manager.goto(`/queue/${id}`);
  await expect(manager.getByTestId("claim-note")).toBeVisible();
  await expect(manager.getByTestId("approvals-banner")).toContainText("Approved by Riley Reviewer");
  await expect(manager.getByTestId("approval-step")).toContainText("Your approval is 2 of 2 and completes it");
  expect(await accessibilityViolations(manager)).toEqual([]);
  await manager.getByTestId("approve").click();
  await expect(manager.getByText("Approved. The agent has been told.")).toBeVisible();

  expect(await status(request, id)).toMatchObject({
    status: "approved",
    decision: { outcome: "approved", action: { orderId: "TP-1", amount: 420 }, reviewer: { email: demo.manager } },
  });

  // Both approvals are on the record.
  await reviewer.goto(`/queue/${id}`);
  await expect(reviewer.getByText("This item has been decided; it is shown for reference.")).toBeVisible();
  await expect(reviewer.getByTestId("approval")).toContainText("Approved by you");
});
