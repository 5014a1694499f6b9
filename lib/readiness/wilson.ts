import { wholeCount } from "./numbers";

/** Φ⁻¹(0.975): the normal quantile of a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** A closed interval of shares, 0 ≤ lower ≤ upper ≤ 1. */
export type Interval = { lower: number; upper: number };

/**
 * The 95% Wilson score interval for `successes` out of `trials`. Unlike the textbook p ± z·√(p(1−p)/n)
 * it stays inside [0, 1] and doesn't collapse to a point at 0/n or n/n, which is why readiness uses it:
 * 10 of 10 accepted says "somewhere above 72%", not "100%".
 *
 * No trials, no interval: null rather than {0, 1}, so nothing renders "0–100%" as if it were a
 * measurement. Counts are read as whole non-negative numbers and successes are capped at trials.
 * The result is clamped so that lower ≤ successes/trials ≤ upper holds despite rounding.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z95): Interval | null {
  const n = wholeCount(trials);
  if (n === 0) return null;
  const k = Math.min(wholeCount(successes), n);
  const p = k / n;
  const z2 = z * z;
  const denominator = n + z2;
  const center = (k + z2 / 2) / denominator;
  // k(n−k)/n is n·p(1−p) without the rounding of p.
  const halfWidth = (z * Math.sqrt((k * (n - k)) / n + z2 / 4)) / denominator;
  return {
    lower: Math.min(p, Math.max(0, center - halfWidth)),
    upper: Math.max(p, Math.min(1, center + halfWidth)),
  };
}
