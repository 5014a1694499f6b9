/**
 * Values as PostgreSQL stores and hands them back, computed without asking it. A submission answers
 * with the row it wrote; building that answer from the values sent (instead of `returning` them) is
 * what lets the whole write be one statement, and these keep the answer byte for byte what a later
 * read of the row gives. Pure; checked against both databases in db/queries/submissions.test.ts.
 */

const NON_ASCII = /[^\x00-\x7f]/;

/** jsonb orders object keys by length in UTF-8 bytes, then bytewise (JSON.parse already kept the last of duplicate keys). */
function compareJsonbKeys(a: string, b: string): number {
  if (!NON_ASCII.test(a) && !NON_ASCII.test(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length - y.length || Buffer.compare(x, y);
}

/** A JSON value with its objects' keys in jsonb's order. */
export function asJsonb<T>(value: T): T {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => asJsonb(v)) as T;
  // fromEntries defines own properties, so even a "__proto__" key stays a key.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareJsonbKeys(a, b))
      .map(([k, v]) => [k, asJsonb(v)]),
  ) as T;
}

/**
 * The text a `numeric(p, scale)` column holds for a non-negative JS number sent as `String(value)`:
 * rounded half away from zero in decimal, as PostgreSQL rounds (not as `toFixed` rounds the binary value).
 */
export function asNumeric(value: number, scale: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError("asNumeric takes a finite, non-negative number");
  const [mantissa, exponent = "0"] = String(value).split("e");
  const [whole, fraction = ""] = mantissa.split(".");
  // Shift the decimal point by the exponent: digits with `point` digits before it.
  const digits = whole + fraction;
  let point = whole.length + Number(exponent);
  let padded = digits;
  if (point < 0) {
    padded = "0".repeat(-point) + padded;
    point = 0;
  }
  padded = padded.padEnd(point + scale + 1, "0");
  const kept = BigInt(padded.slice(0, point + scale) || "0") + (padded[point + scale] >= "5" ? 1n : 0n);
  const text = kept.toString().padStart(scale + 1, "0");
  return scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
}

const LONE_SURROGATE = /[\ud800-\udfff]/;

/** A string as a text column holds it: lone UTF-16 surrogates become U+FFFD when encoded as UTF-8. */
export function asText(value: string): string;
export function asText(value: string | null | undefined): string | null;
export function asText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return LONE_SURROGATE.test(value) ? Buffer.from(value, "utf8").toString("utf8") : value;
}
