import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type DbHandle } from "@/db/client";
import { isDatabaseUnavailable } from "@/db/errors";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import * as taskTypesRoute from "@/app/api/v1/task-types/route";

// A database that takes connections and never answers: what a pool sees when PostgreSQL restarts
// under it and its reconnects hang until the driver's 30 s connect timeout.
let blackHole: net.Server;
let silent: DbHandle;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  blackHole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  const { port } = blackHole.address() as net.AddressInfo;
  silent = openDb({ url: `postgres://postgres@127.0.0.1:${port}/countersign`, max: 2 });
});

afterAll(async () => {
  const closed = new Promise((resolve) => blackHole.close(resolve));
  for (const socket of sockets) socket.destroy();
  await silent.close().catch(() => {});
  for (const socket of sockets) socket.destroy();
  await closed;
});

describe("telling a database that is down from one that is slow", () => {
  it("a probe answers when the database does", async () => {
    const { handle, dispose } = await createTestDb({ migrate: false });
    try {
      await expect(handle.probe(2000)).resolves.toBeUndefined();
    } finally {
      await dispose();
    }
  });

  it("a probe of a database that doesn't answer fails within its timeout, as an outage", async () => {
    const started = Date.now();
    const error = await silent.probe(500).then(
      () => null,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it("an API request held by a silent database is answered 503 with Retry-After in seconds, not after the connect timeout", async () => {
    installAsAppDb(silent);
    const started = Date.now();
    const res = await (taskTypesRoute.GET as (request: Request, context: { params: Promise<never> }) => Promise<Response>)(
      new Request("http://countersign.test/api/v1/task-types", { headers: { authorization: `Bearer cs_live_${"a".repeat(40)}` } }),
      { params: Promise.resolve(undefined as never) },
    );
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // 3 s before the probe, up to 2 s for it to fail, 3 s of grace once the database is known to be down.
    expect(elapsed).toBeGreaterThan(6000);
    expect(elapsed).toBeLessThan(15_000);
  }, 30_000);
});
