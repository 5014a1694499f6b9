import { accessibilityViolations, demo, expect, signedInPage, test } from "./fixtures";

// Issue 17 on the demo data: readiness labelled with its own window apart from the chosen period,
// status words, one button per direction, and the "ready · step back" summary linking to each.

test("readiness is labelled with its own window, apart from the period a manager picks", async ({ browser }) => {
  const manager = await signedInPage(browser, demo.manager);
  await manager.goto("/analytics/route.adjust?days=7");
  await expect(manager.getByRole("heading", { level: 1, name: "Adjust delivery route" })).toBeVisible();
  await expect(manager.getByTestId("readiness-sentence")).toContainText("Healthy");
  await expect(manager.getByTestId("readiness-sentence")).toContainText("escalated and audited decisions in the last 14 days accepted");
  const window = manager.getByTestId("readiness-window");
  await expect(window).toContainText(/In the last 14 days \(what step-down watches\): \d+\.\d% accepted of \d+ escalated and audited decisions, 30 needed to judge\./);
  await expect(window).toContainText(/Since flag-on-exception began 20 days ago: \d+\.\d% accepted of [\d,]+ escalated and audited decisions\./);
  await expect(manager.getByTestId("period-figures")).toContainText(/^Last 7 days \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\): \d+\.\d% accepted of [\d,]+ decided by a person/);
  await expect(manager.getByTestId("period-figures")).toContainText("Readiness above counts its own window, not this period.");
  await expect(manager.getByText("An admin can apply this recommendation.")).toHaveCount(0);

  // The regressing type: the manager is told an admin can act on it.
  await manager.goto("/analytics/delivery.reschedule");
  await expect(manager.getByTestId("readiness-sentence")).toContainText("Should step back");
  await expect(manager.getByText("An admin can apply this recommendation.")).toBeVisible();
  // Floored types are "Blocked", not "Not yet".
  await manager.goto("/analytics");
  await expect(manager.getByTestId("analytics-row").filter({ hasText: "ehr.note.write" })).toContainText("Blocked");
  await expect(manager.getByTestId("summary-step-down")).toHaveText("1 should step back");
  expect(await accessibilityViolations(manager)).toEqual([]);
});

test("an admin sees one button per direction and the overview's links to what needs a decision", async ({ browser }) => {
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/admin");
  const summary = admin.getByTestId("autonomy-summary");
  await expect(summary.getByTestId("summary-step-down")).toHaveText("1 should step back");
  await expect(summary.getByTestId("summary-step-down")).toHaveAttribute("href", "/analytics/delivery.reschedule");
  expect(await accessibilityViolations(admin)).toEqual([]);
  await summary.getByTestId("summary-step-down").click();
  await expect(admin.getByRole("heading", { level: 1, name: "Reschedule home delivery" })).toBeVisible();
  // Stepping back and rolling back both reach review after draft: one button, not two.
  await expect(admin.getByRole("button", { name: "Step back to review after draft" })).toBeVisible();
  await expect(admin.getByRole("button", { name: /^Roll back to/ })).toHaveCount(0);
  await expect(admin.getByTestId("chart-calibration")).toContainText("Decisions per confidence bucket");
});
