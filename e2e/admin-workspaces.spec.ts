import { accessibilityViolations, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";
import { inviteAndJoin } from "./invite-member";

/**
 * Workspaces and people, as an admin of a fresh organization runs them: create, rename, add members,
 * archive and restore, bulk role changes, a member's page; and the same pages refused to other roles.
 */

test("an admin creates, renames, staffs, archives and restores a workspace", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signUpOrganization(page, "workspaces");
  const reviewer = await inviteAndJoin(page, browser, "reviewer", "Wren Reviewer");
  const name = `Claims ${Date.now().toString(36)}`;

  await page.goto("/admin/workspaces");
  await expect(page.getByRole("heading", { level: 1, name: "Workspaces" })).toBeVisible();
  // The default workspace is there from sign-up, and can't be archived.
  const general = page.getByTestId("workspace-General");
  await expect(general.getByText("Default")).toBeVisible();
  await expect(general.getByRole("button", { name: /^Archive/ })).toHaveCount(0);
  expect(await accessibilityViolations(page)).toEqual([]);

  // Create; a second workspace with the same name (in another case) is a field error.
  await page.getByRole("button", { name: "New workspace" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Workspace “${name}” created.`)).toBeVisible();
  await expect(page.getByTestId(`workspace-${name}`)).toBeVisible();

  await page.getByRole("button", { name: "New workspace" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name.toUpperCase());
  await dialog.getByRole("button", { name: "Create workspace" }).click();
  await expect(dialog.getByText("already has this name")).toBeVisible();
  await expect(dialog.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  expect(await accessibilityViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Rename.
  const renamed = `${name} review`;
  await page.getByTestId(`workspace-${name}`).getByRole("button", { name: `Rename ${name}` }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(renamed);
  await dialog.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByTestId(`workspace-${renamed}`)).toBeVisible();

  // Detail page: no task types yet; add the reviewer.
  await page.getByTestId(`workspace-${renamed}`).getByRole("link", { name: renamed }).click();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();
  await expect(page.getByText("No task types")).toBeVisible();
  await expect(page.getByText("Managers and admins see every workspace's items")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByLabel("Add a member").selectOption({ label: `Wren Reviewer (${reviewer.email}) — Reviewer` });
  await page.getByRole("button", { name: "Add to workspace" }).click();
  await expect(page.getByTestId(`workspace-member-${reviewer.email}`)).toBeVisible();

  // The reviewer sees it as a queue tab on their next request.
  await reviewer.page.goto("/queue");
  const tabs = reviewer.page.getByRole("navigation", { name: "Workspaces" });
  await expect(tabs.getByRole("button", { name: new RegExp(`^${renamed}`) })).toBeVisible();

  // Archive (confirmed): it leaves the reviewer's tabs and moves to the archived list; restore brings it back.
  await page.getByRole("button", { name: `Archive ${renamed}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Archive workspace" }).click();
  await expect(page.getByText("This workspace is archived")).toBeVisible();
  await expect(page.getByLabel("Add a member")).toHaveCount(0);
  await reviewer.page.reload();
  await expect(tabs.getByRole("button", { name: /^General/ })).toBeVisible();
  await expect(tabs.getByRole("button", { name: new RegExp(`^${renamed}`) })).toHaveCount(0);

  await page.goto("/admin/workspaces");
  await expect(page.getByRole("region", { name: "Archived" }).getByTestId(`workspace-${renamed}`)).toBeVisible();
  await page.getByRole("button", { name: `Restore ${renamed}` }).click();
  await expect(page.getByText("Workspace restored.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Archived" })).toHaveCount(0);
  await reviewer.page.reload();
  await expect(tabs.getByRole("button", { name: new RegExp(`^${renamed}`) })).toBeVisible();

  // Remove the reviewer again (confirmed).
  await page.goto("/admin/workspaces");
  await page.getByTestId(`workspace-${renamed}`).getByRole("link", { name: renamed }).click();
  await page.getByRole("button", { name: `Remove Wren Reviewer from ${renamed}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByTestId(`workspace-member-${reviewer.email}`)).toHaveCount(0);
});

// FIXME: in CI (next start, parallel specs) the second "Change role" click on the member list never
// completes ("performing click action" until the timeout), after a first bulk change succeeded. The
// bulk change and its last-admin guard are covered by db/queries/members.test.ts; this flow waits on
// finding what holds the click.
test("bulk role changes, refused when they would leave no admin, and a member's own page", async ({ page, browser }) => {
  // Signs up an organization and two members (each a password hash), then three flows: a long test.
  test.setTimeout(150_000);
  const { email: adminEmail } = await signUpOrganization(page, "bulkroles");
  const one = await inviteAndJoin(page, browser, "reviewer", "Ola One");
  const two = await inviteAndJoin(page, browser, "reviewer", "Tia Two");

  await page.goto("/admin/members");
  await page.getByLabel("Select Ola One").check();
  await page.getByLabel("Select Tia Two").check();
  await expect(page.getByTestId("bulk-role-bar")).toContainText("2 selected");
  await page.getByLabel("Set role to").selectOption("manager");
  await page.getByRole("button", { name: "Change role", exact: true }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Ola One");
  await expect(dialog).toContainText("Reviewer → Manager");
  expect(await accessibilityViolations(page)).toEqual([]);
  await dialog.getByRole("button", { name: "Change roles" }).click();
  await expect(page.getByText("2 members are now managers.")).toBeVisible();
  await expect(page.getByTestId(`member-${one.email}`).getByLabel(/Role of/)).toHaveValue("manager");
  await expect(page.getByTestId(`member-${two.email}`).getByLabel(/Role of/)).toHaveValue("manager");
  await expect(page.getByTestId("bulk-role-bar")).not.toContainText("selected");

  // Everyone, the only admin included, to reviewer: refused, and nothing changes.
  await page.getByLabel("Select all members").check();
  await page.getByLabel("Set role to").selectOption("reviewer");
  await page.getByRole("button", { name: "Change role", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Change roles" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText("without an active admin");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(page.getByTestId(`member-${adminEmail}`).getByLabel(/Role of/)).toHaveValue("admin");
  await expect(page.getByTestId(`member-${one.email}`).getByLabel(/Role of/)).toHaveValue("manager");

  // The admin's own page lists what they just did; a member's page edits their workspaces.
  await page.getByTestId(`member-${adminEmail}`).getByRole("link", { name: "bulkroles Admin" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("bulkroles Admin");
  const activity = page.getByRole("list", { name: /Recent activity/ });
  await expect(activity.getByTestId("member-activity").first()).toContainText("Changed a member's role");
  await expect(activity).toContainText("reviewer → manager");
  await expect(activity).toContainText("Invited a member");
  await expect(page.getByText("No decisions yet")).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.getByRole("link", { name: "All members" }).click();
  await page.getByTestId(`member-${one.email}`).getByRole("link", { name: "Ola One" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Ola One");
  const general = page.getByRole("checkbox", { name: /General/ });
  await expect(general).toBeChecked();
  await general.uncheck();
  await page.getByRole("button", { name: "Save workspaces" }).click();
  await expect(page.getByText("Workspaces saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: /General/ })).not.toBeChecked();
});

test("a reviewer, a manager and another organization's admin are refused the workspace and member pages", async ({ page, browser }) => {
  // Signs up an organization, invites and signs in a member, then checks every role: a long flow.
  test.setTimeout(150_000);
  await signUpOrganization(page, "refusews");
  const member = await inviteAndJoin(page, browser, "reviewer", "Rex Refused");
  await page.goto("/admin/workspaces");
  await page.getByTestId("workspace-General").getByRole("link", { name: "General" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "General" })).toBeVisible();
  const workspacePath = new URL(page.url()).pathname;
  await page.goto("/admin/members");
  await page.getByTestId(`member-${member.email}`).getByRole("link", { name: "Rex Refused" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Rex Refused");
  const memberPath = new URL(page.url()).pathname;

  const manager = await signedInPage(browser, demo.manager);
  for (const who of [member.page, manager]) {
    for (const path of ["/admin/workspaces", workspacePath, memberPath]) {
      const res = await who.goto(path);
      expect(res?.status(), path).toBe(403);
      await expect(who.getByText("You don't have access to this page")).toBeVisible();
    }
  }

  // The demo's admin: another organization's workspace and member are simply not there.
  const stranger = await signedInPage(browser, demo.admin);
  for (const path of [workspacePath, memberPath]) {
    await stranger.goto(path);
    await expect(stranger.getByRole("heading", { name: /^No such (workspace|member)$/ })).toBeVisible();
  }
});
