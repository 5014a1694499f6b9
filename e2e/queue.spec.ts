import type { APIRequestContext, Page } from "@playwright/test";
import { accessibilityViolations, agentAuth, demo, expect, signedInPage, test } from "./fixtures";

/**
 * The reviewer workspace end to end: items submitted by an agent over the API, worked in Chromium with
 * the keyboard, and the decisions read back by the agent. Each test uses its own task type key, so
 * specs running in parallel on the same demo organization never touch each other's items.
 */

const uniqueTaskType = (label: string) => `e2e.${label}.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

// Low priority: "approve & next" in a test running alongside claims the most urgent free item, and
// must find the demo's own items before these.
async function submit(request: APIRequestContext, taskType: string, body: Record<string, unknown>) {
  const res = await request.post("/api/v1/reviews", { headers: agentAuth, data: { taskType, priority: "low", ...body } });
  expect(res.status(), await res.text()).toBe(201);
  const review = (await res.json()) as { id: string; status: string };
  expect(review.status).toBe("pending");
  return review.id;
}

async function decision(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/v1/reviews/${id}`, { headers: agentAuth });
  expect(res.status()).toBe(200);
  return (await res.json()) as { status: string; decision: { outcome: string; action: Record<string, unknown>; draft: string | null; reason: string | null; note: string | null; actionHash: string } | null };
}

/** After a decision the next item opens; Escape leaves it for the filtered queue (pressed again until the new page listens). */
async function backToQueue(page: Page, decidedId: string, taskType: string) {
  await page.waitForURL((u) => !u.pathname.endsWith(decidedId));
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`/queue\\?taskType=${taskType.replace(/\./g, "\\.")}`), { timeout: 1000 });
  }).toPass();
}

/** Opens the first row of the filtered queue with the keyboard (the first row starts selected). */
async function openFirstRow(page: Page, title: string) {
  await expect(page.getByTestId("queue-row").first()).toContainText(title);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("claim-note")).toBeVisible();
}

test("a reviewer works five items with the keyboard only, and the agent gets each decision", async ({ browser, request }) => {
  const taskType = uniqueTaskType("kbd");
  const items = [
    { title: "Kbd 1 refund", action: { orderId: "K-1", amount: 40 } },
    { title: "Kbd 2 refund", action: { orderId: "K-2", amount: 75 } },
    { title: "Kbd 3 reply", action: { to: "pat@example.com" }, draft: "Hello Pat,\nYour order ships today.\nBest" },
    { title: "Kbd 4 refund", action: { orderId: "K-4", amount: 990 } },
    { title: "Kbd 5 refund", action: { orderId: "K-5", amount: 12 } },
  ];
  const ids: string[] = [];
  // One at a time, so they queue oldest first in this order.
  for (const item of items) ids.push(await submit(request, taskType, item));

  const page = await signedInPage(browser, demo.reviewer);
  await page.goto(`/queue?taskType=${taskType}`);
  await expect(page.getByTestId("queue-row")).toHaveCount(5);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");

  // 1: approve as proposed.
  await openFirstRow(page, items[0].title);
  await page.keyboard.press("a");
  await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();
  await backToQueue(page, ids[0], taskType);
  await expect(page).toHaveURL(new RegExp(`taskType=${taskType.replace(/\./g, "\\.")}`));

  // 2: edit the amount, see the diff, confirm.
  await openFirstRow(page, items[1].title);
  await page.keyboard.press("e");
  // The first field has focus, labelled as the read view shows it (jsonb orders keys shortest first: amount, orderId).
  await expect(page.getByLabel("Amount", { exact: true })).toBeFocused();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("60");
  await page.keyboard.press("Enter"); // submits the editor: review the changes
  const changes = page.getByTestId("change-list");
  await expect(changes).toContainText("amount");
  await expect(changes).toContainText("75");
  await expect(changes).toContainText("60");
  await expect(page.getByTestId("confirm-edit")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Edited and approved. The agent has been told.")).toBeVisible();
  await backToQueue(page, ids[1], taskType);

  // 3: edit the draft only.
  await openFirstRow(page, items[2].title);
  await page.keyboard.press("e");
  // An item with a draft opens the editor on the draft.
  await expect(page.getByLabel("Draft")).toBeFocused();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Regards, Acme");
  await page.keyboard.press("Tab"); // Review changes button
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("change-list")).toContainText("Best Regards, Acme");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Edited and approved. The agent has been told.")).toBeVisible();
  await backToQueue(page, ids[2], taskType);

  // 4: reject — the reason is required.
  await openFirstRow(page, items[3].title);
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject this item" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("radio").first()).toBeFocused();
  // Tab to the Reject button with no reason chosen (the dialog keeps focus inside, so Tab cycles through it;
  // counting presses raced the dialog's own focus handling now and then).
  await expect(async () => {
    await page.keyboard.press("Tab");
    await expect(dialog.getByTestId("confirm-reject")).toBeFocused({ timeout: 200 });
  }).toPass({ timeout: 10_000 });
  await page.keyboard.press("Enter");
  await expect(dialog.getByText("Choose a reason.")).toBeVisible();
  await expect(dialog.getByRole("radio").first()).toBeFocused();
  await page.keyboard.press("ArrowDown"); // focus is on the reasons: move to "Not enough evidence"
  await page.keyboard.press("Tab");
  await page.keyboard.type("Attach the order history.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Rejected. The agent has been told.")).toBeVisible();
  await backToQueue(page, ids[3], taskType);

  // 5: j/k move the selection; approve the last one.
  await expect(page.getByTestId("queue-row")).toHaveCount(1);
  await page.keyboard.press("j");
  await page.keyboard.press("k");
  await openFirstRow(page, items[4].title);
  await page.keyboard.press("a");
  await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();
  await backToQueue(page, ids[4], taskType);
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();

  // The agent's view of each decision.
  const [d1, d2, d3, d4, d5] = await Promise.all(ids.map((id) => decision(request, id)));
  expect(d1).toMatchObject({ status: "approved", decision: { outcome: "approved", action: items[0].action } });
  expect(d2).toMatchObject({ status: "approved", decision: { outcome: "edited", action: { orderId: "K-2", amount: 60 } } });
  expect(d3).toMatchObject({ status: "approved", decision: { outcome: "edited", action: items[2].action, draft: "Hello Pat,\nYour order ships today.\nBest Regards, Acme" } });
  expect(d4).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "insufficient_evidence", note: "Attach the order history." } });
  expect(d5).toMatchObject({ status: "approved", decision: { outcome: "approved" } });
  expect(d2.decision!.actionHash).not.toBe(d1.decision!.actionHash);
});

test("two reviewers open the same item at once: one holds it, the other is told who has it", async ({ browser, request }) => {
  const taskType = uniqueTaskType("race");
  const id = await submit(request, taskType, { title: "Race for this refund", action: { orderId: "R-1", amount: 30 } });
  const [riley, jordan] = await Promise.all([signedInPage(browser, demo.reviewer), signedInPage(browser, "jordan.lee@acme.test")]);
  await Promise.all([riley.goto(`/queue/${id}`), jordan.goto(`/queue/${id}`)]);
  // The item streams in behind its loading state: wait until each page says who holds it.
  await Promise.all([riley, jordan].map((p) => expect(p.getByTestId("claim-note").or(p.getByTestId("claimed-banner"))).toBeVisible()));
  const holders = await Promise.all([riley, jordan].map((p) => p.getByTestId("claim-note").isVisible()));
  expect(holders.filter(Boolean)).toHaveLength(1);
  const [winner, loser, winnerName] = holders[0] ? [riley, jordan, "Riley Reviewer"] : [jordan, riley, "Jordan Lee"];
  await expect(loser.getByTestId("claimed-banner")).toContainText(`${winnerName} is reviewing this item until`);
  await expect(loser.getByTestId("approve")).toBeDisabled();

  // The winner approves; the other page follows live and shows the item as decided.
  await winner.getByTestId("approve").click();
  await expect(winner.getByText("Approved. The agent has been told.")).toBeVisible();
  await expect(loser.getByText("This item has been decided; it is shown for reference.")).toBeVisible();
  expect((await decision(request, id)).decision).toMatchObject({ outcome: "approved" });
});

test("a new item appears in an open queue without a reload", async ({ browser, request }) => {
  const taskType = uniqueTaskType("live");
  const page = await signedInPage(browser, demo.reviewer);
  await page.goto(`/queue?taskType=${taskType}`);
  await expect(page.getByText("Nothing matches these filters")).toBeVisible();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");
  await submit(request, taskType, { title: "Arrived while watching", action: { orderId: "L-1" } });
  await expect(page.getByTestId("queue-row")).toContainText("Arrived while watching");
});

test("queue and item pages have no accessibility violations", async ({ browser, request }) => {
  const taskType = uniqueTaskType("axe");
  const id = await submit(request, taskType, {
    title: "Accessible item",
    action: { orderId: "A-1", amount: 10 },
    draft: "A draft to read.",
    context: { customer: { tier: "gold" } },
    confidence: 0.5,
  });
  const page = await signedInPage(browser, demo.reviewer);
  await page.goto("/queue");
  await expect(page.getByTestId("queue-row").first()).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.goto(`/queue/${id}`);
  await expect(page.getByTestId("claim-note")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.keyboard.press("e");
  await expect(page.getByTestId("review-changes")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.goto("/queue/mine");
  expect(await accessibilityViolations(page)).toEqual([]);
});

test("a reviewer can't open another organization's item or a malformed id", async ({ browser }) => {
  const page = await signedInPage(browser, demo.reviewer);
  // The page streams behind its loading state, so the answer is the not-found page rather than a 404 status.
  await page.goto("/queue/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "No such item" })).toBeVisible();
  await page.goto("/queue/not-a-uuid");
  await expect(page.getByRole("heading", { name: "No such item" })).toBeVisible();
  expect((await page.request.post("/api/queue/items/not-a-uuid/release")).status()).toBe(404);
  const events = await page.request.get("/api/queue/events?review=00000000-0000-4000-8000-000000000000");
  expect(events.status()).toBe(404);
  expect(events.headers()["content-type"]).toBe("application/problem+json");
});
