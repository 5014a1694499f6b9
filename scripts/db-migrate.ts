// `npm run db:migrate` — applies the committed migrations to the PostgreSQL database in DATABASE_URL.
import { openDb } from "@/db/client";
import { errorLine } from "./error-line";
import { migrateDb } from "@/db/migrate";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. The embedded default (no DATABASE_URL) migrates itself on `npm start`.");
    return 1;
  }
  // One connection, so the migrator's session advisory lock holds across its statements.
  const handle = openDb({ url, max: 1 });
  try {
    await migrateDb(handle);
    console.log("Migrations applied.");
    return 0;
  } catch (e) {
    console.error(`Migration failed: ${errorLine(e)}`);
    return 1;
  } finally {
    await handle.close();
  }
}

process.exitCode = await main();
