import type { Page } from "@playwright/test";
import { builtActions } from "./authorization/inventory";
import { DEMO_PASSWORD, demo, expect, signUpOrganization, test, uniqueEmail } from "./fixtures";
import { requestFrom, signInFrom, uniqueLoopback } from "./loopback-client";

// The e2e server's limits (scripts/e2e-server.mjs).
const FREE_FAILURES_PER_ACCOUNT = 3;
const MAX_DELAY_SECONDS = 8;
const MAX_FAILURES_PER_ADDRESS = 20;
const SIGNUPS_PER_ADDRESS_PER_HOUR = 100;

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

test("an attacker's wrong passwords slow the owner down, with a time to come back, but never lock them out", async ({ page, browser, baseURL }) => {
  test.setTimeout(120_000);
  // An account of its own, so the delays touch nothing else.
  const { email, password } = await signUpOrganization(await browser.newPage(), "throttle");
  // The owner, elsewhere, has the form filled in with the right password (so they arrive within the delay on a busy machine).
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  // The attacker, from an address of its own, keeps guessing as fast as the delays let it.
  const attacker = uniqueLoopback();
  const answers: string[] = [];
  // Enough failures that the delay reaches its cap, so the owner arrives well within it.
  for (let failures = 0; failures < FREE_FAILURES_PER_ACCOUNT + 4; ) {
    const answer = await signInFrom(attacker, baseURL!, email, `wrong-${answers.length}`);
    answers.push(answer);
    if (answer === "credentials") failures += 1;
    else await new Promise((r) => setTimeout(r, 250));
  }
  // The free failures went straight through; after them, attempts were held back.
  expect(answers.slice(0, FREE_FAILURES_PER_ACCOUNT)).toEqual(Array(FREE_FAILURES_PER_ACCOUNT).fill("credentials"));
  expect(answers).toContain("throttled");

  // The owner signs in: held back for a few seconds, told for how long.
  await page.getByRole("button", { name: "Sign in" }).click();
  await refused(page, email, /Too many failed sign-in attempts\. Try again in \d+ seconds?\./);
  const wait = Number(/in (\d+) second/.exec(await page.getByRole("main").getByRole("alert").innerText())?.[1]);
  expect(wait).toBeGreaterThan(0);
  expect(wait).toBeLessThanOrEqual(MAX_DELAY_SECONDS);
  await expect(page).toHaveURL(/\/login/);

  // After the delay the right password works: no lock-out (the old throttle held the account for 15 minutes).
  await expect(async () => {
    await page.goto("/login");
    await attempt(page, email, password);
    await expect(page).toHaveURL(/\/admin$/, { timeout: 5_000 });
  }).toPass({ timeout: (MAX_DELAY_SECONDS + 20) * 1000, intervals: [wait * 1000, 1_000] });
});

test("a new X-Forwarded-For per attempt doesn't dodge the per-address limit", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const client = uniqueLoopback();
  // Each attempt a different account (no account delay) and a different forged address.
  for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
    const forged = { "x-forwarded-for": `198.51.100.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}`, "x-countersign-peer-address": `203.0.113.${i + 1}` };
    expect(await signInFrom(client, baseURL!, uniqueEmail("spray"), "wrong-password", forged), `attempt ${i + 1}`).toBe("credentials");
  }
  const fresh = { "x-forwarded-for": "192.0.2.77", "x-countersign-peer-address": "192.0.2.77" };
  expect(await signInFrom(client, baseURL!, uniqueEmail("spray"), "wrong-password", fresh)).toBe("throttled");
  // The limit is the address's: another client is not held back by it.
  expect(await signInFrom(uniqueLoopback(), baseURL!, uniqueEmail("spray"), "wrong-password")).toBe("credentials");
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

test("sign-up answers the same for a taken email as for a new one, and creates nothing for the taken one", async ({ page }) => {
  const signUpAs = async (email: string) => {
    await page.goto("/signup");
    await page.getByLabel("Organization").fill("Copycat Inc");
    await page.getByLabel("Your name").fill("Copy Cat");
    await page.getByLabel("Work email").fill(email);
    await page.getByLabel("Password").fill("long-enough-password");
    await page.getByRole("button", { name: "Create organization" }).click();
    await expect(page).toHaveURL(/\/login\?reason=signed-up$/);
    return page.getByRole("main").innerText();
  };
  const taken = await signUpAs(demo.admin);
  const fresh = await signUpAs(uniqueEmail("fresh"));
  expect(taken).toBe(fresh);
  // The demo admin is untouched: the real password still opens the real organization.
  await attempt(page, demo.admin, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByText("Acme").first()).toBeVisible();
});

test("sign-up is limited per client address", async ({ baseURL }) => {
  test.setTimeout(120_000);
  const action = builtActions().get("signUpAction");
  if (!action) throw new Error("signUpAction is not in the build");
  const boundary = "----countersignsignup";
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const fields = { organizationName: "Sign-up flood", name: "Flood", email: demo.admin, password: "long-enough-password" };
  const body = `${Object.entries(fields).map(([k, v]) => part(`_1_${k}`, v)).join("")}${part("0", '[null,"$K1"]')}--${boundary}--\r\n`;
  const client = uniqueLoopback();
  const signUp = () =>
    requestFrom(client, `${baseURL}/signup`, {
      method: "POST",
      headers: { "next-action": action.id, accept: "text/x-component", "content-type": `multipart/form-data; boundary=${boundary}`, origin: baseURL!, "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250)}` },
      body,
    });
  // A taken email, so nothing is created: each allowed call answers the neutral redirect.
  for (let i = 0; i < SIGNUPS_PER_ADDRESS_PER_HOUR; i++) {
    const answer = await signUp();
    expect(answer.headers["x-action-redirect"] ?? "", `sign-up ${i + 1}: ${answer.body.slice(0, 200)}`).toContain("/login?reason=signed-up");
  }
  const over = await signUp();
  expect(over.headers["x-action-redirect"]).toBeUndefined();
  expect(over.body).toContain('"code":"rate_limited"');
});

test("demo password works for the demo admin after failures by others", async ({ page }) => {
  await page.goto("/login");
  await attempt(page, demo.admin, DEMO_PASSWORD);
  await expect(page).toHaveURL(/\/admin$/);
});
