import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq, inArray, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDb } from "@/test/test-db";
import { addMember, createTenant, expectAppError, linkAndVerifyAudit, queryRows, type TestOrganization } from "@/test/fixtures";
import { decryptSecret, encryptSecret, newWebhookSecret } from "@/lib/security/crypto";
import { deliverDueWebhooks, type DeliverOptions } from "@/lib/webhooks/deliver";
import { MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS } from "@/lib/webhooks/schedule";
import type { LookupAddresses } from "@/lib/webhooks/ssrf";
import { openDb, type Db, type DbHandle } from "../client";
import { organizations, webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookEvent } from "../schema";
import {
  claimDueDeliveries,
  enqueueWebhook,
  listDeliveries,
  listDeliveryAttempts,
  recordDeliveryAttempt,
  revealOrganizationWebhookSecret,
  rotateOrganizationWebhookSecret,
  type StoredWebhookPayload,
} from "./webhooks";
import { listAuditEntries } from "./audit";
import {
  deleteWebhookEndpoint,
  disableFailingEndpoints,
  getWebhookEndpoint,
  listEndpointsDisabledForFailing,
  listWebhookEndpoints,
  retryWebhookDelivery,
  rotateWebhookEndpointSecret,
  sendWebhookEndpointTest,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "./webhook-endpoints";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";

process.env.AUTH_SECRET ??= "integration-test-secret-0123456789abcdef0123";

type Mode = "ok" | "500" | "redirect" | "hang";
type Received = { path: string; headers: IncomingHttpHeaders; body: string; verified: boolean };

/** A real HTTP receiver that verifies each request with the standardwebhooks package. */
class Receiver {
  server: Server;
  received: Received[] = [];
  /** Answers for the next requests, in order; afterwards `fallback`. */
  script: Mode[] = [];
  fallback: Mode = "ok";
  secrets: string[] = [];
  delayMs = 0;
  redirectTo = "";

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = req.headers as Record<string, string>;
        const verified = this.secrets.some((secret) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
        this.received.push({ path: req.url ?? "", headers: req.headers, body, verified });
        const mode = this.script.shift() ?? this.fallback;
        if (mode === "hang") return;
        setTimeout(() => {
          if (mode === "500") res.writeHead(500).end("boom");
          else if (mode === "redirect") res.writeHead(302, { location: this.redirectTo }).end();
          else res.writeHead(200, { "content-type": "text/plain" }).end("thanks");
        }, this.delayMs);
      });
    });
  }

  async start(host = "127.0.0.1", port = 0): Promise<this> {
    this.server.listen(port, host);
    await once(this.server, "listening");
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get hostPort(): string {
    return `${(this.server.address() as AddressInfo).address}:${this.port}`;
  }

  url(path = "/hook"): string {
    return `http://${this.hostPort}${path}`;
  }

  reset() {
    this.received = [];
    this.script = [];
    this.fallback = "ok";
    this.delayMs = 0;
  }

  async stop() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

let handle: DbHandle;
let db: Db;
let dispose: () => Promise<void>;
let receiver: Receiver;
let trap: Receiver;
let a: TestOrganization;
let b: TestOrganization;
let secretA: string;

const options = (extra: Partial<DeliverOptions> = {}): DeliverOptions => ({ allowlist: [receiver.hostPort, trap.hostPort], timeoutMs: 2000, ...extra });

async function enqueue(org: TestOrganization, params: { callbackUrl?: string | null; event?: WebhookEvent; reviewId?: string; data?: Record<string, unknown> } = {}) {
  return db.transaction((tx) =>
    enqueueWebhook(tx, {
      organizationId: org.organizationId,
      event: params.event ?? "review.decided",
      payload: params.data ?? { review: { id: params.reviewId ?? "r-1", outcome: "approved" } },
      callbackUrl: params.callbackUrl,
      reviewId: params.reviewId,
    }),
  );
}

async function deliveryByMessage(messageId: string) {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.messageId, messageId));
  return row;
}

async function attemptsOf(deliveryId: string) {
  return db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, deliveryId)).orderBy(webhookAttempts.attemptedAt);
}

beforeAll(async () => {
  const test = await createTestDb();
  handle = test.handle;
  db = handle.db;
  dispose = test.dispose;
  receiver = await new Receiver().start();
  trap = await new Receiver().start();
  a = await createTenant(db, "Webhooks A");
  b = await createTenant(db, "Webhooks B");
  secretA = newWebhookSecret();
  await db.update(organizations).set({ webhookSecretEncrypted: encryptSecret(secretA) }).where(eq(organizations.id, a.organizationId));
  await db.update(organizations).set({ webhookSecretEncrypted: encryptSecret(newWebhookSecret()) }).where(eq(organizations.id, b.organizationId));
  receiver.secrets = [secretA];
  trap.redirectTo = "";
  receiver.redirectTo = trap.url("/trap");
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

afterEach(async () => {
  // Every test starts with an empty queue of due work: a pass claims any organization's rows.
  await db.update(webhookDeliveries).set({ status: "failed" }).where(eq(webhookDeliveries.status, "pending"));
  receiver.reset();
  trap.reset();
  receiver.secrets = [secretA];
});

afterAll(async () => {
  vi.restoreAllMocks();
  await receiver?.stop();
  await trap?.stop();
  await dispose?.();
});

describe("enqueueWebhook", () => {
  it("writes one row for the callback and one per enabled, subscribed endpoint, each with its own message id", async () => {
    const org = await createTenant(db, "Endpoints");
    const sealed = encryptSecret(newWebhookSecret());
    const [subscribed, other, disabled] = await db
      .insert(webhookEndpoints)
      .values([
        { organizationId: org.organizationId, url: "https://hooks.example.com/a", events: ["review.decided", "review.expired"], secretEncrypted: sealed },
        { organizationId: org.organizationId, url: "https://hooks.example.com/b", events: ["review.created"], secretEncrypted: sealed },
        { organizationId: org.organizationId, url: "https://hooks.example.com/c", events: ["review.decided"], secretEncrypted: sealed, disabledAt: new Date() },
      ])
      .returning({ id: webhookEndpoints.id });
    // Another tenant's endpoint never receives this tenant's events.
    await db.insert(webhookEndpoints).values({ organizationId: b.organizationId, url: "https://b.example.com/", events: ["review.decided"], secretEncrypted: sealed });

    const ids = await enqueue(org, { callbackUrl: "https://agent.example.com/cb", reviewId: "11111111-1111-4111-8111-111111111111" });
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id).toMatch(/^msg_[A-Za-z0-9_-]{20,}$/);

    const rows = await db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.messageId, ids));
    expect(rows.map((r) => r.url).sort()).toEqual(["https://agent.example.com/cb", "https://hooks.example.com/a"]);
    expect(rows.find((r) => r.url.startsWith("https://hooks"))?.endpointId).toBe(subscribed.id);
    expect(rows.find((r) => r.url.startsWith("https://agent"))?.endpointId).toBeNull();
    expect([other.id, disabled.id]).not.toContain(rows[0].endpointId);
    for (const row of rows) {
      expect(row).toMatchObject({ organizationId: org.organizationId, event: "review.decided", status: "pending", attempts: 0 });
      const payload = row.payload as StoredWebhookPayload;
      expect(payload.reviewId).toBe("11111111-1111-4111-8111-111111111111");
      const body = JSON.parse(payload.body);
      expect(Object.keys(body)).toEqual(["type", "timestamp", "data"]);
      expect(body).toMatchObject({ type: "review.decided", data: { review: { outcome: "approved" } } });
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    }
    expect(await enqueue(org, { event: "task_type.mode_changed" })).toEqual([]);
  });

  it("writes nothing when the transaction rolls back", async () => {
    let messageId = "";
    await expect(
      db.transaction(async (tx) => {
        [messageId] = await enqueueWebhook(tx, { organizationId: a.organizationId, event: "review.expired", payload: {}, callbackUrl: receiver.url() });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(messageId).toMatch(/^msg_/);
    expect(await deliveryByMessage(messageId)).toBeUndefined();
  });
});

describe("deliverDueWebhooks", () => {
  it("delivers the stored body with a signature the standardwebhooks package verifies", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url("/cb?x=1") });
    expect(await deliverDueWebhooks(db, options())).toEqual({ attempted: 1, delivered: 1, failed: 0, retrying: 0 });

    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.verified).toBe(true);
    expect(request.path).toBe("/cb?x=1");
    expect(request.headers).toMatchObject({ "content-type": "application/json", "user-agent": "Countersign-Webhooks/1", "webhook-id": messageId });
    expect(Math.abs(Number(request.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    const delivery = await deliveryByMessage(messageId);
    expect(request.body).toBe((delivery.payload as StoredWebhookPayload).body);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 1, lastResponseStatus: 200, lastError: null });
    expect(delivery.deliveredAt).toBeInstanceOf(Date);
    const attempts = await attemptsOf(delivery.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ responseStatus: 200, error: null, organizationId: a.organizationId });
    expect(attempts[0].durationMs).toBeGreaterThanOrEqual(0);

    expect(await deliverDueWebhooks(db, options())).toEqual({ attempted: 0, delivered: 0, failed: 0, retrying: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it("retries a 500 after the first backoff step with the same webhook-id and the same bytes", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    receiver.script = ["500"];
    const t0 = new Date();
    expect(await deliverDueWebhooks(db, options({ now: t0 }))).toEqual({ attempted: 1, delivered: 0, failed: 0, retrying: 1 });
    let delivery = await deliveryByMessage(messageId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastResponseStatus: 500, lastError: "HTTP 500" });
    expect(delivery.nextAttemptAt.getTime() - t0.getTime()).toBe(RETRY_DELAYS_SECONDS[0] * 1000);

    // Not due yet.
    expect((await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 4000) }))).attempted).toBe(0);
    expect(await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 5000) }))).toEqual({ attempted: 1, delivered: 1, failed: 0, retrying: 0 });

    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([messageId, messageId]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(receiver.received[1].body).toBe(receiver.received[0].body);
    delivery = await deliveryByMessage(messageId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2, lastResponseStatus: 200, lastError: null });
    expect((await attemptsOf(delivery.id)).map((x) => x.responseStatus)).toEqual([500, 200]);
    expect((await listDeliveryAttempts(db, a.admin, { deliveryId: delivery.id })).map((x) => x.responseStatus)).toEqual([500, 200]);
  });

  it("treats a 302 as a failure and never follows it", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    receiver.fallback = "redirect";
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
    expect(receiver.received).toHaveLength(1);
    expect(trap.received).toHaveLength(0);
    const delivery = await deliveryByMessage(messageId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastResponseStatus: 302 });
    expect(delivery.lastError).toMatch(/Redirect \(302\) not followed/);
  });

  it("gives up on a receiver that doesn't answer within the timeout", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    receiver.fallback = "hang";
    const started = Date.now();
    expect(await deliverDueWebhooks(db, options({ timeoutMs: 300 }))).toMatchObject({ attempted: 1, retrying: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
    const delivery = await deliveryByMessage(messageId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1, lastResponseStatus: null });
    expect(delivery.lastError).toMatch(/No response within 0.3 s/);
    const [attempt] = await attemptsOf(delivery.id);
    expect(attempt.durationMs).toBeGreaterThanOrEqual(250);
  });

  it("refuses a loopback target that isn't allow-listed, at send time, without contacting it", async () => {
    // Accepted earlier (e.g. the allow-list changed since): literal loopback can never become public.
    const [literal] = await enqueue(a, { callbackUrl: receiver.url() });
    // A name that resolves to loopback: refused now, retried later (the DNS answer may change).
    const [named] = await enqueue(a, { callbackUrl: `http://hooks.example.test:${receiver.hostPort.split(":")[1]}/hook` });
    const lookup: LookupAddresses = async () => [{ address: "127.0.0.1", family: 4 }];
    expect(await deliverDueWebhooks(db, { allowlist: [], lookup, timeoutMs: 2000 })).toEqual({ attempted: 2, delivered: 0, failed: 1, retrying: 1 });
    expect(receiver.received).toHaveLength(0);

    const refusedLiteral = await deliveryByMessage(literal);
    expect(refusedLiteral).toMatchObject({ status: "failed", attempts: 1, lastResponseStatus: null });
    expect(refusedLiteral.lastError).toMatch(/^Refused: .*non-public/);
    const refusedName = await deliveryByMessage(named);
    expect(refusedName).toMatchObject({ status: "pending", attempts: 1 });
    expect(refusedName.lastError).toMatch(/^Refused: /);
    expect((await attemptsOf(refusedLiteral.id))[0].error).toMatch(/^Refused: /);
  });

  it("connects only to the address its one lookup checked, however the name answers later (DNS rebinding)", async () => {
    // The receiver listens on 127.0.0.1; the trap, on the same port of 127.0.0.2, is where a second
    // resolution of the name would lead. Both names are allow-listed, so only pinning keeps the trap
    // empty; neither exists in real DNS, so the request can only arrive through the checked answer.
    const rebound = await new Receiver().start("127.0.0.2", receiver.port);
    try {
      const [callbackName, endpointName] = ["rebind-callback.countersign.test", "rebind-endpoint.countersign.test"];
      const calls = new Map<string, number>();
      const rebinding: LookupAddresses = async (host) => {
        calls.set(host, (calls.get(host) ?? 0) + 1);
        return [{ address: calls.get(host) === 1 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
      };
      const allowlist = [`${callbackName}:${receiver.port}`, `${endpointName}:${receiver.port}`];
      const org = await createTenant(db, "Rebinding");
      const { id: endpointId } = await createWebhookEndpoint(
        db,
        org.admin,
        { url: `http://${endpointName}:${receiver.port}/endpoint`, description: "", events: ["review.decided"] },
        { allowlist, lookup: async () => [{ address: "127.0.0.1", family: 4 }] },
      );
      await sendWebhookEndpointTest(db, org.admin, { id: endpointId });
      const [callback] = await enqueue(a, { callbackUrl: `http://${callbackName}:${receiver.port}/cb` });

      expect(await deliverDueWebhooks(db, options({ allowlist, lookup: rebinding }))).toEqual({ attempted: 2, delivered: 2, failed: 0, retrying: 0 });
      expect(Object.fromEntries(calls)).toEqual({ [callbackName]: 1, [endpointName]: 1 });
      expect(rebound.received).toHaveLength(0);
      expect(receiver.received.map((r) => [r.path, r.headers.host]).sort()).toEqual([
        ["/cb", `${callbackName}:${receiver.port}`],
        ["/endpoint", `${endpointName}:${receiver.port}`],
      ]);
      expect(receiver.received.find((r) => r.path === "/cb")?.verified).toBe(true);
      expect(await deliveryByMessage(callback)).toMatchObject({ status: "delivered", lastResponseStatus: 200 });
    } finally {
      await rebound.stop();
    }
  });

  it("logs failures in fixed words that reveal neither the address nor what the receiver said", async () => {
    const closed = await new Receiver().start();
    const closedHostPort = closed.hostPort;
    await closed.stop();
    const [refused] = await enqueue(a, { callbackUrl: `http://${closedHostPort}/hook` });
    const [failing] = await enqueue(a, { callbackUrl: receiver.url("/500") });
    receiver.fallback = "500";
    expect(await deliverDueWebhooks(db, options({ allowlist: [receiver.hostPort, closedHostPort] }))).toMatchObject({ attempted: 2, retrying: 2 });

    const refusedRow = await deliveryByMessage(refused);
    expect(refusedRow).toMatchObject({ lastResponseStatus: null, lastError: "Connection refused." });
    expect((await attemptsOf(refusedRow.id))[0].error).toBe("Connection refused.");
    // The receiver's body ("boom") is never read, let alone stored.
    expect(await deliveryByMessage(failing)).toMatchObject({ lastResponseStatus: 500, lastError: "HTTP 500" });
  });

  it("signs endpoint deliveries with the endpoint's secret and, during a rotation, its previous one", async () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    await db.insert(webhookEndpoints).values({
      organizationId: b.organizationId,
      url: receiver.url("/endpoint"),
      events: ["review.created"],
      secretEncrypted: encryptSecret(current),
      previousSecretEncrypted: encryptSecret(previous),
      previousSecretExpiresAt: new Date(Date.now() + 3600_000),
    });
    await enqueue(b, { event: "review.created" });
    receiver.secrets = [current];
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ attempted: 1, delivered: 1 });
    const [request] = receiver.received;
    expect(request.verified).toBe(true);
    expect(request.path).toBe("/endpoint");
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    // A receiver still holding the previous secret verifies too; the organization's secret doesn't.
    expect(() => new Webhook(previous).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(secretA).verify(request.body, request.headers as Record<string, string>)).toThrow();
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.organizationId, b.organizationId));
  });

  it("gives an organization without a secret one on first send, and signs with it", async () => {
    const org = await createTenant(db, "No secret yet");
    await db.update(organizations).set({ webhookSecretEncrypted: null }).where(eq(organizations.id, org.organizationId));
    await enqueue(org, { callbackUrl: receiver.url() });
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ delivered: 1 });
    const [row] = await db.select({ sealed: organizations.webhookSecretEncrypted }).from(organizations).where(eq(organizations.id, org.organizationId));
    const secret = decryptSecret(row.sealed!);
    expect(secret).toMatch(/^whsec_/);
    const [request] = receiver.received;
    expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
  });

  it("marks a delivery failed after the last scheduled attempt", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    await db
      .update(webhookDeliveries)
      .set({ attempts: MAX_DELIVERY_ATTEMPTS - 1 })
      .where(eq(webhookDeliveries.messageId, messageId));
    receiver.fallback = "500";
    expect(await deliverDueWebhooks(db, options())).toEqual({ attempted: 1, delivered: 0, failed: 1, retrying: 0 });
    const delivery = await deliveryByMessage(messageId);
    expect(delivery).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastResponseStatus: 500 });
    expect(await deliverDueWebhooks(db, options({ now: new Date(Date.now() + 7 * 86400_000) }))).toMatchObject({ attempted: 0 });
  });

  it("walks the whole backoff schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then failed", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    receiver.fallback = "500";
    let clock = new Date();
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      expect((await deliverDueWebhooks(db, options({ now: clock }))).attempted).toBe(1);
      const delivery = await deliveryByMessage(messageId);
      expect(delivery.attempts).toBe(attempt);
      if (delivery.status === "failed") break;
      gaps.push((delivery.nextAttemptAt.getTime() - clock.getTime()) / 1000);
      // One second early: still not due.
      expect((await deliverDueWebhooks(db, options({ now: new Date(delivery.nextAttemptAt.getTime() - 1000) }))).attempted).toBe(0);
      clock = delivery.nextAttemptAt;
    }
    expect(gaps).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect((await deliveryByMessage(messageId)).status).toBe("failed");
    expect(receiver.received).toHaveLength(8);
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([messageId]));
  });

  it("brings claimed-but-never-recorded rows back after the lease", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    const t0 = new Date();
    // A worker claims, then dies before sending or recording anything.
    const claimed = await claimDueDeliveries(db, { limit: 10, leaseSeconds: 30, now: t0 });
    expect(claimed.map((c) => c.messageId)).toEqual([messageId]);
    expect(claimed[0]).toMatchObject({ url: receiver.url(), event: "review.decided", attempts: 0, organizationId: a.organizationId, endpointId: null });
    expect(JSON.parse(claimed[0].body).type).toBe("review.decided");
    expect(decryptSecret(claimed[0].organizationSecretEncrypted!)).toBe(secretA);

    expect((await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 29_000) }))).attempted).toBe(0);
    expect(receiver.received).toHaveLength(0);
    expect(await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 30_000) }))).toMatchObject({ attempted: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    expect((await deliveryByMessage(messageId)).attempts).toBe(1);
  });

  it("hands racing claims disjoint rows", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(...(await enqueue(a, { callbackUrl: receiver.url() })));
    let second: DbHandle | undefined;
    if (handle.driver === "postgres") {
      const [{ name }] = await queryRows<{ name: string }>(db, sql`select current_database() as name`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      second = openDb({ url: url.toString(), max: 4 });
    }
    try {
      const others = second ? [second.db, second.db, second.db] : [db, db, db];
      const claims = await Promise.all([db, ...others].map((executor) => claimDueDeliveries(executor, { limit: 5, leaseSeconds: 60 })));
      const claimed = claims.flat().map((c) => c.messageId);
      expect(claimed).toHaveLength(12);
      expect(new Set(claimed)).toEqual(new Set(ids));
    } finally {
      await second?.close();
    }
  });

  it("claims oldest-due first and no more than the limit", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(...(await enqueue(a, { callbackUrl: receiver.url() })));
    await db.update(webhookDeliveries).set({ nextAttemptAt: sql`now() - interval '1 minute'` }).where(eq(webhookDeliveries.messageId, ids[2]));
    const claimed = await claimDueDeliveries(db, { limit: 1, leaseSeconds: 60 });
    expect(claimed.map((c) => c.messageId)).toEqual([ids[2]]);
  });

  it("keeps a late failure from undoing a recorded success", async () => {
    const [messageId] = await enqueue(a, { callbackUrl: receiver.url() });
    await deliverDueWebhooks(db, options());
    const delivery = await deliveryByMessage(messageId);
    const recorded = await recordDeliveryAttempt(db, {
      id: delivery.id,
      organizationId: a.organizationId,
      ok: false,
      status: 500,
      error: "HTTP 500",
      durationMs: 12,
      nextAttemptAt: new Date(Date.now() + 5000),
    });
    expect(recorded).toBe(false);
    expect(await deliveryByMessage(messageId)).toMatchObject({ status: "delivered", attempts: 1, lastResponseStatus: 200 });
    // Another organization's id never matches.
    expect(await recordDeliveryAttempt(db, { id: delivery.id, organizationId: b.organizationId, ok: true, durationMs: 1, nextAttemptAt: null })).toBe(false);
  });

  it("never sends one message twice when two workers run at once", async () => {
    const count = 30;
    const messageIds: string[] = [];
    for (let i = 0; i < count; i++) messageIds.push(...(await enqueue(a, { callbackUrl: receiver.url() })));
    receiver.delayMs = 15;
    let second: DbHandle | undefined;
    if (handle.driver === "postgres") {
      const [{ name }] = await queryRows<{ name: string }>(db, sql`select current_database() as name`);
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      second = openDb({ url: url.toString(), max: 4 });
    }
    try {
      const totals = { attempted: 0, delivered: 0 };
      const perWorker = [0, 0];
      for (let round = 0; round < 20 && totals.delivered < count; round++) {
        const passes = second
          ? await Promise.all([deliverDueWebhooks(db, options({ limit: 7 })), deliverDueWebhooks(second.db, options({ limit: 7 }))])
          : [await deliverDueWebhooks(db, options({ limit: 7 })), await deliverDueWebhooks(db, options({ limit: 7 }))];
        passes.forEach((pass, i) => {
          totals.attempted += pass.attempted;
          totals.delivered += pass.delivered;
          perWorker[i] += pass.delivered;
        });
      }
      expect(totals).toEqual({ attempted: count, delivered: count });
      // Both workers really shared the work.
      expect(perWorker.every((n) => n > 0)).toBe(true);
    } finally {
      await second?.close();
    }
    const seen = receiver.received.map((r) => String(r.headers["webhook-id"]));
    expect(seen).toHaveLength(count);
    expect(new Set(seen)).toEqual(new Set(messageIds));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
  });
});

describe("listDeliveries", () => {
  it("shows an organization only its own deliveries, newest first, filtered by review", async () => {
    const reviewId = "22222222-2222-4222-8222-222222222222";
    const [first] = await enqueue(a, { callbackUrl: "https://agent.example.com/one", reviewId });
    const [second] = await enqueue(a, { callbackUrl: "https://agent.example.com/two", reviewId });
    await enqueue(a, { callbackUrl: "https://agent.example.com/other", reviewId: "33333333-3333-4333-8333-333333333333" });
    await db.update(webhookDeliveries).set({ createdAt: sql`now() - interval '1 hour'` }).where(eq(webhookDeliveries.messageId, first));

    const forReview = await listDeliveries(db, a.admin, { reviewId });
    expect(forReview.map((d) => d.messageId)).toEqual([second, first]);
    expect(forReview[0]).toMatchObject({ reviewId, url: "https://agent.example.com/two", event: "review.decided", endpointId: null });
    expect(forReview[0]).not.toHaveProperty("payload");
    expect((await listDeliveries(db, a.admin, { limit: 2 })).length).toBe(2);

    expect(await listDeliveries(db, b.admin, { reviewId })).toEqual([]);
    const bSees = await listDeliveries(db, b.admin, { limit: 200 });
    const aIds = new Set((await listDeliveries(db, a.admin, { limit: 200 })).map((d) => d.id));
    expect(bSees.some((d) => aIds.has(d.id))).toBe(false);
    const aDelivery = forReview[0].id;
    await db.insert(webhookAttempts).values({ organizationId: a.organizationId, deliveryId: aDelivery, responseStatus: 500 });
    expect(await listDeliveryAttempts(db, a.admin, { deliveryId: aDelivery })).toHaveLength(1);
    expect(await listDeliveryAttempts(db, b.admin, { deliveryId: aDelivery })).toEqual([]);
  });
});

describe("organization webhook secret", () => {
  async function sealedSecretOf(organizationId: string) {
    const [row] = await db.select({ sealed: organizations.webhookSecretEncrypted }).from(organizations).where(eq(organizations.id, organizationId));
    return row.sealed;
  }

  it("reveals the secret, creating one on first need, and audits who looked without the secret", async () => {
    const org = await createTenant(db, "Reveal");
    await db.update(organizations).set({ webhookSecretEncrypted: null }).where(eq(organizations.id, org.organizationId));

    const first = await revealOrganizationWebhookSecret(db, org.admin);
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const sealed = await sealedSecretOf(org.organizationId);
    expect(sealed).not.toBeNull();
    expect(sealed).not.toContain(first);
    expect(decryptSecret(sealed!)).toBe(first);
    // A second reveal shows the same secret; it never changes by being looked at.
    expect(await revealOrganizationWebhookSecret(db, org.admin)).toBe(first);
    expect(await sealedSecretOf(org.organizationId)).toBe(sealed);

    const entries = (await listAuditEntries(db, org.admin)).filter((e) => e.action === "webhook_secret.revealed");
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => e.data)).toEqual([{ created: false }, { created: true }]);
    expect(entries[0]).toMatchObject({ targetType: "organization", targetId: org.organizationId, actorUserId: org.adminId });
    expect(JSON.stringify(entries)).not.toContain(first.slice(6));
    expect(await linkAndVerifyAudit(db, org.admin)).toMatchObject({ ok: true });
  });

  it("rotates to a new secret that signs the next delivery, and audits without the secret", async () => {
    const org = await createTenant(db, "Rotate");
    const before = await revealOrganizationWebhookSecret(db, org.admin);
    const rotated = await rotateOrganizationWebhookSecret(db, org.admin);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(before);
    expect(decryptSecret((await sealedSecretOf(org.organizationId))!)).toBe(rotated);
    expect(await revealOrganizationWebhookSecret(db, org.admin)).toBe(rotated);

    const [entry] = (await listAuditEntries(db, org.admin)).filter((e) => e.action === "webhook_secret.rotated");
    expect(entry).toMatchObject({ targetType: "organization", targetId: org.organizationId, actorUserId: org.adminId, data: { replacedExisting: true } });
    const audit = JSON.stringify(await listAuditEntries(db, org.admin, { limit: 200 }));
    expect(audit).not.toContain(rotated.slice(6));
    expect(audit).not.toContain(before.slice(6));
    expect(await linkAndVerifyAudit(db, org.admin)).toMatchObject({ ok: true });

    // At once, with no overlap: the next delivery verifies with the new secret and not with the old one.
    await enqueue(org, { callbackUrl: receiver.url() });
    receiver.secrets = [rotated];
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ delivered: 1 });
    const [request] = receiver.received;
    expect(request.verified).toBe(true);
    expect(() => new Webhook(before).verify(request.body, request.headers as Record<string, string>)).toThrow();
  });

  it("acts only on the caller's own organization", async () => {
    const tenantA = await createTenant(db, "Secret A");
    const tenantB = await createTenant(db, "Secret B");
    const secretOfA = await revealOrganizationWebhookSecret(db, tenantA.admin);
    const sealedA = await sealedSecretOf(tenantA.organizationId);

    const secretOfB = await revealOrganizationWebhookSecret(db, tenantB.admin);
    expect(secretOfB).not.toBe(secretOfA);
    const rotatedB = await rotateOrganizationWebhookSecret(db, tenantB.admin);
    expect(rotatedB).not.toBe(secretOfA);

    // B's reveal and rotation left A's secret exactly as it was, and A's audit log untouched.
    expect(await sealedSecretOf(tenantA.organizationId)).toBe(sealedA);
    expect(await revealOrganizationWebhookSecret(db, tenantA.admin)).toBe(secretOfA);
    expect(decryptSecret((await sealedSecretOf(tenantB.organizationId))!)).toBe(rotatedB);
    const aActions = (await listAuditEntries(db, tenantA.admin)).filter((e) => e.action.startsWith("webhook_secret."));
    expect(aActions.map((e) => [e.action, e.actorUserId])).toEqual([
      ["webhook_secret.revealed", tenantA.adminId],
      ["webhook_secret.revealed", tenantA.adminId],
    ]);
    const bActions = (await listAuditEntries(db, tenantB.admin)).filter((e) => e.action.startsWith("webhook_secret."));
    expect(bActions.map((e) => e.action)).toEqual(["webhook_secret.rotated", "webhook_secret.revealed"]);
    expect(bActions.every((e) => e.targetId === tenantB.organizationId)).toBe(true);
  });
});

describe("organization webhook endpoints", () => {
  const publicDns: LookupAddresses = async () => [{ address: "93.184.216.34", family: 4 }];
  const targets = () => ({ allowlist: [receiver.hostPort], lookup: publicDns });
  const allEvents: WebhookEvent[] = ["review.created", "review.decided", "review.expired", "task_type.mode_changed"];

  async function endpointRow(id: string) {
    const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
    return row;
  }

  async function auditOf(org: TestOrganization, action: string) {
    return (await listAuditEntries(db, org.admin, { limit: 200 })).filter((e) => e.action === action);
  }

  it("creates an endpoint whose secret is shown once and stored only sealed", async () => {
    const org = await createTenant(db, "Create endpoint");
    const { id, secret } = await createWebhookEndpoint(
      db,
      org.admin,
      { url: "https://hooks.example.com/countersign", description: "Ops bus", events: ["review.decided", "review.created"] },
      targets(),
    );
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const row = await endpointRow(id);
    expect(row).toMatchObject({ organizationId: org.organizationId, url: "https://hooks.example.com/countersign", description: "Ops bus", disabledAt: null, failingSince: null });
    expect(row.secretEncrypted).not.toContain(secret.slice(6));
    expect(decryptSecret(row.secretEncrypted)).toBe(secret);

    const listed = await listWebhookEndpoints(db, org.admin);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, status: "active", lastAttempt: null, previousSecretExpiresAt: null });
    const shown = JSON.stringify([listed, await getWebhookEndpoint(db, org.admin, { id })]);
    expect(shown).not.toContain(secret.slice(6));
    expect(shown).not.toContain(row.secretEncrypted);

    const [entry] = await auditOf(org, "webhook_endpoint.created");
    expect(entry).toMatchObject({ targetType: "webhook_endpoint", targetId: id, actorUserId: org.adminId, data: { url: "https://hooks.example.com/countersign", description: "Ops bus" } });
    expect(JSON.stringify(await listAuditEntries(db, org.admin, { limit: 200 }))).not.toContain(secret.slice(6));
  });

  it("refuses private, loopback and link-local targets and plain http, unless allow-listed", async () => {
    const org = await createTenant(db, "SSRF endpoint");
    const refused = async (url: string, lookup: LookupAddresses = publicDns) => {
      const error = await expectAppError(createWebhookEndpoint(db, org.admin, { url, description: "", events: ["review.decided"] }, { allowlist: [], lookup }), "invalid");
      expect(error.fieldErrors?.url?.[0]).toBeTruthy();
      return error.fieldErrors!.url![0];
    };
    expect(await refused("https://127.0.0.1/hook")).toMatch(/non-public/);
    expect(await refused("https://localhost/hook")).toMatch(/non-public/);
    expect(await refused("https://169.254.169.254/latest/meta-data")).toMatch(/non-public/);
    expect(await refused("https://[::1]/hook")).toMatch(/non-public/);
    expect(await refused("https://internal.example/hook", async () => [{ address: "10.1.2.3", family: 4 }])).toMatch(/non-public/);
    expect(await refused("http://hooks.example.com/hook")).toMatch(/https/);
    expect(await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.organizationId, org.organizationId))).toEqual([]);
    expect(await auditOf(org, "webhook_endpoint.created")).toEqual([]);

    // The allow-listed development receiver may be plain http on loopback.
    await createWebhookEndpoint(db, org.admin, { url: receiver.url("/dev"), description: "", events: ["review.decided"] }, targets());
    expect(await listWebhookEndpoints(db, org.admin)).toHaveLength(1);
  });

  it("edits description and events with a before/after diff, and records nothing when nothing changed", async () => {
    const org = await createTenant(db, "Edit endpoint");
    const { id } = await createWebhookEndpoint(db, org.admin, { url: "https://hooks.example.com/e", description: "Old", events: ["review.decided"] }, targets());
    expect(await updateWebhookEndpoint(db, org.admin, { id, description: "New", events: ["review.created", "review.decided"] })).toEqual({ changed: true });
    expect(await endpointRow(id)).toMatchObject({ description: "New", events: ["review.created", "review.decided"] });
    const [entry] = await auditOf(org, "webhook_endpoint.updated");
    expect(entry.data).toEqual({
      url: "https://hooks.example.com/e",
      before: { description: "Old", events: ["review.decided"] },
      after: { description: "New", events: ["review.created", "review.decided"] },
    });
    expect(await updateWebhookEndpoint(db, org.admin, { id, description: "New", events: ["review.created", "review.decided"] })).toEqual({ changed: false });
    expect(await auditOf(org, "webhook_endpoint.updated")).toHaveLength(1);
  });

  it("sends a test event through the outbox, signed with the endpoint's secret and marked as a test", async () => {
    const org = await createTenant(db, "Test event");
    const { id, secret } = await createWebhookEndpoint(db, org.admin, { url: receiver.url("/test-event"), description: "", events: ["review.expired", "review.decided"] }, targets());
    const { messageId, event } = await sendWebhookEndpointTest(db, org.admin, { id });
    expect(event).toBe("review.decided");
    receiver.secrets = [secret];
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ attempted: 1, delivered: 1 });
    const [request] = receiver.received;
    expect(request).toMatchObject({ path: "/test-event", verified: true });
    expect(request.headers["webhook-id"]).toBe(messageId);
    expect(JSON.parse(request.body)).toMatchObject({ type: "review.decided", data: { test: true, endpointId: id } });

    const [logged] = await listDeliveries(db, org.admin, { endpointId: id });
    expect(logged).toMatchObject({ messageId, test: true, status: "delivered", attempts: 1, lastResponseStatus: 200, endpointId: id });
    expect((await getWebhookEndpoint(db, org.admin, { id })).lastAttempt).toMatchObject({ responseStatus: 200, error: null });
    expect(await auditOf(org, "webhook_endpoint.test_sent")).toHaveLength(1);

    await setWebhookEndpointEnabled(db, org.admin, { id, enabled: false });
    await expectAppError(sendWebhookEndpointTest(db, org.admin, { id }), "conflict");
  });

  it("rotates with an overlap: both secrets sign until the window ends, then only the new one", async () => {
    const org = await createTenant(db, "Rotate endpoint");
    const { id, secret: first } = await createWebhookEndpoint(db, org.admin, { url: receiver.url("/rotate"), description: "", events: allEvents }, targets());
    const now = new Date();
    const { secret: second, previousSecretExpiresAt } = await rotateWebhookEndpointSecret(db, org.admin, { id, now });
    expect(second).not.toBe(first);
    expect(previousSecretExpiresAt.getTime() - now.getTime()).toBe(24 * 3600_000);
    expect((await getWebhookEndpoint(db, org.admin, { id })).previousSecretExpiresAt?.getTime()).toBe(previousSecretExpiresAt.getTime());
    const row = await endpointRow(id);
    expect(decryptSecret(row.secretEncrypted)).toBe(second);
    expect(decryptSecret(row.previousSecretEncrypted!)).toBe(first);

    await sendWebhookEndpointTest(db, org.admin, { id });
    receiver.secrets = [second];
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ delivered: 1 });
    const during = receiver.received[0];
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    for (const secret of [first, second]) expect(() => new Webhook(secret).verify(during.body, during.headers as Record<string, string>)).not.toThrow();

    // The window is over: the previous secret no longer signs, and the page no longer mentions it.
    await db.update(webhookEndpoints).set({ previousSecretExpiresAt: new Date(Date.now() - 1000) }).where(eq(webhookEndpoints.id, id));
    expect((await getWebhookEndpoint(db, org.admin, { id })).previousSecretExpiresAt).toBeNull();
    await sendWebhookEndpointTest(db, org.admin, { id });
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ delivered: 1 });
    const after = receiver.received[1];
    expect(String(after.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new Webhook(second).verify(after.body, after.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(first).verify(after.body, after.headers as Record<string, string>)).toThrow();

    const [entry] = await auditOf(org, "webhook_endpoint.secret_rotated");
    expect(entry.data).toEqual({ url: receiver.url("/rotate"), previousSecretSignsUntil: previousSecretExpiresAt.toISOString() });
    const audit = JSON.stringify(await listAuditEntries(db, org.admin, { limit: 200 }));
    for (const secret of [first, second]) expect(audit).not.toContain(secret.slice(6));
  });

  it("keeps failing_since at the first failure since the last success, and clears it on success", async () => {
    const org = await createTenant(db, "Failing since");
    const { id, secret } = await createWebhookEndpoint(db, org.admin, { url: receiver.url("/flaky"), description: "", events: allEvents }, targets());
    receiver.secrets = [secret];
    receiver.fallback = "500";
    const [messageId] = await enqueue(org, { event: "review.created" });
    // A moment ahead, so the row the database stamped is due whatever the two clocks say.
    const t0 = new Date(Date.now() + 1000);
    expect(await deliverDueWebhooks(db, options({ now: t0 }))).toMatchObject({ retrying: 1 });
    expect((await endpointRow(id)).failingSince?.getTime()).toBe(t0.getTime());
    expect(await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 5000) }))).toMatchObject({ retrying: 1 });
    expect((await endpointRow(id)).failingSince?.getTime()).toBe(t0.getTime());

    receiver.fallback = "ok";
    expect(await deliverDueWebhooks(db, options({ now: new Date(t0.getTime() + 400_000) }))).toMatchObject({ delivered: 1 });
    expect((await endpointRow(id)).failingSince).toBeNull();
    expect((await deliveryByMessage(messageId)).status).toBe("delivered");
  });

  it("disables an endpoint failing for three days, audits it, tells the admins, and stops sending to it", async () => {
    const org = await createTenant(db, "Auto disable");
    const now = new Date();
    const { id: stale } = await createWebhookEndpoint(db, org.admin, { url: "https://hooks.example.com/stale", description: "Old bus", events: allEvents }, targets());
    const { id: recent } = await createWebhookEndpoint(db, org.admin, { url: "https://hooks.example.com/recent", description: "", events: allEvents }, targets());
    await db.update(webhookEndpoints).set({ failingSince: new Date(now.getTime() - 3 * 86400_000 - 60_000) }).where(eq(webhookEndpoints.id, stale));
    await db.update(webhookEndpoints).set({ failingSince: new Date(now.getTime() - 2 * 86400_000) }).where(eq(webhookEndpoints.id, recent));

    const disabled = await disableFailingEndpoints(db, { now });
    expect(disabled).toEqual([{ id: stale, organizationId: org.organizationId }]);
    expect(await disableFailingEndpoints(db, { now })).toEqual([]);
    expect((await getWebhookEndpoint(db, org.admin, { id: stale })).status).toBe("disabled_failing");
    expect((await getWebhookEndpoint(db, org.admin, { id: recent })).status).toBe("active");
    const [entry] = await auditOf(org, "webhook_endpoint.auto_disabled");
    expect(entry).toMatchObject({ targetId: stale, actorUserId: null, data: { url: "https://hooks.example.com/stale", after: { status: "disabled_failing" } } });
    expect((await listEndpointsDisabledForFailing(db, org.admin)).map((e) => e.id)).toEqual([stale]);

    const queued = await enqueue(org, { event: "review.decided" });
    const rows = await db.select({ endpointId: webhookDeliveries.endpointId }).from(webhookDeliveries).where(inArray(webhookDeliveries.messageId, queued));
    expect(rows.map((r) => r.endpointId)).toEqual([recent]);

    // Enabling starts afresh: the next sweep doesn't disable it again, and the alert is gone.
    await setWebhookEndpointEnabled(db, org.admin, { id: stale, enabled: true });
    expect(await endpointRow(stale)).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null });
    expect(await disableFailingEndpoints(db, { now })).toEqual([]);
    expect(await listEndpointsDisabledForFailing(db, org.admin)).toEqual([]);
    const [enabled] = await auditOf(org, "webhook_endpoint.enabled");
    expect(enabled.data).toMatchObject({ before: { status: "disabled_failing" }, after: { status: "active" } });
  });

  it("disables and enables by hand, and deletes with its delivery log", async () => {
    const org = await createTenant(db, "Disable endpoint");
    const { id } = await createWebhookEndpoint(db, org.admin, { url: "https://hooks.example.com/d", description: "", events: allEvents }, targets());
    await setWebhookEndpointEnabled(db, org.admin, { id, enabled: false });
    expect(await endpointRow(id)).toMatchObject({ disabledReason: "admin" });
    expect((await getWebhookEndpoint(db, org.admin, { id })).status).toBe("disabled_by_admin");
    await expectAppError(setWebhookEndpointEnabled(db, org.admin, { id, enabled: false }), "conflict");
    await setWebhookEndpointEnabled(db, org.admin, { id, enabled: true });
    await enqueue(org, { event: "review.decided" });
    expect(await listDeliveries(db, org.admin, { endpointId: id })).toHaveLength(1);

    await deleteWebhookEndpoint(db, org.admin, { id });
    expect(await endpointRow(id)).toBeUndefined();
    expect(await listDeliveries(db, org.admin, { endpointId: id })).toEqual([]);
    expect((await auditOf(org, "webhook_endpoint.deleted"))[0]).toMatchObject({ targetId: id, data: { url: "https://hooks.example.com/d" } });
    await expectAppError(getWebhookEndpoint(db, org.admin, { id }), "not_found");
    expect(await linkAndVerifyAudit(db, org.admin)).toMatchObject({ ok: true });
  });

  it("retries a failed delivery now, once more, and refuses a delivered one or a disabled endpoint's", async () => {
    const org = await createTenant(db, "Retry now");
    const { id, secret } = await createWebhookEndpoint(db, org.admin, { url: receiver.url("/retry"), description: "", events: allEvents }, targets());
    receiver.secrets = [secret];
    const [messageId] = await enqueue(org, { event: "review.expired" });
    await db.update(webhookDeliveries).set({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, nextAttemptAt: new Date(Date.now() + 86400_000) }).where(eq(webhookDeliveries.messageId, messageId));
    const delivery = await deliveryByMessage(messageId);

    await retryWebhookDelivery(db, org.admin, { id: delivery.id });
    const pending = await deliveryByMessage(messageId);
    expect(pending.status).toBe("pending");
    expect(pending.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await deliverDueWebhooks(db, options())).toMatchObject({ attempted: 1, delivered: 1 });
    expect(await deliveryByMessage(messageId)).toMatchObject({ status: "delivered", attempts: MAX_DELIVERY_ATTEMPTS + 1 });
    expect(receiver.received[0].verified).toBe(true);
    expect((await auditOf(org, "webhook_delivery.retried"))[0]).toMatchObject({ targetType: "webhook_delivery", targetId: delivery.id, data: { messageId, before: { status: "failed" } } });

    await expectAppError(retryWebhookDelivery(db, org.admin, { id: delivery.id }), "conflict");
    const [other] = await enqueue(org, { event: "review.expired" });
    await setWebhookEndpointEnabled(db, org.admin, { id, enabled: false });
    await expectAppError(retryWebhookDelivery(db, org.admin, { id: (await deliveryByMessage(other)).id }), "conflict");
  });

  it("treats another organization's endpoint or delivery as unknown, and changes nothing", async () => {
    const owner = await createTenant(db, "Owner");
    const intruder = await createTenant(db, "Intruder");
    const { id } = await createWebhookEndpoint(db, owner.admin, { url: "https://hooks.example.com/owner", description: "Owner's", events: ["review.decided"] }, targets());
    const [messageId] = await enqueue(owner, { event: "review.decided" });
    await db.update(webhookDeliveries).set({ status: "failed" }).where(eq(webhookDeliveries.messageId, messageId));
    const delivery = await deliveryByMessage(messageId);
    const endpointBefore = await endpointRow(id);
    const deliveryBefore = await deliveryByMessage(messageId);

    const as = intruder.admin;
    await expectAppError(getWebhookEndpoint(db, as, { id }), "not_found");
    await expectAppError(updateWebhookEndpoint(db, as, { id, description: "mine", events: allEvents }), "not_found");
    await expectAppError(setWebhookEndpointEnabled(db, as, { id, enabled: false }), "not_found");
    await expectAppError(rotateWebhookEndpointSecret(db, as, { id }), "not_found");
    await expectAppError(sendWebhookEndpointTest(db, as, { id }), "not_found");
    await expectAppError(deleteWebhookEndpoint(db, as, { id }), "not_found");
    await expectAppError(retryWebhookDelivery(db, as, { id: delivery.id }), "not_found");
    expect(await listWebhookEndpoints(db, as)).toEqual([]);
    expect(await listDeliveries(db, as, { endpointId: id })).toEqual([]);

    expect(await endpointRow(id)).toEqual(endpointBefore);
    expect(await deliveryByMessage(messageId)).toEqual(deliveryBefore);
    expect((await listAuditEntries(db, as, { limit: 200 })).filter((e) => e.action.startsWith("webhook_"))).toEqual([]);
    const member = await addMember(db, owner.admin, "manager");
    // The query trusts its caller on the role (actions check `webhooks.manage`), but never the organization.
    expect((await listWebhookEndpoints(db, member.scope)).map((e) => e.id)).toEqual([id]);
  });
});
