// `npm run db:seed` — creates the demo organization in the PostgreSQL database in DATABASE_URL.
import { count, eq } from "drizzle-orm";
import { openDb } from "@/db/client";
import { decisions, memberships, reviews, taskTypes } from "@/db/schema";
import { errorLine } from "./error-line";
import { DEMO_API_KEY, DEMO_API_KEY_NAME, DEMO_ORG_NAME, DEMO_PASSWORD, DEMO_USERS, seedDemo } from "@/db/seed";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. The embedded default (no DATABASE_URL) seeds itself on first `npm start`.");
    return 1;
  }
  const forced = process.argv.includes("--force") || process.env.SEED_FORCE === "1";
  if (process.env.NODE_ENV === "production" && !forced) {
    console.error("Refusing to seed demo data with NODE_ENV=production (it creates users with a published password). Pass --force or set SEED_FORCE=1 to do it anyway.");
    return 1;
  }
  const handle = openDb({ url, max: 1 });
  try {
    const { created, organizationId } = await seedDemo(handle.db);
    if (!created) {
      console.log("Demo organization already present; nothing changed.");
      return 0;
    }
    const tally = async (table: typeof reviews | typeof decisions | typeof memberships | typeof taskTypes) =>
      (await handle.db.select({ n: count() }).from(table).where(eq(table.organizationId, organizationId)))[0].n;
    const [members, types, reviewCount, decisionCount] = [await tally(memberships), await tally(taskTypes), await tally(reviews), await tally(decisions)];
    console.log(`Seeded demo organization "${DEMO_ORG_NAME}" (${members} members, ${types} task types, ${reviewCount} reviews, ${decisionCount} decisions).`);
    console.log(`Demo logins (password: ${DEMO_PASSWORD}) — demo data only:`);
    for (const user of DEMO_USERS.slice(0, 4)) console.log(`  ${user.email.padEnd(22)} ${user.role}`);
    // A key chosen through DEMO_API_KEY is the operator's secret, so only the published demo value is printed.
    const key = process.env.DEMO_API_KEY ? "$DEMO_API_KEY" : DEMO_API_KEY;
    console.log(`Demo API key ("${DEMO_API_KEY_NAME}", reviews:write + reviews:read) — demo data only:`);
    console.log(`  curl -H "Authorization: Bearer ${key}" <app URL>/api/v1/task-types`);
    return 0;
  } catch (e) {
    const line = errorLine(e);
    console.error(`Seeding failed: ${line}${/relation ".*" does not exist/.test(line) ? " (run `npm run db:migrate` first)" : ""}`);
    return 1;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main();
