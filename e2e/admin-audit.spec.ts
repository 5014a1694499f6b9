import { readFile } from "node:fs/promises";
import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

test("an admin filters the audit log, exports the filtered view as CSV and verifies the chain", async ({ page }) => {
  const { email, organizationName } = await signUpOrganization(page, "auditlog");
  // Something to find: a settings change, recorded with its diff.
  await page.goto("/admin/settings");
  await page.getByLabel("Minimum decisions").fill("300");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("settings-status")).toContainText("Saved 1 change");

  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: "organization.created" })).toContainText(organizationName);
  await expect(rows.filter({ hasText: "organization.settings_changed" })).toContainText("readinessDefaults.minDecisions: 500 → 300");
  await expect(rows.first()).toContainText("auditlog Admin");
  expect(await accessibilityViolations(page)).toEqual([]);

  // The raw data opens from the row.
  const settingsRow = rows.filter({ hasText: "organization.settings_changed" });
  await settingsRow.getByText("Recorded data (JSON)").click();
  await expect(settingsRow.locator("pre")).toContainText('"minDecisions": 300');

  // Filter by action: the URL carries it, and only that action remains.
  await page.getByLabel("Action").selectOption("organization.settings_changed");
  await expect(page).toHaveURL(/action=organization\.settings_changed/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("organization.settings_changed");
  // A prefix takes every action of its kind.
  await page.getByLabel("Action").selectOption("organization.");
  await expect(page).toHaveURL(/action=organization\.(&|$)/);
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Action").selectOption("organization.settings_changed");
  await expect(rows).toHaveCount(1);

  // Nothing in a date range before today.
  await page.getByLabel("To (UTC)").fill("2020-01-01");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("No entries match these filters")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(rows).toHaveCount(2);
  await page.getByLabel("Action").selectOption("organization.settings_changed");
  await expect(rows).toHaveCount(1);

  // Export what is shown: the filtered entries only.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{8}-\d{6}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("id,time_utc,actor,actor_type,actor_id,actor_email,action,target_type,target_id,summary,data_json");
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain("organization.settings_changed");
  expect(lines[1]).toContain(email);
  expect(lines[1]).toContain("readinessDefaults.minDecisions: 500 → 300");
  // The last line is the chain head, whatever the filter: the anchor to keep.
  expect(lines[2]).toMatch(/^# audit chain head,[12],[0-9a-f]{64}$/);

  // The worker links new entries within a second or so; until then they are "not yet linked", not a break.
  await expect(async () => {
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByTestId("verify-result")).toContainText("Intact: 2 entries", { timeout: 1000 });
  }).toPass();
  expect(await accessibilityViolations(page)).toEqual([]);
});

test("the verify page shows the chain head, and verifying against a saved anchor catches a shorter or different chain", async ({ page }) => {
  await signUpOrganization(page, "auditanchor");
  // The organization's first entry, linked by the worker within moments.
  await expect(async () => {
    await page.goto("/admin/audit");
    await expect(page.getByTestId("chain-head")).toContainText(/Chain head: #1 · [0-9a-f]{64}/, { timeout: 1000 });
  }).toPass();
  const hmac = (await page.getByTestId("chain-head").locator("code").first().textContent())!;
  const csv = await (await page.request.get("/api/admin/audit/export")).text();
  expect(csv.trim().split("\r\n").at(-1)).toBe(`# audit chain head,1,${hmac}`);

  const verifyAgainst = async (seq: string, anchor: string) => {
    await page.getByLabel("Sequence number").fill(seq);
    await page.getByLabel("HMAC").fill(anchor);
    await page.getByRole("button", { name: "Verify against anchor" }).click();
  };
  await page.getByText("Verify against an anchor").click();
  await verifyAgainst("1", hmac.toUpperCase());
  await expect(page.getByTestId("verify-result")).toContainText("Intact: 1 entry, matching your anchor at #1");
  await verifyAgainst("3", hmac);
  await expect(page.getByTestId("verify-result")).toContainText("Broken: the chain ends at #1, your anchor says #3");
  await verifyAgainst("1", "0".repeat(64));
  await expect(page.getByTestId("verify-result")).toContainText("Broken: chain entry #1 differs from your anchor");
  await verifyAgainst("1", "not-an-hmac");
  await expect(page.getByText("An HMAC is 64 hexadecimal characters.")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
});

test("the audit log and its export are refused to reviewers, managers and the signed out; another organization's admin sees only their own", async ({ page, browser, playwright }) => {
  for (const who of [demo.reviewer, demo.manager]) {
    const other = await signedInPage(browser, who);
    const res = await other.goto("/admin/audit");
    expect(res?.status(), who).toBe(403);
    await expect(other.getByText("You don't have access to this page")).toBeVisible();
    const csv = await other.request.get("/api/admin/audit/export");
    expect(csv.status(), who).toBe(403);
    expect(await csv.text()).not.toContain("organization.created");
    await other.context().close();
  }
  const anonymous = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const signedOut = await anonymous.get("/api/admin/audit/export");
  expect(signedOut.status()).toBe(401);
  expect(signedOut.headers()["content-type"]).toContain("application/problem+json");
  await anonymous.dispose();

  // A new organization's admin exports only their organization's entries, whatever the filter names.
  await signUpOrganization(page, "auditiso");
  const own = await page.request.get("/api/admin/audit/export");
  expect(own.status()).toBe(200);
  const lines = (await own.text()).trim().split("\r\n");
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain("organization.created");
  expect(lines.join("\n")).not.toContain("acme.test");
  const demoEntries = await page.request.get("/api/admin/audit/export?action=task_type.mode_changed");
  // The header and the chain head (this organization's: one entry at most) only.
  const demoLines = (await demoEntries.text()).trim().split("\r\n");
  expect(demoLines).toHaveLength(2);
  expect(demoLines[1]).toMatch(/^# audit chain head,(0,|1,[0-9a-f]{64})$/);

  // The verify action, replayed as a reviewer, is refused.
  await page.goto("/admin/audit");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    page.getByRole("button", { name: "Verify integrity" }).click(),
  ]);
  await expect(page.getByTestId("verify-result")).toContainText(/Intact: (1 entry|0 entries)/);
  const reviewer = await signedInPage(browser, demo.reviewer);
  const replay = await reviewer.request.post(request.url(), {
    headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] ?? "text/plain;charset=UTF-8" },
    data: request.postDataBuffer() ?? undefined,
  });
  expect(replay.status()).toBeLessThan(500);
  const body = await replay.text();
  expect(body).toContain("forbidden");
  expect(body).not.toContain("Intact");
});

test("the demo organization's audit log shows its history with who did it", async ({ browser }) => {
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/admin/audit?action=organization.created");
  const rows = admin.getByTestId("audit-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Acme Health & Home");
  await expect(rows.first()).toContainText("admin@acme.test");
  await admin.goto("/admin/audit?action=api_key.");
  await expect(rows.filter({ hasText: "api_key.created" }).filter({ hasText: "Demo agent" })).toHaveCount(1);
  const pages = admin.getByRole("navigation", { name: "Audit log pages" });
  await expect(pages.getByRole("link", { name: "Newest" })).toHaveAttribute("aria-disabled", "true");
  expect(await accessibilityViolations(admin)).toEqual([]);
});
