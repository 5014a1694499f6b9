// `npm test`: the whole suite, in order, stopping at the first failing stage.
// Type check → lint → unit → integration → production build → Playwright e2e in Chromium.
import { spawnSync } from "node:child_process";

const stages = [
  ["type check", "node_modules/.bin/tsc", ["--noEmit"]],
  ["lint", "node_modules/.bin/eslint", [".", "--max-warnings=0"]],
  ["unit tests", "node_modules/.bin/vitest", ["run", "--project", "unit"]],
  ["integration tests", "node_modules/.bin/vitest", ["run", "--project", "integration"]],
  ["chromium check", "node", ["scripts/check-chromium.mjs"]],
  ["build", "node_modules/.bin/next", ["build"]],
  ["e2e tests", "node_modules/.bin/playwright", ["test"]],
];

const db = process.env.TEST_DATABASE_URL ? "PostgreSQL (TEST_DATABASE_URL)" : "embedded PGlite";
console.log(`npm test — database: ${db}`);
for (const [name, cmd, args] of stages) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed after ${seconds}s`);
    process.exit(r.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds}s)`);
}
console.log("\nAll stages passed.");
