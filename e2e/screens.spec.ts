import type { Browser, Page, TestInfo } from "@playwright/test";
import { actors, pages, type PageRow } from "./authorization/matrix";
import { agentAuth, demo, expect, signedInPage, signUpOrganization, test } from "./fixtures";

/**
 * Every page of the page map (e2e/authorization/matrix.ts) at a phone's width and two desktop widths,
 * with the demo data and a role that may see it: the page never grows wider than the screen, and at
 * desktop widths no table scrolls sideways (every column shows). A 500-character unbroken string in an
 * item's draft and action wraps inside its card. Screenshots of the main pages are attached to the report.
 */

const widths = [390, 1280, 1440] as const;
const long = "x".repeat(500);
const shot = new Set(["/queue", "/queue/[id]", "/analytics", "/analytics/[key]", "/admin", "/admin/task-types", "/admin/audit"]);

/** Who visits the page: signed out when anyone may, else the least role the matrix lets in. */
function visitorOf(row: PageRow): string | null {
  const cell = (actor: (typeof actors)[number]) => row.expect[actors.indexOf(actor)];
  if (cell("out") === "200") return null;
  if (cell("rev") === "200") return demo.reviewer;
  if (cell("mgr") === "200") return demo.manager;
  if (cell("adm") === "200") return demo.admin;
  return demo.reviewer; // "/" redirects everyone: the reviewer lands on the queue
}

type Ids = Record<string, string>;

async function firstId(page: Page, path: string, pattern: RegExp): Promise<string> {
  await page.goto(path);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const id = hrefs.map((h) => pattern.exec(h)?.[1]).find(Boolean);
  expect(id, `an id on ${path}`).toBeTruthy();
  return id!;
}

async function urlOf(row: PageRow, ids: () => Promise<Ids>): Promise<string> {
  const names = [...row.url.matchAll(/\{([a-zA-Z]+\.[a-zA-Z]+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return row.url;
  const known = await ids();
  let url = row.url;
  for (const name of names) {
    expect(known[name], `a value for {${name}} in ${row.url}: teach e2e/screens.spec.ts where to find one`).toBeDefined();
    url = url.replace(`{${name}}`, known[name]);
  }
  return url;
}

async function settle(page: Page) {
  await expect(page.locator("h1").first()).toBeVisible();
  await expect(page.getByRole("status", { name: /^Loading/ })).toHaveCount(0);
}

async function fits(page: Page, width: number, label: string) {
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - innerWidth), { message: `${label} at ${width} px grows wider than the screen` })
    .toBeLessThanOrEqual(0);
  if (width >= 1280) {
    // Each table shows all its columns: nothing to scroll to inside its box.
    const clipped = await page.locator("[data-slot=table-container]").evaluateAll((boxes) =>
      boxes.filter((b) => b.getClientRects().length > 0 && b.scrollWidth > b.clientWidth + 1).map((b) => b.querySelector("table")?.getAttribute("aria-label") ?? "a table"),
    );
    expect(clipped, `${label} at ${width} px: tables cut off`).toEqual([]);
  }
}

async function attachShot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

let reviewId: string | undefined;

test.beforeAll(async ({ request }) => {
  // The item page's row: an item with a long unbroken string in its draft and its action.
  const res = await request.post("/api/v1/reviews", {
    headers: agentAuth,
    data: {
      taskType: `e2e.screens.${Date.now().toString(36)}`,
      priority: "low",
      title: "Screens: a reply with a very long token",
      action: { to: "pat@example.com", reference: long, nested: { token: long } },
      draft: `Hello Pat,\n${long}\nBest`,
      context: { note: long },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  reviewId = ((await res.json()) as { id: string }).id;
});

async function demoIds(browser: Browser): Promise<Ids> {
  const admin = await signedInPage(browser, demo.admin);
  const ids: Ids = {
    "demo.review": reviewId!,
    "demo.taskType": "refund.issue",
    "demo.adminUser": await firstId(admin, "/admin/members", /^\/admin\/members\/([0-9a-f-]{36})$/),
    "demo.workspace": await firstId(admin, "/admin/workspaces", /^\/admin\/workspaces\/([0-9a-f-]{36})$/),
    // An unknown invitation renders the same page with its "no longer valid" card.
    "other.inviteToken": "screens-no-such-invitation-token-0000000000",
  };
  await admin.context().close();
  return ids;
}

/** The demo has no webhook endpoint: a fresh organization gets one that nothing is ever sent to, out of other specs' sight. */
async function endpointPage(browser: Browser): Promise<{ page: Page; url: string }> {
  const page = await (await browser.newContext()).newPage();
  await signUpOrganization(page, "screens");
  await page.goto("/admin/webhooks");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("URL").fill(`http://127.0.0.1:3199/e2e-screens-${Date.now().toString(36)}`);
  for (const name of ["review.created", "review.decided", "review.expired"]) await dialog.getByLabel(name).uncheck();
  await dialog.getByLabel("task_type.mode_changed").check();
  await dialog.getByRole("button", { name: "Add endpoint" }).click();
  await dialog.getByRole("button", { name: "Done" }).click();
  const id = await firstId(page, "/admin/webhooks", /^\/admin\/webhooks\/([0-9a-f-]{36})$/);
  return { page, url: `/admin/webhooks/${id}` };
}

test.afterAll(async ({ request }) => {
  // Out of the demo queue again, so no other spec's "next item" lands on it.
  if (reviewId) await request.post(`/api/v1/reviews/${reviewId}/cancel`, { headers: agentAuth });
});

for (const row of pages) {
  test(`${row.page} fits 390, 1280 and 1440 px`, async ({ browser }, testInfo) => {
    let page: Page;
    let url: string;
    if (row.url.includes("{demo.endpoint}")) {
      ({ page, url } = await endpointPage(browser));
    } else {
      const email = visitorOf(row);
      page = email ? await signedInPage(browser, email) : await (await browser.newContext()).newPage();
      url = await urlOf(row, () => demoIds(browser));
    }
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(url);
      await settle(page);
      await fits(page, width, row.page);
      if (shot.has(row.page)) await attachShot(page, testInfo, `${row.page}-${width}`);
    }
    await page.context().close();
  });
}

test("on a phone: a menu for the header, the queue as cards behind one Filters button, the decisions in a bar at the bottom", async ({ browser }) => {
  const page = await signedInPage(browser, demo.reviewer);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/queue");
  await expect(page.getByTestId("queue-card").first()).toBeVisible();
  await expect(page.getByTestId("queue-row")).toHaveCount(0);
  const card = page.getByTestId("queue-card").first();
  await expect(card.getByRole("list", { name: "Why it is here" })).toBeVisible();
  await expect(card).toContainText(/Waiting /);

  // The filters sit behind one button.
  await expect(page.getByRole("combobox", { name: "Priority" })).toBeHidden();
  const filters = page.getByRole("button", { name: "Filters" });
  await filters.focus();
  await page.keyboard.press("Enter");
  await expect(filters).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("combobox", { name: "Priority" })).toBeVisible();

  // The header's links live in a menu that works from the keyboard.
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await page.getByRole("button", { name: "Menu", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: /^Queue/ })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toBeHidden();

  // The item: Approve / Edit / Reject on screen without scrolling, the long strings wrapped in their cards.
  await page.goto(`/queue/${reviewId}`);
  await expect(page.getByTestId("claim-note")).toBeVisible();
  const bar = page.getByTestId("decision-bar");
  for (const id of ["approve", "edit", "reject"]) await expect(bar.getByTestId(id)).toBeInViewport();
  const box = await bar.boundingBox();
  expect(box!.y + box!.height).toBeLessThanOrEqual(844);
  for (const id of ["draft", "action-fields", "evidence"]) {
    const wraps = await page.getByTestId(id).evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().right <= innerWidth);
    expect(wraps, `${id} wraps its long string`).toBe(true);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  // Editing keeps the bar and the page within the screen.
  await page.keyboard.press("e");
  await expect(page.getByLabel("Draft")).toBeFocused();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("draft")).toBeVisible();
  await page.context().close();
});

test("at 1280 px the queue shows its SLA and Claimed-by columns", async ({ browser }) => {
  const page = await signedInPage(browser, demo.reviewer);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/queue");
  await expect(page.getByTestId("queue-row").first()).toBeVisible();
  for (const name of ["SLA", "Claimed by"]) {
    const header = page.getByRole("columnheader", { name: new RegExp(name) });
    await expect(header).toBeInViewport({ ratio: 1 });
  }
  await page.context().close();
});
