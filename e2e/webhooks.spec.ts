import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

test("an admin reveals the signing secret, then rotates it to a new one", async ({ page }) => {
  await signUpOrganization(page, "webhooks");
  await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks$/);
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Signing secret" })).toBeVisible();
  await expect(page.getByText("No deliveries yet")).toBeVisible();
  await expect(page.getByRole("link", { name: "verifying webhooks" })).toHaveAttribute("href", "/docs/api#webhooks");
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole("button", { name: "Reveal secret" }).click();
  const field = page.getByTestId("webhook-secret");
  await expect(field).toHaveValue(/^whsec_/);
  const revealed = await field.inputValue();
  await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  // Hiding drops it; revealing again shows the same secret.
  await page.getByRole("button", { name: "Hide" }).click();
  await expect(field).toHaveCount(0);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(field).toHaveValue(revealed);

  await page.getByRole("button", { name: "Rotate secret" }).click();
  const confirm = page.getByRole("dialog");
  await expect(confirm).toContainText("signed with the new secret");
  expect(await accessibilityViolations(page)).toEqual([]);
  await confirm.getByRole("button", { name: "Rotate secret" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Secret rotated — update your agents now")).toBeVisible();
  await expect(field).toHaveValue(/^whsec_/);
  await expect(field).not.toHaveValue(revealed);
  const rotated = await field.inputValue();
  expect(rotated).not.toBe(revealed);

  // The new secret is the one on record: a fresh page reveals it, not the old one.
  await page.reload();
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveValue(rotated);
  expect(await accessibilityViolations(page)).toEqual([]);
});

test("a reviewer is refused the webhooks page", async ({ browser }) => {
  const reviewer = await signedInPage(browser, demo.reviewer);
  const res = await reviewer.goto("/admin/webhooks");
  expect(res?.status()).toBe(403);
  await expect(reviewer.getByText("You don't have access to this page")).toBeVisible();
  await expect(reviewer.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);
});
