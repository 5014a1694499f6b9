import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { AppError } from "@/lib/errors";
import { submitReviews } from "@/lib/submissions/submit";
import type { LookupAddresses } from "@/lib/webhooks/ssrf";
import { createTestDb } from "@/test/test-db";
import { createTaskType, createWorld, type World } from "@/test/queue/world";

/**
 * A submission checks each callback URL by resolving its host. A batch of 100 names must not turn
 * into 100 lookups at once (they share libuv's few threads with the rest of the server), and a name
 * server that never answers must not hold the request: after 3 s the callback is refused.
 */

process.env.WEBHOOK_ALLOWLIST = "";

let db: Db;
let dispose: () => Promise<void>;
let world: World;

beforeAll(async () => {
  const t = await createTestDb();
  db = t.handle.db;
  dispose = t.dispose;
  world = await createWorld(db, "Callback lookups", ["Ops"]);
  await createTaskType(db, world, { key: "note.tag", space: "Ops" });
});
afterAll(async () => dispose?.());

const item = (callbackUrl: string) => ({ body: { taskType: "note.tag", action: { tag: "x" }, callbackUrl } });

describe("callback URL checks at submission", () => {
  it("resolves a batch of 100 callback hosts at most 8 at a time, each once", async () => {
    let inFlight = 0;
    let most = 0;
    const asked: string[] = [];
    const lookup: LookupAddresses = async (host) => {
      asked.push(host);
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      return [{ address: "93.184.216.34", family: 4 }];
    };
    const entries = Array.from({ length: 100 }, (_, i) => item(`https://cb-${i}.countersign.test/hook`));
    const outcomes = await submitReviews(db, { scope: world.agent }, entries, { lookup });
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(new Set(asked).size).toBe(100);
    expect(asked).toHaveLength(100);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
  });

  it("stops waiting for a lookup that doesn't answer and refuses that callback, fail closed", async () => {
    const lookup: LookupAddresses = (host) =>
      host === "silent.countersign.test" ? new Promise(() => {}) : Promise.resolve([{ address: "93.184.216.34", family: 4 }]);
    const started = Date.now();
    const [hung, fine] = await submitReviews(db, { scope: world.agent }, [item("https://silent.countersign.test/hook"), item("https://fine.countersign.test/hook")], { lookup });
    expect(Date.now() - started).toBeLessThan(4500);
    expect(fine.ok).toBe(true);
    expect(hung.ok).toBe(false);
    const error = !hung.ok ? (hung.error as AppError) : null;
    expect(error).toBeInstanceOf(AppError);
    expect(error?.fieldErrors?.callbackUrl?.[0]).toMatch(/couldn't be resolved right now/);
  });

  it("refuses a callback whose name resolves to a private address", async () => {
    const lookup: LookupAddresses = async () => [{ address: "10.0.0.7", family: 4 }];
    const [outcome] = await submitReviews(db, { scope: world.agent }, [item("https://inside.countersign.test/hook")], { lookup });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect((outcome.error as AppError).fieldErrors?.callbackUrl?.[0]).toMatch(/non-public/);
  });
});
