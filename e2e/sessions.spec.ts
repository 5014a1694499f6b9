import type { Browser, Page } from "@playwright/test";
import { expect, signedInPage, signUpOrganization, test } from "./fixtures";
import { inviteAndJoin } from "./invite-member";

// Every test signs in people of its own: ending a demo user's sessions would end other specs' too.

/** A second browser holding a copy of the page's cookies, as someone who copied the session cookie would. */
async function copyOf(browser: Browser, page: Page): Promise<Page> {
  const context = await browser.newContext({ storageState: await page.context().storageState() });
  return context.newPage();
}

async function expectSignedIn(page: Page) {
  await page.goto("/admin");
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
}

async function expectSessionEnded(page: Page) {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?reason=ended$/);
  await expect(page.getByText("Your session has ended")).toBeVisible();
}

async function signOutEverywhere(page: Page) {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed-out$/);
}

test("a session cookie copied before sign-out stops working at sign-out", async ({ page, browser }) => {
  await signUpOrganization(page, "copied-cookie");
  const copy = await copyOf(browser, page);
  await expectSignedIn(copy);
  await page.goto("/admin");
  await signOutEverywhere(page);
  await expectSessionEnded(copy);
  // Its server actions are refused as well, not only its pages.
  await copy.goto("/admin/settings");
  await expect(copy).toHaveURL(/\/login/);
});

test("sign out everywhere ends the session of another device", async ({ page, browser }) => {
  const { email, password } = await signUpOrganization(page, "everywhere");
  const otherDevice = await signedInPage(browser, email, password);
  await expectSignedIn(otherDevice);
  await page.goto("/admin");
  await signOutEverywhere(page);
  await expectSessionEnded(otherDevice);
  // Signing in again starts a session that works.
  const again = await signedInPage(browser, email, password);
  await expectSignedIn(again);
});

test("a role change ends the member's session; they sign in again under the new role", async ({ page, browser }) => {
  await signUpOrganization(page, "role-change");
  const member = await inviteAndJoin(page, browser, "reviewer");
  await member.page.goto("/queue");
  await expect(member.page.getByRole("heading", { level: 1, name: "Queue" })).toBeVisible();

  await page.goto("/admin/members");
  const row = page.getByTestId(`member-${member.email}`);
  await row.getByLabel(/Role of/).selectOption("manager");

  // The change is saved in the background: once the server has it, the member's next request is refused.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId(`member-${member.email}`).getByLabel(/Role of/)).toHaveValue("manager", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await member.page.goto("/queue");
  await expect(member.page).toHaveURL(/\/login\?reason=ended$/);
  const again = await signedInPage(browser, member.email, member.password);
  await again.goto("/analytics");
  await expect(again.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
});

test("GET /signed-out, a link any site can send, signs nobody out", async ({ page, browser }) => {
  const { email, password } = await signUpOrganization(page, "signed-out-link");
  const victim = await signedInPage(browser, email, password);
  const response = await victim.goto("/signed-out?reason=removed");
  expect(response?.status()).toBe(404);
  await expectSignedIn(victim);
  await expectSignedIn(page);
});
