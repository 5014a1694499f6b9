// Calling server actions over HTTP as a crafted client would: `Next-Action: <id>` and React's reply
// encoding, with whatever arguments we like (see e2e/load/README.md, "Calling a server action over HTTP").
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type ServerAction = { id: string; name: string; file: string; page: string };

/**
 * Every server action of the build, with a page that serves it: from the production build's
 * server-reference-manifest (ids change with each build). A page with a dynamic segment gets a
 * placeholder for it: the action runs before the page would render.
 */
export function serverActions(appDir = process.cwd()): ServerAction[] {
  const file = path.join(appDir, ".next/server/server-reference-manifest.json");
  if (!existsSync(file)) throw new Error(`no ${path.relative(appDir, file)}: build the app first (the e2e server builds when .next/BUILD_ID is missing)`);
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node?: Record<string, { exportedName?: string; filename?: string; workers: Record<string, unknown> }> };
  return Object.entries(manifest.node ?? {})
    .filter(([, entry]) => entry.filename?.startsWith("lib/actions/"))
    .map(([id, entry]) => {
      const workers = Object.keys(entry.workers).sort((a, b) => Number(a.includes("[")) - Number(b.includes("[")) || a.length - b.length);
      return { id, name: entry.exportedName ?? "?", file: entry.filename ?? "?", page: pageOf(workers[0]) };
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

/** `app/(app)/admin/webhooks/[id]/page` → `/admin/webhooks/00000000-…`. */
function pageOf(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => (/^\[.*\]$/.test(s) ? "00000000-0000-4000-8000-000000000000" : s));
  return `/${segments.join("/")}`;
}

const BOUNDARY = "----countersignhostile7MA4YWxkTrZu0gW";

/**
 * `action(prevState, formData)` as React encodes it: the form's fields as parts `_1_<name>` first,
 * then part `0` with the argument list `[null,"$K1"]` (the server decodes `0` as soon as it arrives).
 */
export function formCall(fields: readonly (readonly [string, string])[]): { contentType: string; body: Buffer } {
  // A browser can't put control characters, quotes or backslashes in a part's name either.
  const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name.replace(/[\u0000-\u001f\u007f"\\]/g, "_")}"\r\n\r\n${value}\r\n`;
  const body = fields.map(([name, value]) => part(`_1_${name}`, value)).join("") + part("0", '[null,"$K1"]') + `--${BOUNDARY}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: Buffer.from(body, "utf8") };
}

/** Arguments React would send as plain text: any JSON, with strings starting with `$` escaped as React escapes them. */
export function jsonCall(args: unknown): { contentType: string; body: Buffer } {
  const escaped = JSON.stringify(args, (_key, value: unknown) => (typeof value === "string" && value.startsWith("$") ? `$${value}` : value));
  return { contentType: "text/plain;charset=UTF-8", body: Buffer.from(escaped ?? "null", "utf8") };
}

export type ActionAnswer = {
  status: number;
  contentType: string;
  body: string;
  /** The action's return value, when the answer carries one. */
  result: unknown;
  hasResult: boolean;
  /** The answer's result row is an error: the action (or the framework decoding its arguments) threw. */
  threw: boolean;
  /** Where the action redirected to (`redirect()`), when it did. */
  redirect: string | null;
};

/**
 * The action's return value in an RSC answer: row 0 names it (`"a":"$@<row>"`), and that row holds
 * it as JSON, or `E{…}` when it threw. Rows are split on \n only: a value may hold U+2028.
 */
function resultOf(body: string): Pick<ActionAnswer, "result" | "hasResult" | "threw"> {
  const rows = new Map<string, string>();
  for (const [, id, row] of body.matchAll(/^([0-9a-f]+):([^\n]*)$/gm)) if (!rows.has(id)) rows.set(id, row);
  const parse = (text: string | undefined): unknown => {
    try {
      return text === undefined ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const ref = (parse(rows.get("0")) as { a?: unknown } | undefined)?.a;
  const row = typeof ref === "string" && ref.startsWith("$@") ? rows.get(ref.slice(2)) : undefined;
  if (row === undefined) return { result: undefined, hasResult: false, threw: false };
  if (row.startsWith("E")) return { result: parse(row.slice(1)), hasResult: false, threw: true };
  return { result: parse(row) ?? row, hasResult: true, threw: false };
}

/** POSTs an action call to its page and reads the action's return value from the answer. */
export async function callAction(
  baseURL: string,
  action: Pick<ServerAction, "id" | "page">,
  call: { contentType: string; body: Buffer },
  options: { cookie?: string; origin?: string; actionId?: string } = {},
): Promise<ActionAnswer> {
  const headers: Record<string, string> = { "next-action": options.actionId ?? action.id, accept: "text/x-component", "content-type": call.contentType };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const res = await fetch(new URL(action.page, baseURL), { method: "POST", headers, body: new Uint8Array(call.body), redirect: "manual", signal: AbortSignal.timeout(30_000) });
  const body = await res.text();
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", body, redirect: res.headers.get("x-action-redirect"), ...resultOf(body) };
}
