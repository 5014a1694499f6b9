// `npm start`: builds once when no production build exists, then serves it with scripts/server.mjs
// (`next start` plus the client's address from the connection; see there).
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";

const next = "node_modules/.bin/next";
if (!existsSync(".next/BUILD_ID")) {
  console.log("No production build yet: running `next build` once (a few minutes on 2 cores)…");
  const build = spawnSync(next, ["build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawn(process.execPath, ["scripts/server.mjs", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
