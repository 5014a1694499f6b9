import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * Which folder may import which (README, "Folders"):
 *   app → anything; components → lib, never db; side-effecting lib → db; db → pure lib only;
 *   pure lib → pure lib only (no db, no Next, no side-effecting lib).
 * A folder of lib/ is either pure or side-effecting as a whole; a folder not named pure counts as
 * side-effecting (db/ and pure folders may not import it).
 * The rule covers type-only imports too: a type that points the wrong way is how a cycle starts.
 * eslint.config.test.ts lints snippets with this config, so the rule can't quietly stop working.
 */
export const pureLibFolders = ["client", "config", "data", "docs", "errors", "policy", "readiness", "security", "task-types", "ui", "validation", "views"];
export const sideEffectingLibFolders = ["actions", "api", "auth", "jobs", "mcp", "notifications", "submissions", "webhooks"];

const importsOf = (folders) => folders.flatMap((f) => [`@/lib/${f}`, `@/lib/${f}/**`]);
const dbImports = ["@/db", "@/db/**"];
const nextImports = ["next", "next/**", "next-auth", "next-auth/**", "@auth/**"];
const uiImports = ["@/app/**", "@/components/**"];

// Tests exercise the layers together (an integration test under db/ drives lib/ too).
const tests = ["**/*.test.ts", "**/*.test.tsx"];

const restrict = (...patterns) => ["error", { patterns }];

const layers = [
  {
    name: "layers/components",
    files: ["components/**/*.{ts,tsx}"],
    ignores: tests,
    rules: {
      "no-restricted-imports": restrict({ group: dbImports, message: "components/ never imports db/: take plain props from the page, or call a server action in lib/actions." }),
    },
  },
  {
    name: "layers/db",
    files: ["db/**/*.ts"],
    ignores: tests,
    rules: {
      "no-restricted-imports": restrict(
        {
          // An allow-list: a lib/ folder added later is off limits to db/ until it is named pure.
          group: ["@/lib/**", ...importsOf(pureLibFolders).map((p) => `!${p}`)],
          message: `db/ imports only pure lib/ folders (${pureLibFolders.join(", ")}): a side-effecting lib module imports db/, so this would be a cycle. Move the side effect up into lib/, or the pure part down.`,
        },
        { group: [...uiImports, ...nextImports], message: "db/ never imports app/, components/ or Next." },
        { group: ["../lib/**", "../../lib/**"], message: "Import lib/ as @/lib/…, so the layering rule can see it." },
      ),
    },
  },
  {
    name: "layers/pure-lib",
    files: pureLibFolders.map((f) => `lib/${f}/**/*.{ts,tsx}`),
    ignores: tests,
    rules: {
      "no-restricted-imports": restrict(
        { group: dbImports, message: "A pure lib/ folder never imports db/: take the data as an argument (types included)." },
        { group: nextImports, message: "A pure lib/ folder never imports Next or Auth.js." },
        { group: ["@/lib/**", ...importsOf(pureLibFolders).map((p) => `!${p}`)], message: `A pure lib/ folder imports only pure folders (${pureLibFolders.join(", ")}).` },
        { group: [...uiImports, "../**"], message: "A pure lib/ folder imports other folders as @/lib/…, never app/ or components/." },
      ),
    },
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  ...layers,
  { ignores: [".next/**", ".data/**", "node_modules/**", "db/migrations/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];

export default config;
