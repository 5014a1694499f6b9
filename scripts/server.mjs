// Serves the production build, as `next start` does, and tells the app who is on the other end of
// each connection. `next start` can't: Next copies the socket's address into X-Forwarded-For only when
// the client sent none and passes a client's own header through untouched, so a sign-in throttle
// keyed on it could be dodged with a new header per attempt. Here every request carries the TCP
// peer's address in a header of our own (any copy the client sent is removed first); the app reads it,
// or with TRUST_PROXY_HOPS set, the X-Forwarded-For entry its proxies appended (lib/security/client-address.ts).
//
//   node scripts/server.mjs [-p PORT] [-H HOSTNAME] [--keepAliveTimeout MS]
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const PEER_ADDRESS_HEADER = "x-countersign-peer-address";

const { values } = parseArgs({
  options: {
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
    keepAliveTimeout: { type: "string" },
  },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const hostname = values.hostname ?? process.env.HOSTNAME;
// As `next start` does: the build is served in production mode, and the app sees NODE_ENV so.
process.env.NODE_ENV = "production";
process.env.PORT = String(port);

const { default: next } = await import("next");
const app = next({ dev: false, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  delete req.headers[PEER_ADDRESS_HEADER];
  if (req.socket.remoteAddress) req.headers[PEER_ADDRESS_HEADER] = req.socket.remoteAddress;
  handle(req, res);
});
// Idle connections outlive the clients' (Node's agent keeps its own 5 s, as does the server by default), so
// the client closes first and never sends a request on a socket the server is closing.
server.keepAliveTimeout = Number(values.keepAliveTimeout ?? 65_000);
server.listen(port, hostname, () => console.log(`Listening on http://${hostname ?? "localhost"}:${port}`));
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    // Open keep-alive and streaming connections (live queue updates) would hold `close` forever.
    server.closeAllConnections();
  });
}
