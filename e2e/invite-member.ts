import type { Browser, Page } from "@playwright/test";
import { expect, uniqueEmail } from "./fixtures";

export type Role = "reviewer" | "manager" | "admin";

/** Admin invites someone through the dialog; they accept in their own browser context and land home. */
export async function inviteAndJoin(admin: Page, browser: Browser, role: Role, name = `New ${role}`) {
  const email = uniqueEmail(`invitee-${role}`);
  const password = "invitee-password-1";
  await admin.goto("/admin/members");
  await admin.getByRole("button", { name: "Invite member" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption(role);
  await dialog.getByRole("button", { name: "Create invite link" }).click();
  const link = await dialog.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
  await dialog.getByRole("button", { name: "Close" }).click();

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByRole("heading", { level: 1 })).toContainText("Join");
  await invitee.getByLabel("Your name").fill(name);
  await invitee.getByLabel("Choose a password").fill(password);
  await invitee.getByRole("button", { name: "Join and sign in" }).click();
  const home = { reviewer: "/queue", manager: "/analytics", admin: "/admin" }[role];
  await expect(invitee).toHaveURL(new RegExp(`${home}$`));
  return { email, password, link, name, page: invitee };
}
