/**
 * Small numeric guards shared by the readiness modules. Inputs come from rollups and admin settings,
 * so a count may arrive as NaN, negative or fractional; these turn such values into something the math
 * can't be fooled by, and keep NaN out of every output.
 */

/**
 * Tolerance for "at least" comparisons of shares. 0.98 − 0.02 is not exactly 0.96 in binary floating
 * point, and an observed 490/500 must pass a 98% target: a difference this small is representation
 * noise, never a real shortfall (one decision in a billion).
 */
export const EPSILON = 1e-9;

/** A count as a whole non-negative number: NaN, ±Infinity and negatives are 0, fractions round down. */
export function wholeCount(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/** A share in [0, 1], or null when it isn't a finite number. */
export function shareOrNull(value: unknown): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  return Math.min(1, Math.max(0, value));
}

/** `part / whole`, or null when there is no whole to divide by. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Whether a measured share reaches a required one, forgiving only floating-point noise. */
export function atLeast(actual: number, required: number): boolean {
  return actual >= required - EPSILON;
}
