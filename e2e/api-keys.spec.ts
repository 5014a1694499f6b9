import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

test("an admin creates an API key, sees it once, and revoking it refuses it at once", async ({ page }) => {
  await signUpOrganization(page, "apikeys");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/admin\/api-keys$/);
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await expect(page.getByText("No API keys yet")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  // A name but no scope: refused, and the name is offered back.
  const name = `Refund agent ${Date.now().toString(36)}`;
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill(name);
  // An agent's scopes are ticked; reading the audit chain's head is offered, not given.
  await expect(dialog.getByRole("checkbox", { name: "audit:read" })).not.toBeChecked();
  await dialog.getByRole("checkbox", { name: "reviews:write" }).uncheck();
  await dialog.getByRole("checkbox", { name: "reviews:read" }).uncheck();
  await dialog.getByRole("button", { name: "Create key" }).click();
  await expect(dialog.getByText("Choose at least one scope")).toBeVisible();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(name);

  await dialog.getByRole("checkbox", { name: "reviews:read" }).check();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const shown = dialog.getByTestId("new-api-key");
  await expect(shown).toBeVisible();
  const key = await shown.inputValue();
  expect(key).toMatch(/^cs_live_[A-Za-z0-9_-]{43}$/);
  await expect(dialog.getByText("won't be shown again")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Copy key" })).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // Listed by its prefix with its scopes; the key itself is nowhere on the page, and the dialog starts afresh.
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByText(`${key.slice(0, 12)}…`)).toBeVisible();
  await expect(row.getByText("reviews:read", { exact: true })).toBeVisible();
  await expect(row.getByText("reviews:write", { exact: true })).toHaveCount(0);
  await expect(row.getByText("never", { exact: true })).toBeVisible();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  expect(await page.content()).not.toContain(key.slice(12));
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(dialog.getByTestId("new-api-key")).toHaveCount(0);
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await accessibilityViolations(page)).toEqual([]);

  // The key works, and its use shows up.
  const bearer = { authorization: `Bearer ${key}` };
  expect((await page.request.get("/api/v1/task-types", { headers: bearer })).status()).toBe(200);
  await page.reload();
  await expect(row.getByText("just now", { exact: true })).toBeVisible();

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("get 401 immediately");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(row.getByText("Revoked", { exact: true })).toBeVisible();
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
  expect((await page.request.get("/api/v1/task-types", { headers: bearer })).status()).toBe(401);
});

test("the demo organization lists its demo agent key", async ({ browser }) => {
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/admin/api-keys");
  const row = admin.getByRole("row").filter({ hasText: "Demo agent" });
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  await expect(row.getByText("reviews:write", { exact: true })).toBeVisible();
  await expect(row.getByText("reviews:read", { exact: true })).toBeVisible();
  expect(await accessibilityViolations(admin)).toEqual([]);
});

test("a reviewer is refused the API keys page and its actions server-side", async ({ page, browser }) => {
  const reviewer = await signedInPage(browser, demo.reviewer);
  const res = await reviewer.goto("/admin/api-keys");
  expect(res?.status()).toBe(403);
  await expect(reviewer.getByText("You don't have access to this page")).toBeVisible();

  // Capture an admin's real "create key" request, then replay it as the reviewer.
  await signUpOrganization(page, "apikeyreplay");
  await page.goto("/admin/api-keys");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Replayed agent");
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    dialog.getByRole("button", { name: "Create key" }).click(),
  ]);
  await expect(dialog.getByTestId("new-api-key")).toBeVisible();

  const replay = await reviewer.request.post(request.url(), {
    headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
    data: request.postDataBuffer() ?? undefined,
  });
  expect(replay.status()).toBeLessThan(500);
  const body = await replay.text();
  expect(body).toContain("forbidden");
  expect(body).not.toContain("cs_live_");
});
