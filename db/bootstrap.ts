import "server-only";
import { dbHandle } from "./client";
import { migrateDb } from "./migrate";
import { seedDemo } from "./seed";

/**
 * The embedded default (no DATABASE_URL): migrate and seed the demo organization on first start, so a
 * fresh clone runs with no database server. PostgreSQL deployments migrate and seed explicitly.
 */
export async function bootstrapEmbedded(): Promise<{ seeded: boolean }> {
  const handle = dbHandle();
  await migrateDb(handle);
  const { created } = await seedDemo(handle.db);
  return { seeded: created };
}
