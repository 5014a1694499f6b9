import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDb, type DbHandle } from "@/db/client";
import { migrateDb } from "@/db/migrate";

/**
 * A fresh, empty database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped again by `dispose`).
 */
export async function createTestDb(options: { migrate?: boolean } = {}): Promise<{ handle: DbHandle; dispose: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let handle: DbHandle;
  let dropDatabase = async () => {};
  if (serverUrl) {
    const name = `cs_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    handle = openDb({ url: url.toString(), max: 1 });
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    handle = openDb({ dataDir: "memory://" });
  }
  const dispose = async () => {
    await handle.close();
    await dropDatabase();
  };
  if (options.migrate !== false) {
    try {
      await migrateDb(handle);
    } catch (e) {
      await dispose();
      throw e;
    }
  }
  return { handle, dispose };
}

/** Makes a test database the one the app's route handlers use (`getDb()` / `dbHandle()`). */
export function installAsAppDb(handle: DbHandle): void {
  (globalThis as unknown as { __countersignDb?: DbHandle }).__countersignDb = handle;
}
