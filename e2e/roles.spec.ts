import { accessibilityViolations, DEMO_PASSWORD, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

const landings = [
  { who: "reviewer", email: demo.reviewer, path: "/queue", heading: "Queue", nav: ["Queue"] },
  { who: "manager", email: demo.manager, path: "/analytics", heading: "Analytics", nav: ["Queue", "Analytics"] },
  { who: "admin", email: demo.admin, path: "/admin", heading: "Admin", nav: ["Queue", "Analytics", "Admin"] },
] as const;

for (const l of landings) {
  test(`${l.who} signs in with the form and lands on ${l.path}, seeing only what the role may use`, async ({ page }) => {
    await page.goto("/login");
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel("Email").fill(l.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${l.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: l.heading })).toBeVisible();
    // The Queue link carries a count of waiting items.
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(l.nav.map((n) => new RegExp(`^${n}`)));
    await expect(page.getByRole("navigation", { name: "Main" }).getByTestId("nav-count")).toHaveText(/^\d+/);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
}

test("the queue shows a reviewer only their workspaces", async ({ browser }) => {
  const clinician = await signedInPage(browser, demo.clinician);
  await clinician.goto("/queue");
  const tabs = clinician.getByRole("navigation", { name: "Workspaces" }).getByRole("button");
  await expect(tabs).toHaveText([/^All workspaces/, /^Clinical/]);
  await expect(clinician.getByTestId("queue-row")).not.toHaveCount(0);
  for (const row of await clinician.getByTestId("queue-row").all()) await expect(row).toContainText("Clinical");

  const reviewer = await signedInPage(browser, demo.reviewer);
  await reviewer.goto("/queue");
  await expect(reviewer.getByRole("navigation", { name: "Workspaces" }).getByRole("button")).toHaveText([/^All workspaces/, /^Clinical/, /^Customer operations/]);
});

test("analytics shows the seeded history per task type", async ({ browser }) => {
  const manager = await signedInPage(browser, demo.manager);
  await manager.goto("/analytics");
  const table = manager.getByRole("table");
  for (const key of ["crm.contact.update", "ehr.note.write", "email.reply.send", "refund.issue", "route.adjust"]) {
    await expect(table.getByText(key, { exact: true })).toBeVisible();
  }
  // Weeks of decisions: the headline count is in the thousands.
  await expect(manager.getByText("Decided by a person", { exact: true }).locator("..")).toContainText(/\d,\d{3}/);
});

test("admin pages pass an accessibility check and list the demo members", async ({ browser }) => {
  const admin = await signedInPage(browser, demo.admin);
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  expect(await accessibilityViolations(admin)).toEqual([]);
  await admin.goto("/admin/members");
  for (const email of Object.values(demo)) await expect(admin.getByText(email, { exact: true })).toBeVisible();
  expect(await accessibilityViolations(admin)).toEqual([]);
});

test("signed-out visitors are sent to sign in, and come back after", async ({ page }) => {
  await page.goto("/admin/members");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("Email").fill(demo.admin);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/members$/);
});

test("sign out ends the session", async ({ page: signUpPage, browser }) => {
  // Someone of its own: signing out ends every session of the person, and demo users' sessions are shared by other specs.
  const { email, password } = await signUpOrganization(signUpPage, "sign-out");
  const page = await signedInPage(browser, email, password);
  await page.goto("/admin");
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed-out/);
  await expect(page.getByText("You have signed out on every device.")).toBeVisible();
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/login/);
});
