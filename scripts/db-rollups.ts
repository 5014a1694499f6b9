// `npm run db:rollups` — checks the daily rollups (per task type and per reviewer) against a recount of reviews and decisions (all
// organizations, or one with `-- --organization <id>`) and reports every difference; `-- --rebuild` replaces them with the recount.
import { parseArgs } from "node:util";
import { openDb } from "@/db/client";
import { rebuildRollups, rollupDifferences } from "@/db/queries/rollups";
import { isUuid } from "@/lib/data/uuid";
import { errorLine } from "./error-line";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set: point it at the PostgreSQL database to check.");
    return 1;
  }
  let values: { rebuild?: boolean; organization?: string };
  try {
    ({ values } = parseArgs({ options: { rebuild: { type: "boolean" }, organization: { type: "string" } } }));
  } catch (e) {
    console.error(`${(e as Error).message}. Options: --organization <id>, --rebuild.`);
    return 1;
  }
  const organizationId = values.organization ?? null;
  if (organizationId !== null && !isUuid(organizationId)) {
    console.error(`--organization takes an organization's id (a uuid), not "${organizationId}".`);
    return 1;
  }
  const handle = openDb({ url, max: 1 });
  try {
    if (values.rebuild) {
      const rows = await rebuildRollups(handle.db, organizationId);
      console.log(`Rebuilt ${rows} rollup rows from reviews and decisions.`);
    }
    const differences = await rollupDifferences(handle.db, organizationId);
    if (differences.length === 0) {
      console.log("Rollups match a recount of reviews and decisions.");
      return 0;
    }
    console.log(`${differences.length} rollup row(s) differ from a recount:`);
    for (const d of differences.slice(0, 50)) {
      const key = Object.entries(d.key).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(`  ${d.table} ${key}: ${d.columns.join(", ")}`);
    }
    if (differences.length > 50) console.log(`  … and ${differences.length - 50} more`);
    console.log("Run `npm run db:rollups -- --rebuild` to replace them with the recount.");
    return 2;
  } catch (e) {
    console.error(errorLine(e));
    return 1;
  } finally {
    await handle.close();
  }
}

process.exit(await main());
