// `npm run db:generate-history -- --decisions 1000000 [--task-types 20] [--reviewers 8] [--days 90]` —
// adds an organization with a large synthetic history to the PostgreSQL database in DATABASE_URL, for
// benchmarks (e2e/load/analytics-bench.mjs). Its manager signs in with the demo password.
import { parseArgs } from "node:util";
import { openDb } from "@/db/client";
import { generateHistory } from "@/db/history";
import { DEMO_PASSWORD } from "@/db/seed";
import { hashPassword } from "@/lib/security/password";
import { errorLine } from "./error-line";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { decisions: { type: "string", default: "1000000" }, "task-types": { type: "string", default: "20" }, reviewers: { type: "string", default: "8" }, days: { type: "string", default: "90" } } });
  const whole = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: point it at the PostgreSQL database to fill.");
    return 1;
  }
  const handle = openDb({ url, max: 1 });
  try {
    const options = { decisions: whole("decisions", 1, 50_000_000), taskTypes: whole("task-types", 1, 500), reviewers: whole("reviewers", 1, 200), days: whole("days", 1, 3650) };
    const started = Date.now();
    const result = await generateHistory(handle.db, {
      ...options,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      onProgress: (done) => process.stdout.write(`\r  ${done.toLocaleString("en-US")} / ${options.decisions.toLocaleString("en-US")} decisions`),
    });
    console.log(`\nGenerated ${result.decisions.toLocaleString("en-US")} decisions over ${options.days} days for ${options.taskTypes} task types in ${((Date.now() - started) / 1000).toFixed(1)} s (${result.rollupRows.toLocaleString("en-US")} rollup rows).`);
    console.log(`Organization ${result.organizationId}; sign in as ${result.managerEmail} (password ${DEMO_PASSWORD}).`);
    return 0;
  } catch (e) {
    console.error(errorLine(e));
    return 1;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main();
