import { diffFields, type FieldChange } from "@/lib/data/diff";

/**
 * How an audit entry reads in the viewer and its CSV export: the before/after diff most changes carry,
 * the other scalar facts in a line, and whether it loosened a floor (with the written justification).
 * Pure, so the page, the export and their tests agree.
 */

export type AuditSummary = {
  changes: FieldChange[];
  /** "key: delivery.reschedule · reason: …" — the entry's other scalar facts. */
  facts: string[];
  floorLoosened: { justification: string | null; loosened: string[] } | null;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `timeOnItemMs` → "time on item ms": keys read as words. */
export function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_.]+/g, " ")
    .toLowerCase();
}

export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  if (value === null) return "none";
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.length === 0 ? "none" : value.join(", ");
  return JSON.stringify(value);
}

const FACT_LIMIT = 160;
const clip = (s: string) => (s.length > FACT_LIMIT ? `${s.slice(0, FACT_LIMIT - 1)}…` : s);

/** `{ field: { from, to } }` (or `{ before, after }`) per field, as policy edits record their changes. */
function fieldChanges(changes: unknown): FieldChange[] {
  if (!isPlainObject(changes)) return [];
  return Object.entries(changes).flatMap(([path, c]) => {
    if (!isPlainObject(c)) return [];
    if ("from" in c || "to" in c) return [{ path, before: c.from, after: c.to }];
    if ("before" in c || "after" in c) return [{ path, before: c.before, after: c.after }];
    return [];
  });
}

/**
 * The changes an entry records, in the two shapes the app writes: a `before`/`after` pair of objects
 * (settings, roles, modes), or a `changes` map of fields (task type policies).
 */
export function summarizeAudit(data: Record<string, unknown>): AuditSummary {
  const paired = isPlainObject(data.before) || isPlainObject(data.after) ? diffFields(isPlainObject(data.before) ? data.before : {}, isPlainObject(data.after) ? data.after : {}) : [];
  const changes = [...paired, ...fieldChanges(data.changes)];
  const shown = new Set(["before", "after", "changes", "floorLoosened", "justification", "loosened"]);
  const facts = Object.entries(data)
    .filter(([key, value]) => !shown.has(key) && value !== null && value !== undefined && !isPlainObject(value))
    .filter(([, value]) => !Array.isArray(value) || value.every((v) => typeof v !== "object"))
    .map(([key, value]) => clip(`${humanKey(key)}: ${formatValue(value)}`));
  const floorLoosened =
    data.floorLoosened === true
      ? {
          justification: typeof data.justification === "string" && data.justification.trim() ? data.justification : null,
          loosened: Array.isArray(data.loosened) ? data.loosened.filter((l): l is string => typeof l === "string") : [],
        }
      : null;
  return { changes, facts, floorLoosened };
}

/** One line for the CSV export: the changes, then the facts. */
export function summaryLine(data: Record<string, unknown>): string {
  const s = summarizeAudit(data);
  const parts = [
    ...(s.floorLoosened ? [`FLOOR LOOSENED${s.floorLoosened.loosened.length ? ` (${s.floorLoosened.loosened.join("; ")})` : ""} — justification: ${s.floorLoosened.justification ?? "(none given)"}`] : []),
    ...s.changes.map((c) => `${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`),
    ...s.facts,
  ];
  return parts.join("; ");
}

export type AuditActorView = { kind: "user"; id: string; name: string | null; email: string | null } | { kind: "key"; id: string; name: string | null } | { kind: "system" };

/** Who did it, for people: a member's name, an API key's name, or the system (the worker). */
export function actorLabel(actor: AuditActorView): string {
  if (actor.kind === "user") return actor.name ?? actor.email ?? "Former member";
  if (actor.kind === "key") return actor.name ? `API key “${actor.name}”` : "Deleted API key";
  return "System";
}
