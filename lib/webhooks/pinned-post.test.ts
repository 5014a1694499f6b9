import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { postToCheckedAddress, type PostOutcome } from "./pinned-post";

type Seen = { host: string; path: string; headers: IncomingHttpHeaders; body: string };

/** An HTTP server on one loopback address that records what reached it. */
async function recorder(address: string, port = 0, answer: (res: import("node:http").ServerResponse) => void = (res) => res.writeHead(204).end()) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ host: req.socket.localAddress ?? "", path: req.url ?? "", headers: req.headers, body });
      answer(res);
    });
  });
  server.listen(port, address);
  await once(server, "listening");
  return { server, seen, port: (server.address() as AddressInfo).port };
}

/** A TCP server that hands each connection to `onSocket` and keeps what the client sent. */
async function rawServer(onSocket: (socket: Socket, received: Buffer[]) => void) {
  const received: Buffer[] = [];
  const server = createTcpServer((socket) => {
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", () => {});
    onSocket(socket, received);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, received, port: (server.address() as AddressInfo).port };
}

const servers: (Server | TcpServer)[] = [];
const track = <T extends { server: Server | TcpServer }>(s: T): T => {
  servers.push(s.server);
  return s;
};
afterEach(() => {
  for (const s of servers.splice(0)) {
    if ("closeAllConnections" in s) s.closeAllConnections();
    s.close();
  }
});

const post = (url: string, addresses: string[], timeoutMs = 2000): Promise<PostOutcome> =>
  postToCheckedAddress({ url: new URL(url), addresses }, { headers: { "content-type": "application/json", "webhook-id": "msg_1" }, body: '{"ok":true}', timeoutMs });

// Neither name below exists in any DNS: a request that reached a server got there through the
// checked address alone.
describe("postToCheckedAddress", () => {
  let good: Awaited<ReturnType<typeof recorder>>;
  let trap: Awaited<ReturnType<typeof recorder>>;
  beforeAll(async () => {
    good = await recorder("127.0.0.1");
    // The same port on another loopback address: where a second resolution of the name could lead.
    trap = await recorder("127.0.0.2", good.port);
  });
  afterAll(() => {
    good.server.close();
    trap.server.close();
  });
  afterEach(() => {
    good.seen.length = 0;
    trap.seen.length = 0;
  });

  it("connects to the checked address only, keeping the name in the Host header", async () => {
    expect(await post(`http://rebind.countersign.test:${good.port}/hook?x=1`, ["127.0.0.1"])).toEqual({ ok: true, status: 204 });
    expect(await post(`http://rebind.countersign.test:${good.port}/hook`, ["127.0.0.2"])).toEqual({ ok: true, status: 204 });
    expect(good.seen).toHaveLength(1);
    expect(good.seen[0]).toMatchObject({ host: "127.0.0.1", path: "/hook?x=1", body: '{"ok":true}' });
    expect(good.seen[0].headers).toMatchObject({ host: `rebind.countersign.test:${good.port}`, "webhook-id": "msg_1", "content-type": "application/json" });
    expect(trap.seen).toHaveLength(1);
    expect(trap.seen[0].host).toBe("127.0.0.2");
  });

  it("sends the name as TLS SNI while connecting to the checked address", async () => {
    const tls = track(await rawServer((socket) => setTimeout(() => socket.destroy(), 50)));
    const outcome = await post(`https://hooks.countersign.test:${tls.port}/in`, ["127.0.0.1"]);
    // The ClientHello names the host in clear text (server_name extension).
    expect(Buffer.concat(tls.received).includes(Buffer.from("hooks.countersign.test"))).toBe(true);
    expect(outcome).toEqual({ ok: false, error: "Connection closed by the receiver." });
  });

  it("answers a redirect's status without following it", async () => {
    const redirecting = track(await recorder("127.0.0.1", 0, (res) => res.writeHead(302, { location: `http://127.0.0.2:${good.port}/trap` }).end()));
    expect(await post(`http://hooks.countersign.test:${redirecting.port}/`, ["127.0.0.1"])).toEqual({ ok: true, status: 302 });
    expect(trap.seen).toHaveLength(0);
  });

  it("reports failures in fixed words that reveal neither the address nor what the receiver said", async () => {
    const leaky = (o: PostOutcome) => (o.ok ? "" : o.error);
    // Nothing listens on the closed port.
    const closed = track(await rawServer(() => {}));
    const closedPort = closed.port;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const refused = await post(`http://internal.countersign.test:${closedPort}/`, ["127.0.0.1"]);
    expect(refused).toEqual({ ok: false, error: "Connection refused." });

    const banner = track(await rawServer((socket) => socket.end("SSH-2.0-OpenSSH_9.6 internal-db-7\r\n")));
    const notHttp = await post(`http://internal.countersign.test:${banner.port}/`, ["127.0.0.1"]);
    expect(notHttp).toEqual({ ok: false, error: "The receiver's answer wasn't valid HTTP." });

    const silent = track(await rawServer(() => {}));
    const started = Date.now();
    const hung = await post(`http://internal.countersign.test:${silent.port}/`, ["127.0.0.1"], 200);
    expect(hung).toEqual({ ok: false, error: "No response within 0.2 s." });
    expect(Date.now() - started).toBeLessThan(2000);

    for (const text of [refused, notHttp, hung].map(leaky)) expect(text).not.toMatch(/127\.0\.0|OpenSSH|internal|:\d{2,5}/);
  });

  it("reads no response body: a 500's words stay with the receiver", async () => {
    const failing = track(await recorder("127.0.0.1", 0, (res) => res.writeHead(500, { "content-type": "text/plain" }).end("redis at 10.0.0.7 refused AUTH")));
    expect(await post(`http://hooks.countersign.test:${failing.port}/`, ["127.0.0.1"])).toEqual({ ok: true, status: 500 });
  });

  it("tries the other checked addresses when the first doesn't answer", async () => {
    const onlySecond = track(await recorder("127.0.0.2"));
    expect(await post(`http://hooks.countersign.test:${onlySecond.port}/`, ["127.0.0.3", "127.0.0.2"])).toEqual({ ok: true, status: 204 });
    expect(onlySecond.seen).toHaveLength(1);
  });
});
