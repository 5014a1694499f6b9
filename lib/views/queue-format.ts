/** Display helpers for the queue and item pages. Times are computed against a `now` the server passes down, so server and client render the same text. */

const MINUTE = 60_000;

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / MINUTE));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 && hours < 10 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export type SlaState = { label: string; state: "overdue" | "due_soon" | "on_track" | "none" };

export function slaState(slaDueAt: string | null, now: Date): SlaState {
  if (!slaDueAt) return { label: "No SLA", state: "none" };
  const left = new Date(slaDueAt).getTime() - now.getTime();
  if (left < 0) return { label: `Overdue ${formatDuration(-left)}`, state: "overdue" };
  return { label: `Due in ${formatDuration(left)}`, state: left < 30 * MINUTE ? "due_soon" : "on_track" };
}

/**
 * The SLA line of an item that no longer waits: whether it was decided within its SLA, never a
 * countdown ("Due in …") for something already decided, expired or cancelled.
 */
export function slaAfterDecision(slaDueAt: string | null, endedAt: string | null): SlaState {
  if (!slaDueAt) return { label: "No SLA", state: "none" };
  if (!endedAt) return { label: "No longer waiting", state: "none" };
  const late = new Date(endedAt).getTime() - new Date(slaDueAt).getTime();
  if (late > 0) return { label: late < MINUTE ? "Decided just after its SLA" : `Decided ${formatDuration(late)} after its SLA`, state: "overdue" };
  return { label: "Decided within its SLA", state: "on_track" };
}

export function formatAmount(amount: { value: number; currency: string } | null): string {
  if (!amount) return "—";
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: amount.currency }).format(amount.value);
  } catch {
    return `${amount.value.toFixed(2)} ${amount.currency}`;
  }
}

export const priorityLabel: Record<string, string> = { urgent: "Urgent", high: "High", normal: "Normal", low: "Low" };

const timeFormat = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", timeZone: "UTC", timeZoneName: "short" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => `${dateTimeFormat.format(new Date(iso))} UTC`;

/** One leaf of an action or evidence object, as the item page lists it. */
export type FieldRow = { key: string; path: string; label: string; raw: boolean; value: unknown };

// Keys that read the same humanized as they are: anything else (a dot, "›", a space…) could pass for another path.
const plainKey = /^[A-Za-z0-9_-]+$/;

/**
 * An object's leaves as label/value rows, nested objects as paths: `orderId` reads "Order id" and
 * `patient.mrn` "Patient › Mrn". A path with a key that isn't plain is shown raw, its odd keys quoted
 * (`"refund.amount"`), so a key with a dot in it can't pass for a nested field (`refund › amount`).
 */
export function fieldRows(value: Record<string, unknown>, parents: string[] = []): FieldRow[] {
  return Object.entries(value).flatMap(([key, v]) => {
    const segments = [...parents, key];
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0) return fieldRows(v as Record<string, unknown>, segments);
    const raw = !segments.every((s) => plainKey.test(s));
    const path = segments.map((s) => (plainKey.test(s) ? s : JSON.stringify(s))).join(".");
    return [{ key: JSON.stringify(segments), path, label: raw ? path : segments.map(humanize).join(" › "), raw, value: v }];
  });
}

function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z0-9])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
