import { createServer, type IncomingMessage } from "node:http";
import { Webhook } from "standardwebhooks";
import { agentAuth as auth, expect, test } from "./fixtures";
import { listenWhenFree } from "./webhook-receiver";

// The e2e server seeds the demo organization with this (see scripts/e2e-server.mjs).
const DEMO_WEBHOOK_SECRET = process.env.E2E_DEMO_WEBHOOK_SECRET ?? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const RECEIVER_PORT = 3199;

test("an agent submits, waits and is answered; errors are problem+json", async ({ request }) => {
  const submitted = await request.post("/api/v1/reviews", {
    headers: { ...auth, "idempotency-key": `e2e-${Date.now()}` },
    data: { taskType: "refund.issue", title: "Refund A-1 (e2e)", action: { orderId: "A-1", amount: 40 }, amount: { value: 40, currency: "USD" }, confidence: 0.9 },
  });
  expect(submitted.status()).toBe(201);
  const review = await submitted.json();
  expect(review).toMatchObject({ status: "pending", routing: { needsHuman: true } });

  const waited = await request.get(`/api/v1/reviews/${review.id}?wait=1`, { headers: auth });
  expect((await waited.json()).status).toBe("pending");

  const cancelled = await request.post(`/api/v1/reviews/${review.id}/cancel`, { headers: auth });
  expect((await cancelled.json()).status).toBe("cancelled");
  const again = await request.post(`/api/v1/reviews/${review.id}/cancel`, { headers: auth });
  expect(again.status()).toBe(409);
  expect(again.headers()["content-type"]).toBe("application/problem+json");

  for (const [init, status] of [
    [{ headers: {} }, 401],
    [{ headers: { ...auth, "content-type": "application/json" }, data: Buffer.from("{oops") }, 400],
    [{ headers: auth, data: { taskType: "NOPE", action: 1 } }, 422],
  ] as const) {
    const res = await request.post("/api/v1/reviews", init);
    expect(res.status()).toBe(status);
    expect(res.headers()["content-type"]).toBe("application/problem+json");
  }
  const unknownPath = await request.get("/api/v1/nothing-here", { headers: auth });
  expect(unknownPath.status()).toBe(404);
  expect(unknownPath.headers()["content-type"]).toBe("application/problem+json");

  const doc = await request.get("/api/v1/openapi.json");
  expect((await doc.json()).openapi).toBe("3.1.0");
});

test("an auto-approved item reaches the agent's webhook receiver, signed", async ({ request }) => {
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  // Shared with e2e/admin-webhooks.spec.ts: wait while another spec holds the port.
  await listenWhenFree(server, RECEIVER_PORT);
  try {
    const res = await request.post("/api/v1/reviews", {
      headers: auth,
      data: { taskType: "route.adjust", action: { routeId: "R-e2e", stopsAdded: 1 }, confidence: 0.99, callbackUrl: `http://127.0.0.1:${RECEIVER_PORT}/hook` },
    });
    expect(res.status()).toBe(201);
    const review = await res.json();
    expect(review.status).toBe("approved");
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [delivery] = received;
    const verified = new Webhook(DEMO_WEBHOOK_SECRET).verify(delivery.body, {
      "webhook-id": String(delivery.headers["webhook-id"]),
      "webhook-timestamp": String(delivery.headers["webhook-timestamp"]),
      "webhook-signature": String(delivery.headers["webhook-signature"]),
    }) as { type: string; data: { review: { id: string; decision: { outcome: string } } } };
    expect(verified.type).toBe("review.decided");
    expect(verified.data.review).toMatchObject({ id: review.id, decision: { outcome: "auto_approved" } });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
