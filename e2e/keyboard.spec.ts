import type { APIRequestContext, Page } from "@playwright/test";
import { accessibilityViolations, agentAuth, demo, expect, signedInPage, test } from "./fixtures";

/**
 * The keyboard flow end to end, no mouse: search as you type and Esc out of it, step through a queue view
 * with [ and ], come back to the row of the item left, and decide five items of different kinds —
 * approve, edit a draft and a field with Ctrl+Enter, close the editor and the reject form with Esc without
 * deciding, reject by a reason's number. Its own task type key keeps parallel specs out of its view.
 */

const taskType = () => `e2e.keys.${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function submit(request: APIRequestContext, key: string, body: Record<string, unknown>) {
  const res = await request.post("/api/v1/reviews", { headers: agentAuth, data: { taskType: key, priority: "low", ...body } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function decision(request: APIRequestContext, id: string) {
  const res = await request.get(`/api/v1/reviews/${id}`, { headers: agentAuth });
  return (await res.json()) as { status: string; decision: { outcome: string; action: Record<string, unknown>; draft: string | null; reason: string | null; note: string | null } | null };
}

/** Opens an item's page and waits until it holds the item and listens to keys (the shortcuts dialog opens). */
async function ready(page: Page, title: string) {
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("claim-note")).toBeVisible();
}

/** After a decision the next item opens (wherever it is); Esc leaves it for the filtered queue. */
async function backToView(page: Page, decidedId: string, key: string) {
  await page.waitForURL((u) => !u.pathname.endsWith(decidedId));
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page).toHaveURL(new RegExp(`/queue\\?taskType=${key.replace(/\./g, "\\.")}$`), { timeout: 1000 });
  }).toPass();
}

test("a reviewer searches, steps through a view and decides five items of different kinds with the keyboard only", async ({ browser, request }) => {
  const key = taskType();
  const items = [
    { title: "Keys 1 refund", action: { orderId: "K-1", amount: 40 } },
    { title: "Keys 2 reply", action: { to: "pat@example.com" }, draft: "Hello Pat,\nYour order ships today.\nBest" },
    { title: "Keys 3 refund", action: { amount: 75, orderId: "K-3" }, context: { customer: { tier: "gold" } } },
    { title: "Keys 4 address change", action: { customer: { id: "C-4", address: "1 Long Road" }, notify: true } },
    { title: "Keys 5 order", action: { sku: "S-5", quantity: 3 }, confidence: 0.4 },
  ];
  const ids: string[] = [];
  for (const item of items) ids.push(await submit(request, key, item));

  const page = await signedInPage(browser, demo.reviewer);
  await page.goto(`/queue?taskType=${key}`);
  const rows = page.getByTestId("queue-row");
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connected", "true");

  // Search filters as you type (no Enter); Esc clears it and puts focus back on the list.
  const search = page.getByRole("searchbox", { name: "Search title or external id" });
  await expect(async () => {
    await page.keyboard.press("/");
    await expect(search).toBeFocused({ timeout: 500 });
  }).toPass();
  await page.keyboard.type("Keys 4");
  await expect(page).toHaveURL(/[?&]q=Keys\+4/);
  await expect(rows).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(search).toHaveValue("");
  await expect(page).toHaveURL(new RegExp(`/queue\\?taskType=${key.replace(/\./g, "\\.")}$`));
  await expect(rows).toHaveCount(5);
  await expect(rows.first().locator("a[data-row-link]")).toBeFocused();

  // j selects the second row; Enter opens it in this view: "2 of 5", and [ / ] step through the view.
  await page.keyboard.press("j");
  await expect(rows.nth(1)).toHaveAttribute("data-state", "selected");
  await page.keyboard.press("Enter");
  await ready(page, items[1].title);
  await expect(page.getByTestId("item-position")).toHaveText("2 of 5 in this view");
  await page.keyboard.press("[");
  await ready(page, items[0].title);
  await expect(page.getByTestId("item-position")).toHaveText("1 of 5 in this view");
  await expect(page.getByRole("button", { name: "Previous item" })).toBeDisabled();
  await page.keyboard.press("]");
  await ready(page, items[1].title);
  await page.keyboard.press("]");
  await ready(page, items[2].title);
  await expect(page.getByTestId("item-position")).toHaveText("3 of 5 in this view");

  // Esc back to the queue: the row of the item left is selected again.
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(new RegExp(`/queue\\?taskType=${key.replace(/\./g, "\\.")}$`));
  await expect(rows.nth(2)).toHaveAttribute("data-state", "selected");
  await expect(rows.nth(2).locator("a[data-row-link]")).toBeFocused();

  // 3: a field edit. e focuses the first field, labelled as the read view labels it; Esc closes the editor
  // without deciding; then Ctrl+Enter reviews the change and Ctrl+Enter confirms it.
  await page.keyboard.press("Enter");
  await ready(page, items[2].title);
  await page.keyboard.press("e");
  const amount = page.getByLabel("Amount", { exact: true });
  await expect(amount).toBeFocused();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("60");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("action-fields")).toContainText("75");
  await expect(page.getByTestId("approve")).toBeEnabled();
  await page.keyboard.press("e");
  await expect(amount).toBeFocused();
  await expect(amount).toHaveValue("75");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("60");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("change-list")).toContainText("60");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByText("Edited and approved. The agent has been told.")).toBeVisible();
  await backToView(page, ids[2], key);

  // 2: a draft edit. e focuses the draft itself.
  await expect(rows).toHaveCount(4);
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await ready(page, items[1].title);
  await page.keyboard.press("e");
  await expect(page.getByLabel("Draft")).toBeFocused();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Regards, Acme");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("change-list")).toContainText("Best Regards, Acme");
  await page.keyboard.press("Control+Enter");
  // The first edit's toast may still be showing: the agent's view at the end checks this decision itself.
  await expect(page.getByText("Edited and approved. The agent has been told.").last()).toBeVisible();
  await backToView(page, ids[1], key);

  // 4: reject by number. 2 picks "Not enough evidence" and moves to the note; Ctrl+Enter rejects.
  await expect(rows).toHaveCount(3);
  await page.keyboard.press("j");
  await page.keyboard.press("Enter");
  await ready(page, items[3].title);
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject this item" });
  await expect(dialog).toBeVisible();
  await page.keyboard.press("2");
  await expect(dialog.getByRole("radio", { name: /Not enough evidence/ })).toBeChecked();
  await expect(dialog.getByLabel("Note for the agent (optional)")).toBeFocused();
  await page.keyboard.type("Which address is current?");
  await page.keyboard.press("Control+Enter");
  await expect(page.getByText("Rejected. The agent has been told.")).toBeVisible();
  await backToView(page, ids[3], key);

  // 1: approve as proposed.
  await expect(rows).toHaveCount(2);
  await page.keyboard.press("Enter");
  await ready(page, items[0].title);
  await page.keyboard.press("a");
  await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();
  await backToView(page, ids[0], key);

  // 5: the shortcuts dialog lists the flow; the reject form closes with Esc without deciding; then approve.
  await expect(rows).toHaveCount(1);
  await page.keyboard.press("Enter");
  await ready(page, items[4].title);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  for (const text of ["Ctrl+Enter", "1–9", "[ / ]", "Close the editor without deciding", "Pick that reason; the note takes focus"]) await expect(help).toContainText(text);
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  await page.keyboard.press("r");
  await expect(dialog).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("approve")).toBeEnabled();
  await page.keyboard.press("a");
  await expect(page.getByText("Approved. The agent has been told.")).toBeVisible();

  const [d1, d2, d3, d4, d5] = await Promise.all(ids.map((id) => decision(request, id)));
  expect(d1).toMatchObject({ status: "approved", decision: { outcome: "approved", action: items[0].action } });
  expect(d2).toMatchObject({ status: "approved", decision: { outcome: "edited", action: items[1].action, draft: "Hello Pat,\nYour order ships today.\nBest Regards, Acme" } });
  expect(d3).toMatchObject({ status: "approved", decision: { outcome: "edited", action: { amount: 60, orderId: "K-3" } } });
  expect(d4).toMatchObject({ status: "rejected", decision: { outcome: "rejected", reason: "insufficient_evidence", note: "Which address is current?" } });
  expect(d5).toMatchObject({ status: "approved", decision: { outcome: "approved", action: items[4].action } });
  // The page moved on to the next item of the whole queue: closing gives it back for other specs.
  await page.context().close();
});
