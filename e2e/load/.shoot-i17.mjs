import { chromium } from "@playwright/test";
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(`${base}/login`);
await page.getByLabel("Email").fill("admin@acme.test");
await page.getByLabel("Password").fill("countersign");
await page.getByRole("button", { name: /sign in/i }).click();
await page.waitForURL((u) => !u.pathname.startsWith("/login"));
const shots = [
  ["admin", "/admin"],
  ["analytics", "/analytics"],
  ["ticket-tag", "/analytics/ticket.tag"],
  ["delivery-reschedule", "/analytics/delivery.reschedule"],
  ["route-adjust-7", "/analytics/route.adjust?days=7"],
];
for (const [name, path] of shots) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `/tmp/shots-i17-readiness/${name}.png`, fullPage: true });
}
await page.goto(`${base}/analytics/ticket.tag`);
await page.getByRole("button", { name: "Step to flag on exception" }).click();
await page.getByRole("dialog").waitFor();
await page.screenshot({ path: `/tmp/shots-i17-readiness/ticket-tag-dialog.png` });
await browser.close();
