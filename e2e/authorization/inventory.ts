import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * What the app offers, read from its source and its build: every page, every method of every route
 * handler, every exported server action. The matrix spec checks its table against these lists, so a
 * new page, route or action fails the test until someone writes down who may use it.
 */

const root = process.cwd();
const appDir = path.join(root, "app");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : filesUnder(full);
    return [full];
  });
}

/** `app/(app)/admin/members/[userId]/page.tsx` → `/admin/members/[userId]`: route groups leave no trace in the URL. */
export function routePattern(segments: string[]): string {
  const kept = segments.filter((s) => !/^\(.*\)$/.test(s) && s !== "app");
  return `/${kept.join("/")}`;
}

/** Every page's URL pattern. */
export function pagePatterns(): string[] {
  return filesUnder(appDir)
    .filter((f) => path.basename(f) === "page.tsx")
    .map((f) => routePattern(path.relative(appDir, path.dirname(f)).split(path.sep).filter(Boolean)))
    .sort();
}

const methods = "GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS";

/** The HTTP methods a route module exports, in any of the forms the app uses. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(new RegExp(`export\\s+(?:async\\s+)?(?:function|const)\\s+(${methods})\\b`, "g"))) found.add(m[1]);
  for (const m of source.matchAll(/export\s+(?:const|let)\s*\{([^}]*)\}/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().split(/\s*:\s*/).pop() ?? "")) if (new RegExp(`^(${methods})$`).test(name)) found.add(name);
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of m[1].split(",").map((s) => s.trim().split(/\s+as\s+/).pop() ?? "")) if (new RegExp(`^(${methods})$`).test(name)) found.add(name);
  }
  return [...found].sort();
}

/** Every route handler as `METHOD /pattern`. */
export function routeMethods(): string[] {
  return filesUnder(appDir)
    .filter((f) => path.basename(f) === "route.ts")
    .flatMap((f) => {
      const pattern = routePattern(path.relative(appDir, path.dirname(f)).split(path.sep).filter(Boolean));
      return exportedMethods(readFileSync(f, "utf8")).map((method) => `${method} ${pattern}`);
    })
    .sort();
}

/** Every function exported from a `"use server"` module, anywhere in the app's source. */
export function serverActionNames(): string[] {
  const names: string[] = [];
  for (const dir of ["app", "lib", "components"]) {
    for (const file of filesUnder(path.join(root, dir))) {
      if (!/\.tsx?$/.test(file)) continue;
      const source = readFileSync(file, "utf8");
      if (!/^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*["']use server["']/.test(source)) continue;
      for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+(\w+)/g)) names.push(m[1]);
    }
  }
  return names.sort();
}

export type ActionEntry = { id: string; name: string; pages: string[] };

/**
 * The build's server action ids (`.next/server/server-reference-manifest.json`), with the pages that
 * import each: a call is a POST to one of those pages with `Next-Action: <id>`.
 */
export function builtActions(): Map<string, ActionEntry> {
  const file = path.join(root, ".next/server/server-reference-manifest.json");
  if (!existsSync(file)) throw new Error("No .next/server/server-reference-manifest.json: build the app first (npx next build).");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, { workers: Record<string, unknown>; exportedName?: string; name?: string }> };
  const byName = new Map<string, ActionEntry>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const name = entry.exportedName ?? entry.name ?? "";
    const pages = Object.keys(entry.workers)
      .filter((w) => w.endsWith("/page"))
      .map((w) => routePattern(w.replace(/\/page$/, "").split("/")));
    byName.set(name, { id, name, pages });
  }
  return byName;
}
