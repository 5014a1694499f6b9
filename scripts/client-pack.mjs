// `npm run client:pack`: builds lib/client into the installable `@countersign/client` package (ESM with
// type declarations, Node >= 20, no dependency on Next or the app) and writes its tarball under dist/.
// Prints the tarball's path on the last line.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const build = path.join(root, "dist/client-build");
const pkgDir = path.join(root, "dist/client-package");
rmSync(build, { recursive: true, force: true });
rmSync(pkgDir, { recursive: true, force: true });

const tsc = spawnSync(path.join(root, "node_modules/.bin/tsc"), ["-p", "lib/client/tsconfig.build.json"], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// tsc keeps import specifiers as written: make them Node ESM ones (`@/lib/x` → a relative path, and a
// `.js` extension on every relative import), in the code and in the declarations.
function rewrite(file) {
  const dir = path.dirname(file);
  const text = readFileSync(file, "utf8").replace(/(from\s+|import\s*\(\s*)(["'])([^"']+)\2/g, (match, lead, quote, spec) => {
    let target = spec;
    if (spec.startsWith("@/")) {
      target = path.relative(dir, path.join(build, spec.slice(2))).split(path.sep).join("/");
      if (!target.startsWith(".")) target = `./${target}`;
    } else if (!spec.startsWith(".")) return match;
    if (!/\.(js|json)$/.test(target)) target = `${target}.js`;
    return `${lead}${quote}${target}${quote}`;
  });
  writeFileSync(file, text);
}
const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)]));
for (const file of walk(build)) if (/\.(js|d\.ts)$/.test(file)) rewrite(file);

const app = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const entry = (name) => ({ types: `./lib/client/${name}.d.ts`, import: `./lib/client/${name}.js`, default: `./lib/client/${name}.js` });
const manifest = {
  name: "@countersign/client",
  version: app.version,
  description: "Countersign's typed API client, requestApproval, webhook verification, and adapters for the Vercel AI SDK, the OpenAI Agents SDK and LangGraph.js.",
  type: "module",
  engines: { node: ">=20" },
  license: "UNLICENSED",
  exports: {
    ".": entry("index"),
    "./ai-sdk": entry("ai-sdk"),
    "./openai-agents": entry("openai-agents"),
    "./langgraph": entry("langgraph"),
    "./package.json": "./package.json",
  },
  types: "./lib/client/index.d.ts",
  sideEffects: false,
  peerDependencies: { ai: ">=6", "@openai/agents": ">=0.3", "@langchain/langgraph": ">=1" },
  peerDependenciesMeta: { ai: { optional: true }, "@openai/agents": { optional: true }, "@langchain/langgraph": { optional: true } },
};
mkdirSync(pkgDir, { recursive: true });
cpSync(build, pkgDir, { recursive: true });
writeFileSync(path.join(pkgDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(
  path.join(pkgDir, "README.md"),
  "# @countersign/client\n\nSee the Countersign README (\"For agent developers\") and /docs/api#integrations.\n",
);

const packed = spawnSync("npm", ["pack", "--silent", "--pack-destination", path.join(root, "dist")], { cwd: pkgDir, encoding: "utf8" });
if (packed.status !== 0) {
  process.stderr.write(packed.stderr);
  process.exit(packed.status ?? 1);
}
// Only the tarball stays: the staging folders would otherwise be type-checked and linted with the app.
rmSync(build, { recursive: true, force: true });
rmSync(pkgDir, { recursive: true, force: true });
console.log(path.join(root, "dist", packed.stdout.trim().split("\n").pop()));
