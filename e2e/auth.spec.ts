import { DEMO_PASSWORD, demo, expect, signUpOrganization, test, uniqueEmail } from "./fixtures";
import type { Page } from "@playwright/test";

async function attempt(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A refused attempt is over when the form has been reset: the password cleared, the email offered again. */
async function refused(page: Page, email: string, message: string | RegExp) {
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByRole("main").getByRole("alert")).toContainText(message);
}

test("a wrong password and an unknown email get the same message", async ({ page }) => {
  await page.goto("/login");
  await attempt(page, demo.clinician, "not-the-password");
  await refused(page, demo.clinician, "don't match an account");
  const wrongPassword = await page.getByRole("main").getByRole("alert").innerText();

  const nobody = uniqueEmail("nobody");
  await attempt(page, nobody, "not-the-password");
  await refused(page, nobody, wrongPassword);
  await expect(page).toHaveURL(/\/login/);
});

test("invalid input is explained field by field", async ({ page }) => {
  await page.goto("/login");
  await attempt(page, "not-an-email", "");
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Enter your password")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
});

test("repeated failures throttle the account with a retry time, and it recovers after the window", async ({ page, browser }) => {
  // An account of its own, so the throttle touches nothing else; attempts come from a signed-out browser.
  const { email, password } = await signUpOrganization(await browser.newPage(), "throttle");
  await page.goto("/login");
  for (let i = 0; i < 5; i++) {
    await attempt(page, email, `wrong-${i}`);
    await refused(page, email, "don't match an account");
  }
  // Even the right password is refused while throttled, with a time to come back.
  await attempt(page, email, password);
  await refused(page, email, /Too many failed sign-in attempts\. Try again in \d+ seconds?\./);
  await expect(page).toHaveURL(/\/login/);

  // The e2e server's window is 15 s: the throttle lifts on its own, and the right password works again.
  test.setTimeout(120_000);
  await expect(async () => {
    await page.goto("/login");
    await attempt(page, email, password);
    await expect(page).toHaveURL(/\/admin$/, { timeout: 10_000 });
  }).toPass({ timeout: 60_000, intervals: [3_000] });
});

test("sign-up creates an isolated organization with its creator as admin", async ({ page }) => {
  const { email, organizationName } = await signUpOrganization(page, "isolated");
  await expect(page.getByText(organizationName).first()).toBeVisible();
  await page.goto("/admin/members");
  const rows = page.getByRole("row").filter({ has: page.getByRole("cell") });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(email);
  await expect(page.getByText("acme.test")).toHaveCount(0);
  // Nothing of the demo organization's history reaches a new organization.
  await page.goto("/analytics");
  await expect(page.getByText("No task types yet")).toBeVisible();
});

test("sign-up refuses an email that already has an account", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Organization").fill("Copycat Inc");
  await page.getByLabel("Your name").fill("Copy Cat");
  await page.getByLabel("Work email").fill(demo.admin);
  await page.getByLabel("Password").fill("long-enough-password");
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByText("An account with this email already exists").first()).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);
});

test("demo password works for the demo admin after failures by others", async ({ page }) => {
  await page.goto("/login");
  await attempt(page, demo.admin, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
});
