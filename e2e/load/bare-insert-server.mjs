// The benchmark's floor for "one insert per request": bare node:http + postgres.js, no framework,
// no auth, no validation. It parses the JSON body (so malformed input is a 400, as in the app) and
// inserts it into one table. Started by e2e/load/run.mjs; usable alone:
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/countersign_bench PORT=3401 node e2e/load/bare-insert-server.mjs
import http from "node:http";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
const port = Number(process.env.PORT ?? 3401);
if (!url) {
  console.error("bare-insert-server: DATABASE_URL is not set");
  process.exit(1);
}

// The same pool size as the app's (db/client.ts), so the comparison is about the work per request.
const sql = postgres(url, { max: Number(process.env.BARE_POOL_MAX ?? 10), onnotice: () => {} });
await sql`create table if not exists bare_inserts (id bigserial primary key, body jsonb not null, created_at timestamptz not null default now())`;

const MAX_BODY = 1024 * 1024;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") return send(res, 405, { error: "method not allowed" });
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on("end", async () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { error: "malformed JSON" });
    }
    try {
      const [row] = await sql`insert into bare_inserts (body) values (${sql.json(body)}) returning id, created_at`;
      send(res, 201, { id: String(row.id), createdAt: row.created_at });
    } catch (e) {
      console.error("bare-insert-server:", e.message);
      send(res, 500, { error: "insert failed" });
    }
  });
});
server.keepAliveTimeout = 65_000;

server.listen(port, "127.0.0.1", () => console.log(`bare-insert-server listening on http://127.0.0.1:${port}`));

async function stop() {
  server.close();
  server.closeAllConnections?.();
  await sql.end({ timeout: 2 });
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
