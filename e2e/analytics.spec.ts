import { readFile } from "node:fs/promises";
import { accessibilityViolations, agentAuth, demo, expect, signedInPage, test } from "./fixtures";

test("a manager reads the overview, exports it, and sees a task type's charts drawn from its data", async ({ browser }) => {
  const manager = await signedInPage(browser, demo.manager);
  await manager.goto("/analytics");
  const rows = manager.getByTestId("analytics-row");
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(5);
  expect(await accessibilityViolations(manager)).toEqual([]);

  // The CSV holds exactly what the table shows, in its order.
  const download = manager.waitForEvent("download");
  await manager.getByRole("button", { name: "Export CSV" }).click();
  const csv = (await readFile((await (await download).path())!, "utf8")).trim().split("\r\n");
  expect(csv[0]).toMatch(/^task_type,name,workspace,mode,items,decided,acceptance/);
  expect(csv).toHaveLength(count + 1);
  const firstKey = await rows.first().locator(".font-mono").first().textContent();
  expect(csv[1].startsWith(`${firstKey},`)).toBe(true);

  // Sorting by acceptance puts the lowest first when ascending.
  await manager.getByRole("button", { name: "Acceptance" }).click();
  await expect(manager.getByRole("columnheader", { name: "Acceptance" })).toHaveAttribute("aria-sort", /ascending|descending/);

  await manager.getByRole("link", { name: "Adjust delivery route" }).click();
  await expect(manager.getByRole("heading", { level: 1, name: "Adjust delivery route" })).toBeVisible();
  await expect(manager.getByTestId("readiness-sentence")).toContainText(/escalated and audited decisions/);
  for (const chart of ["chart-acceptance", "chart-outcomes", "chart-calibration", "chart-latency"]) {
    await expect(manager.getByTestId(chart).locator("svg path").first()).toBeAttached();
  }
  // The numbers behind the stacked bars sum to the days' decisions shown in the table view.
  await manager.getByTestId("chart-outcomes").getByText("Show the numbers").click();
  await expect(manager.getByTestId("chart-outcomes").locator("tbody tr").first()).toBeVisible();
  await expect(manager.getByTestId("mode-history")).toContainText("Recommendation applied: review after draft → flag on exception");
  // A healthy type has no recommendation for anyone to apply.
  await expect(manager.getByText("An admin can apply this recommendation.")).toHaveCount(0);
  await manager.goto("/analytics");
  await expect(manager.getByTestId("auto-step-down")).toHaveCount(0);
  // Back is a new document load (the task type page isn't kept in the back/forward cache), which
  // goBack can report before it commits: check the page once its own heading is there.
  await manager.goBack();
  await expect(manager.getByRole("heading", { level: 1, name: "Adjust delivery route" })).toBeVisible();
  expect(await accessibilityViolations(manager)).toEqual([]);
});

test("an admin applies a step-up recommendation, and the next confident item of that type runs without a person", async ({ browser, request }) => {
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/analytics");
  // The demo's ready type is ticket.tag, whose acceptances include a rubber-stamping reviewer's.
  const ready = admin.getByTestId("analytics-row").filter({ hasText: "Ready to step up" }).first();
  await expect(ready).toBeVisible();
  const key = (await ready.locator(".font-mono").first().textContent())!;
  expect(key).toBe("ticket.tag");
  await expect(ready.getByTestId("rubber-stamp-note")).toContainText("1 reviewer's approvals look rubber-stamped");
  await ready.getByRole("link").first().click();
  await expect(admin.getByTestId("readiness-sentence")).toContainText("Ready:");
  await expect(admin.getByTestId("rubber-stamp-warning")).toContainText(/^1 reviewer's approvals look rubber-stamped: \d+% of this type's acceptances\./);
  await admin.getByRole("button", { name: "Step to flag on exception" }).click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText("Readiness counting starts again from now.");
  // What it would save, from the period's figures, and the warning to acknowledge before confirming.
  await expect(dialog.getByTestId("step-up-savings")).toContainText(/Reviewer time saved: about [\d.]+ (hours|minutes) a week\./);
  await expect(dialog.getByTestId("step-up-savings")).toContainText(/Agents' waiting time saved: about [\d.,]+ (hours|minutes) a week/);
  await expect(dialog.getByTestId("step-up-acknowledgement")).toContainText("1 reviewer's approvals look rubber-stamped");
  await expect(admin.getByTestId("confirm-mode-change")).toBeDisabled();
  await dialog.getByRole("checkbox", { name: /I have looked at these approvals/ }).check();
  await admin.getByTestId("confirm-mode-change").click();
  await expect(admin.getByText("Now in flag on exception.")).toBeVisible();
  await expect(admin.getByTestId("mode-history")).toContainText("Recommendation applied");
  await expect(admin.getByRole("button", { name: /Roll back to/ })).toBeVisible();

  const submit = async (confidence: number) => {
    const res = await request.post("/api/v1/reviews", { headers: agentAuth, data: { taskType: key, action: { probe: confidence }, confidence } });
    expect(res.status()).toBe(201);
    return (await res.json()) as { status: string; routing: { reasons: string[] } };
  };
  const confident = await submit(0.99);
  expect([confident.status, confident.routing.reasons.includes("sampled_for_audit")]).toEqual(["approved", expect.any(Boolean)]);
  const unsure = await submit(0.05);
  expect(unsure.status).toBe("pending");
  expect(unsure.routing.reasons).toContain("low_confidence");

  // Rolling back returns it to a person-first mode.
  await admin.getByRole("button", { name: /Roll back to/ }).click();
  await admin.getByTestId("confirm-mode-change").click();
  await expect(admin.getByText(/Rolled back to/)).toBeVisible();
  expect((await submit(0.99)).status).toBe("pending");

  // The automatic step-down is an admin's setting, off by default.
  await admin.goto("/analytics");
  const setting = admin.getByTestId("auto-step-down");
  await expect(setting).toContainText("Automatic step-down is off.");
  await setting.getByRole("button", { name: "Turn on" }).click();
  await expect(setting).toContainText("Automatic step-down is on.");
  await setting.getByRole("button", { name: "Turn off" }).click();
  await expect(setting).toContainText("Automatic step-down is off.");
});

test("a manager reads who decided what, over a custom range, with rubber-stamp signals for a chosen speed; a reviewer is refused", async ({ browser }) => {
  const manager = await signedInPage(browser, demo.manager);
  await manager.goto("/analytics");
  await manager.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Reviewers" }).click();
  await expect(manager).toHaveURL(/view=reviewers/);
  const rows = manager.getByTestId("reviewer-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(5);
  await expect(manager.getByTestId("chart-reviewer-throughput").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(rows.first()).toContainText("approvals under 5 s");
  // The demo's rubber stamp sorts first, flagged; the next person is not.
  await expect(rows.first()).toContainText("Jordan Lee");
  await expect(rows.first()).toContainText("Rubber-stamp risk");
  await expect(rows.nth(1)).not.toContainText("Rubber-stamp risk");
  expect(await accessibilityViolations(manager)).toEqual([]);

  // A select changed before the page has hydrated does nothing: choose again until the URL follows.
  await expect(async () => {
    await manager.getByLabel("Fast approval").selectOption("30");
    await expect(manager).toHaveURL(/fast=30/, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(rows.first()).toContainText("approvals under 30 s");

  // A custom range of one week three weeks ago: the header says so, and the view and speed are kept.
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 24 * 3600_000).toISOString().slice(0, 10);
  await manager.getByLabel("Period").selectOption("custom");
  await manager.getByLabel("From", { exact: true }).fill(day(27));
  await manager.getByLabel("To", { exact: true }).fill(day(21));
  await manager.getByRole("button", { name: "Apply" }).click();
  await expect(manager).toHaveURL(new RegExp(`from=${day(27)}&to=${day(21)}.*view=reviewers&fast=30`));
  await expect(manager.getByText(`${day(27)} to ${day(21)} (UTC)`)).toBeVisible();
  await expect(rows.first()).toBeVisible();
  await manager.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Task types" }).click();
  await expect(manager).toHaveURL(new RegExp(`from=${day(27)}&to=${day(21)}$`));
  await expect(manager.getByTestId("analytics-row").first()).toBeVisible();

  const reviewer = await signedInPage(browser, demo.reviewer);
  const refused = await reviewer.goto("/analytics?view=reviewers");
  expect(refused?.status()).toBe(403);
});
