import http from "node:http";
import type { AddressInfo } from "node:net";
import type { APIResponse, Page, Response } from "@playwright/test";
import { agentAuth, demo, expect, signedInPage, test } from "./fixtures";

/**
 * Issue 14, item 7: a page on another port of the same host framed /queue/<id>, and one keypress in it
 * approved the item as the signed-in reviewer. Every page now sends a Content-Security-Policy with a
 * nonce per request and frame-ancestors 'none', X-Frame-Options and the other security headers; API
 * responses and static files get the fixed ones. Nothing the app itself does may break under the policy.
 */

type Headers = Record<string, string>;

/** What every response carries, page or not. */
function expectCommonHeaders(headers: Headers, what: string) {
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) expect(headers["permissions-policy"], what).toContain(`${feature}=()`);
  // Served over plain http here: HSTS only comes over https.
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

/** A page's headers, and its nonce: on every script the server rendered, and on none of any other request. */
async function expectPageHeaders(response: Response | APIResponse | null, what: string): Promise<string> {
  expect(response, what).not.toBeNull();
  const headers = response!.headers();
  expectCommonHeaders(headers, what);
  const csp = headers["content-security-policy"] ?? "";
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
  expect(nonce, `${what}: script-src of ${csp}`).toBeTruthy();
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "default-src 'self'"]) expect(csp, what).toContain(directive);
  const scripts = (await response!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length, what).toBeGreaterThan(0);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)), `${what}: scripts without the nonce`).toEqual([]);
  return nonce!;
}

/** Collects into `problems` CSP violations and the console's complaints about the policies, from a page's first script on. */
async function watchPolicies(page: Page, problems: string[] = []): Promise<string[]> {
  await page.exposeFunction("reportPolicyViolation", (text: string) => problems.push(text));
  await page.addInitScript(() => {
    document.addEventListener(
      "securitypolicyviolation",
      (e) => (window as unknown as { reportPolicyViolation: (t: string) => void }).reportPolicyViolation(`${location.pathname}: ${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
      true,
    );
  });
  page.on("console", (message) => {
    // Chromium warns of a Permissions-Policy feature it doesn't know, and logs each CSP refusal as an error.
    if (["error", "warning"].includes(message.type()) && /Content Security Policy|Permissions-Policy|Refused to/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  return problems;
}

/** Opens a page, checks its headers and nonce and that it is the page asked for, not a redirect. */
async function visit(page: Page, path: string, heading: string | RegExp) {
  const response = await page.goto(path);
  expect(new URL(page.url()).pathname, path).toBe(path.split("?")[0]);
  await expectPageHeaders(response, path);
  await expect(page.getByRole("heading", { level: 1, name: heading }).first()).toBeVisible();
}

async function pendingRefund(request: import("@playwright/test").APIRequestContext, title: string): Promise<string> {
  const res = await request.post("/api/v1/reviews", {
    headers: agentAuth,
    // Low priority: a reviewer's "approve & next" in a test running alongside finds the demo's items first.
    data: { taskType: "refund.issue", title, priority: "low", action: { orderId: title, amount: 40 }, amount: { value: 40, currency: "USD" }, confidence: 0.9 },
  });
  expect(res.status(), await res.text()).toBe(201);
  const review = (await res.json()) as { id: string; status: string };
  expect(review.status).toBe("pending");
  return review.id;
}

test("a page on another origin cannot frame an item: the browser refuses to show it, so no keypress reaches it", async ({ browser, request, baseURL }) => {
  const title = `Framed refund ${Date.now().toString(36)}`;
  const id = await pendingRefund(request, title);
  const reviewer = await signedInPage(browser, demo.reviewer);
  // The same page opened directly is the item, so what the frame lacks is the policy's doing.
  await reviewer.goto(`/queue/${id}`);
  await expect(reviewer.getByRole("heading", { level: 1, name: title })).toBeVisible();

  const itemUrl = new URL(`/queue/${id}`, baseURL).href;
  // Same host, another port: same-site, so the reviewer's session cookie goes along with the frame's request.
  const attacker = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Win a prize</title></head><body><p>Press a to win</p><iframe id="app" title="prize" src="${itemUrl}" width="1200" height="800"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  try {
    const answered = reviewer.waitForResponse(itemUrl);
    await reviewer.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    // The app answered the framed request, and the browser put its error page in the frame instead of the item...
    const response = await answered;
    const frame = await (await reviewer.locator("#app").elementHandle())!.contentFrame();
    await expect.poll(() => frame?.url()).toBe("chrome-error://chromewebdata/");
    await expect(frame!.getByRole("heading", { name: title })).toHaveCount(0);
    // ...because the answer forbids framing it.
    expect(response.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    // The attack's keypress ("a" approves) lands on the browser's error page.
    await reviewer.locator("#app").click();
    await reviewer.keyboard.press("a");
  } finally {
    await new Promise((resolve) => attacker.close(resolve));
  }
  const after = await request.get(`/api/v1/reviews/${id}`, { headers: agentAuth });
  expect(((await after.json()) as { status: string }).status).toBe("pending");
});

test("signed-out pages, the sign-in redirect and a missing page send the headers with a fresh nonce; API responses and static files get theirs", async ({ browser, request }) => {
  const page = await browser.newPage();
  const problems = await watchPolicies(page);
  await visit(page, "/login", "Sign in to Countersign");
  await visit(page, "/signup", "Create your organization");
  await visit(page, "/docs/api", "Countersign Agent API");
  expect(problems).toEqual([]);

  // A new nonce on every request.
  const first = await expectPageHeaders(await request.get("/login"), "/login");
  const second = await expectPageHeaders(await request.get("/login"), "/login again");
  expect(first).not.toBe(second);
  // A client can't choose the nonce by sending its own policy or x-nonce.
  const chosen = await request.get("/login", { headers: { "content-security-policy": "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='", "x-nonce": "AAAAAAAAAAAAAAAAAAAAAA==" } });
  expect(await expectPageHeaders(chosen, "/login with a chosen nonce")).not.toBe("AAAAAAAAAAAAAAAAAAAAAA==");

  const redirect = await request.get("/queue", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectCommonHeaders(redirect.headers(), "redirect to /login");
  expect(redirect.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  const missing = await request.get("/no-such-page");
  expect(missing.status()).toBe(404);
  await expectPageHeaders(missing, "/no-such-page");

  // Not pages: nothing in them may run or be framed.
  for (const path of ["/api/health", "/api/v1/openapi.json", "/api/v1/no-such-endpoint", "/api/auth/session"]) {
    const res = await request.get(path);
    expectCommonHeaders(res.headers(), path);
    expect(res.headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  }
  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await (await request.get("/login")).text())?.[1];
  expect(script).toBeTruthy();
  expectCommonHeaders((await request.get(script!)).headers(), script!);

  // Behind a TLS-terminating proxy, HSTS comes along on pages and everything else.
  for (const path of ["/login", "/api/health", script!]) {
    const res = await request.get(path, { headers: { "x-forwarded-proto": "https" } });
    expect(res.headers()["strict-transport-security"], path).toBe("max-age=63072000; includeSubDomains");
  }
});

const signedInPages: Array<{ as: string; pages: Array<[path: string, heading: string | RegExp]> }> = [
  { as: demo.reviewer, pages: [["/queue", "Queue"], ["/queue/mine", "My decisions"], ["/queue/{item}", /Headers refund/]] },
  { as: demo.manager, pages: [["/analytics", "Analytics"], ["/analytics/route.adjust", "Adjust delivery route"]] },
  {
    as: demo.admin,
    pages: [
      ["/admin", "Admin"],
      ["/admin/task-types", "Task types"],
      ["/admin/task-types/refund.issue", "Issue refund"],
      ["/admin/members", "Members"],
      ["/admin/audit", "Audit log"],
      ["/admin/settings", "Settings"],
      ["/admin/webhooks", "Webhooks"],
      ["/admin/api-keys", "API keys"],
      ["/admin/workspaces", "Workspaces"],
    ],
  },
];

for (const { as, pages } of signedInPages) {
  test(`${as.split("@")[0]}'s pages send the headers, with the nonce on every script, and nothing breaks the policy`, async ({ browser, request }) => {
    const page = await signedInPage(browser, as);
    const problems = await watchPolicies(page);
    for (const [path, heading] of pages) {
      const url = path.includes("{item}") ? path.replace("{item}", await pendingRefund(request, `Headers refund ${Date.now().toString(36)}`)) : path;
      await visit(page, url, heading);
    }
    expect(problems).toEqual([]);
  });
}

test("under the policy the theme toggle, the charts, the account menu and the docs work with no violation", async ({ browser }) => {
  const docs = await browser.newPage();
  const problems = await watchPolicies(docs);
  await visit(docs, "/docs/api", "Countersign Agent API");
  const html = docs.locator("html");
  // light → dark → system: the theme script and the style that pauses transitions run each time.
  await docs.getByRole("button", { name: /Switch to light theme/ }).click();
  await expect(html).toHaveClass(/\blight\b/);
  await docs.getByRole("button", { name: /Switch to dark theme/ }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  // A reload runs the inline theme script with the stored choice before first paint.
  await docs.reload();
  await expect(html).toHaveClass(/\bdark\b/);
  await docs.getByRole("button", { name: /Switch to system theme/ }).click();
  await expect(docs.getByRole("button", { name: /Theme: System/ })).toBeVisible();
  expect(problems).toEqual([]);
  // What an injected inline handler (the usual XSS) would run is refused, and this watch sees it.
  await docs.evaluate(() => document.body.insertAdjacentHTML("beforeend", `<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" onload="document.body.dataset.injected = 'ran'">`));
  await expect.poll(() => problems.some((p) => p.includes("script-src-attr blocked inline"))).toBe(true);
  expect(await docs.evaluate(() => document.body.dataset.injected)).toBeUndefined();
  problems.length = 0;

  const manager = await signedInPage(browser, demo.manager);
  await watchPolicies(manager, problems);
  await visit(manager, "/analytics/route.adjust", "Adjust delivery route");
  for (const chart of ["chart-acceptance", "chart-outcomes", "chart-calibration", "chart-latency"]) {
    await expect(manager.getByTestId(chart).locator("svg path").first()).toBeAttached();
  }
  // A chart's tooltip is positioned with inline styles.
  await manager.getByTestId("chart-outcomes").locator("svg").first().hover();
  await manager.getByRole("button", { name: /Account menu for/ }).click();
  await expect(manager.getByRole("menu")).toBeVisible();
  await manager.keyboard.press("Escape");
  expect(problems).toEqual([]);
});
