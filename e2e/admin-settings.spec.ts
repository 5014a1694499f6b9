import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

test("an admin changes the lease length and a readiness default, and finds the change with its diff in the audit log", async ({ page }) => {
  await signUpOrganization(page, "settings");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/admin\/settings$/);
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  const lease = page.getByLabel("Lease length (minutes)");
  const target = page.getByLabel("Target acceptance (%)");
  await expect(lease).toHaveValue("10");
  await expect(target).toHaveValue("98");
  await expect(page.getByLabel("Auto-register unknown task types")).toBeChecked();
  // Instance settings are shown read-only, with the variables that set them.
  await expect(page.getByText("SIGNUP_ENABLED")).toBeVisible();
  await expect(page.getByText("LOGIN_THROTTLE_MAX_PER_ACCOUNT")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  // Out of bounds: a field error, what was typed offered back, nothing saved.
  await lease.fill("121");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Enter a value from 1 to 120.")).toBeVisible();
  await expect(lease).toHaveValue("121");
  await expect(lease).toHaveAttribute("aria-invalid", "true");
  expect(await accessibilityViolations(page)).toEqual([]);

  await lease.fill("25");
  await target.fill("95");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("settings-status")).toContainText("Saved 2 changes");
  const saved = page.getByTestId("saved-changes");
  await expect(saved).toContainText("Lease length: 10 → 25");
  await expect(saved).toContainText("Target acceptance: 98% → 95%");
  await page.reload();
  await expect(page.getByLabel("Lease length (minutes)")).toHaveValue("25");
  await expect(page.getByLabel("Target acceptance (%)")).toHaveValue("95");

  // Saving the same values says so and records nothing.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("settings-status")).toContainText("Nothing changed: these are already the settings.");

  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  const rows = page.getByTestId("audit-row").filter({ hasText: "organization.settings_changed" });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("leaseMinutes: 10 → 25");
  await expect(rows.first()).toContainText("readinessDefaults.targetAcceptance: 0.98 → 0.95");
  await expect(rows.first()).toContainText("settings Admin");
});

test("the automatic step-down switch on the settings page is saved and recorded", async ({ page }) => {
  await signUpOrganization(page, "stepdownsetting");
  await page.goto("/admin/settings");
  const setting = page.getByTestId("auto-step-down");
  await expect(setting).toContainText("Automatic step-down is off.");
  await setting.getByRole("button", { name: "Turn on" }).click();
  await expect(setting).toContainText("Automatic step-down is on.");
  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "organization.settings_changed" }).first()).toContainText("autoStepDown: false → true");
});

test("reviewers and managers are refused the settings page and a crafted save, and nothing changes", async ({ page, browser }) => {
  for (const who of [demo.reviewer, demo.manager]) {
    const other = await signedInPage(browser, who);
    const res = await other.goto("/admin/settings");
    expect(res?.status(), who).toBe(403);
    await expect(other.getByText("You don't have access to this page")).toBeVisible();
    await other.context().close();
  }

  // Capture an admin's real save, then replay it as the demo's reviewer and manager.
  await signUpOrganization(page, "settingsreplay");
  await page.goto("/admin/settings");
  await page.getByLabel("Lease length (minutes)").fill("90");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    page.getByRole("button", { name: "Save changes" }).click(),
  ]);
  await expect(page.getByTestId("settings-status")).toContainText("Saved 1 change");
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/admin/settings");
  const demoLease = await admin.getByLabel("Lease length (minutes)").inputValue();
  for (const who of [demo.reviewer, demo.manager]) {
    const other = await signedInPage(browser, who);
    const replay = await other.request.post(request.url(), {
      headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
      data: request.postDataBuffer() ?? undefined,
    });
    expect(replay.status()).toBeLessThan(500);
    expect(await replay.text()).toContain("forbidden");
    await other.context().close();
  }
  // The new organization's save left the demo organization's lease alone, and the replays changed nothing.
  await admin.reload();
  await expect(admin.getByLabel("Lease length (minutes)")).toHaveValue(demoLease);
});
