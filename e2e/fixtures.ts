import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "countersign";
export const demo = {
  admin: "admin@acme.test",
  manager: "manager@acme.test",
  reviewer: "reviewer@acme.test",
  clinician: "clinician@acme.test",
} as const;

/** The demo organization's agent key, fixed by scripts/e2e-server.mjs. */
export const DEMO_API_KEY = process.env.E2E_DEMO_API_KEY ?? "cs_live_e2e_demo_key_0123456789abcdefghijklmnopqrstuv";
export const agentAuth = { authorization: `Bearer ${DEMO_API_KEY}` };

let counter = 0;
/** A unique address per call, so specs run in parallel on one database with no reset. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${process.pid}-${counter}@e2e.test`;
}

/** Signs in over HTTP (Auth.js CSRF + credentials callback) in a fresh browser context and returns its page. */
export async function signedInPage(browser: Browser, email: string, password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext();
  const csrf = await context.request.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await context.request.post("/api/auth/callback/credentials", {
    form: { email, password, csrfToken, callbackUrl: "/" },
    maxRedirects: 0,
  });
  expect(res.status(), `sign-in of ${email}`).toBe(302);
  expect(res.headers()["location"] ?? "", `sign-in of ${email} was refused`).not.toContain("error=");
  return context.newPage();
}

/** Creates a new organization through the sign-up page, then signs its creator in (sign-up itself signs nobody in). */
export async function signUpOrganization(page: Page, label: string) {
  const email = uniqueEmail(label);
  const password = "correct-horse-battery";
  const organizationName = `${label} org ${Date.now().toString(36)}`;
  await page.goto("/signup");
  await page.getByLabel("Organization").fill(organizationName);
  await page.getByLabel("Your name").fill(`${label} Admin`);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed-up$/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  return { email, password, organizationName };
}

/** WCAG 2 A/AA violations on the current page, as readable lines (empty when clean). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Toasts fade in and out: caught mid-animation their text fails contrast, so they are left out.
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).exclude("[data-sonner-toaster]").analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

export const test = base;
export { expect };
