import { createServer, type IncomingHttpHeaders, type Server } from "node:http";

/**
 * The only webhook target the e2e server allow-lists (scripts/e2e-server.mjs: WEBHOOK_ALLOWLIST).
 * Specs that run a receiver share it, across workers, by taking turns: listening is the lock, and a
 * spec that finds the port taken waits for it (see `listenWhenFree`).
 */
export const RECEIVER_PORT = 3199;

export type ReceivedWebhook = { path: string; headers: IncomingHttpHeaders; body: string };

/** Listens on 127.0.0.1:`port`, waiting while another spec holds it (EADDRINUSE), up to `timeoutMs`. */
export async function listenWhenFree(server: Server, port = RECEIVER_PORT, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const onError = (e: NodeJS.ErrnoException) => resolve(e);
      server.once("error", onError);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", onError);
        resolve(null);
      });
    });
    if (!error) return;
    if (error.code !== "EADDRINUSE" || Date.now() > deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * A receiver for one spec's deliveries: it records requests to paths under `prefix` and answers them
 * with `answer` (default 200); anything else (another spec's late retry) just gets a 204.
 */
export async function startReceiver(prefix: string, answer: (request: ReceivedWebhook) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      if (!path.startsWith(prefix)) return void res.writeHead(204).end();
      const request = { path, headers: req.headers, body };
      received.push(request);
      res.writeHead(answer(request)).end();
    });
  });
  await listenWhenFree(server);
  return {
    received,
    url: `http://127.0.0.1:${RECEIVER_PORT}${prefix}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
