import { defineConfig, devices } from "@playwright/test";
import { chromiumPath } from "./scripts/chromium-path.mjs";

const port = process.env.E2E_PORT ?? "3100";
// E2E_BASE_URL points the suite at an app that is already running (a dev server while working on a
// spec); without it the suite builds and starts its own on a fresh database, as CI does.
const existing = process.env.E2E_BASE_URL;
const baseURL = existing ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  testIgnore: ["load/**"],
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"]],
  // Generous: the long flows (sign up, invite, join, sign in again) run on a busy 2-core machine beside the app.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromiumPath(),
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
  webServer: existing
    ? undefined
    : {
        command: "node scripts/e2e-server.mjs",
        url: `${baseURL}/login`,
        timeout: 600_000,
        reuseExistingServer: false,
        stdout: "pipe",
        stderr: "pipe",
      },
});
