// `npm start`: builds once when no production build exists, then serves it.
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";

const next = "node_modules/.bin/next";
if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `next build` once (a few minutes on 2 cores)…");
  const build = spawnSync(next, ["build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// Idle connections outlive the clients' (Node's agent keeps its own 5 s, as does the server by default), so
// the client closes first and never sends a request on a socket the server is closing; a flag given wins.
const args = process.argv.slice(2);
const keepAlive = args.includes("--keepAliveTimeout") ? [] : ["--keepAliveTimeout", "65000"];
const server = spawn(next, ["start", ...keepAlive, ...args], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
