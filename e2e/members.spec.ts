import { expect, signUpOrganization, test, signedInPage } from "./fixtures";
import { inviteAndJoin } from "./invite-member";

test("an invite link lets the invitee join with the chosen role, once", async ({ page, browser }) => {
  await signUpOrganization(page, "invites");
  const { email, link } = await inviteAndJoin(page, browser, "manager");
  await page.goto("/admin/members");
  const row = page.getByTestId(`member-${email}`);
  await expect(row.getByLabel(/Role of/)).toHaveValue("manager");

  const again = await browser.newPage();
  await again.goto(link);
  await expect(again.getByText("already been used")).toBeVisible();
});

test("a disabled member is signed out on their next request, session token notwithstanding", async ({ page, browser }) => {
  await signUpOrganization(page, "disable");
  const member = await inviteAndJoin(page, browser, "reviewer");
  await member.page.goto("/queue");
  await expect(member.page.getByRole("heading", { level: 1, name: "Queue" })).toBeVisible();

  await page.goto("/admin/members");
  const row = page.getByTestId(`member-${member.email}`);
  await row.getByRole("button", { name: /^Disable/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable member" }).click();
  await expect(row.getByText("Disabled", { exact: true })).toBeVisible();

  await member.page.reload();
  await expect(member.page).toHaveURL(/\/login\?reason=disabled/);
  await expect(member.page.getByText("has been disabled")).toBeVisible();
  // Signing in again is refused too.
  await member.page.getByLabel("Email").fill(member.email);
  await member.page.getByLabel("Password").fill(member.password);
  await member.page.getByRole("button", { name: "Sign in" }).click();
  await expect(member.page.getByRole("main").getByRole("alert")).toContainText("disabled");

  // Enabled again, they can sign in.
  await row.getByRole("button", { name: "Enable" }).click();
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  const back = await signedInPage(browser, member.email, member.password);
  await back.goto("/queue");
  await expect(back.getByRole("heading", { level: 1, name: "Queue" })).toBeVisible();
});

test("the last admin can't be demoted or disabled", async ({ page }) => {
  const { email } = await signUpOrganization(page, "lastadmin");
  await page.goto("/admin/members");
  const row = page.getByTestId(`member-${email}`);
  await row.getByLabel(/Role of/).selectOption("reviewer");
  await expect(row.getByText("This is the last admin")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId(`member-${email}`).getByLabel(/Role of/)).toHaveValue("admin");

  await row.getByRole("button", { name: /^Disable/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable member" }).click();
  await expect(row.getByText("can't be disabled")).toBeVisible();
});

test("a role change ends the member's session; signed in again, the new role applies", async ({ page, browser }) => {
  await signUpOrganization(page, "promote");
  const member = await inviteAndJoin(page, browser, "reviewer");
  await member.page.goto("/analytics");
  await expect(member.page.getByText("You don't have access to this page")).toBeVisible();

  await page.goto("/admin/members");
  await page.getByTestId(`member-${member.email}`).getByLabel(/Role of/).selectOption("manager");
  await expect(page.getByTestId(`member-${member.email}`).getByText("Role changed to manager")).toBeVisible();

  await member.page.goto("/analytics");
  await expect(member.page).toHaveURL(/\/login\?reason=ended$/);
  const again = await signedInPage(browser, member.email, member.password);
  await again.goto("/analytics");
  await expect(again.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
});

test("a reviewer is refused admin pages and admin actions server-side", async ({ page, browser }) => {
  await signUpOrganization(page, "refuse");
  const member = await inviteAndJoin(page, browser, "reviewer");

  // Pages: a 403, not just a hidden link.
  for (const path of ["/admin", "/admin/members", "/analytics"]) {
    const res = await member.page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(member.page.getByText("You don't have access to this page")).toBeVisible();
  }

  // Actions: capture the admin's real "change role" request, then replay it as the reviewer, who tries
  // to make themselves an admin by calling the server action directly.
  await page.goto("/admin/members");
  const select = page.getByTestId(`member-${member.email}`).getByLabel(/Role of/);
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])),
    select.selectOption("admin"),
  ]);
  await expect(page.getByTestId(`member-${member.email}`).getByText("Role changed to admin")).toBeVisible();
  await select.selectOption("reviewer");
  await expect(page.getByTestId(`member-${member.email}`).getByText("Role changed to reviewer")).toBeVisible();

  // Each role change ended the member's session: they sign in again, as a reviewer, and replay from there.
  const reviewer = await signedInPage(browser, member.email, member.password);
  const replay = await reviewer.request.post(request.url(), {
    headers: { "next-action": request.headers()["next-action"], "content-type": request.headers()["content-type"] },
    data: request.postDataBuffer() ?? undefined,
  });
  expect(replay.status()).toBeLessThan(500);
  expect(await replay.text()).toContain("forbidden");

  await page.reload();
  await expect(page.getByTestId(`member-${member.email}`).getByLabel(/Role of/)).toHaveValue("reviewer");
  const res = await reviewer.goto("/admin");
  expect(res?.status()).toBe(403);
});
