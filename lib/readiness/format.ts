/**
 * How readiness numbers read on the page and in the recommendation sentence. Measured shares get one
 * decimal ("97.1%"); configured targets drop a trailing ".0" ("98%", "97.5%"); "about" figures are whole.
 * Deterministic (en-US digit grouping whatever the server's locale), so labels are stable in tests.
 */

/** A share as a percentage with `digits` decimals: 0.971 → "97.1%". */
export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A configured target as a percentage without useless zeros: 0.98 → "98%", 0.975 → "97.5%", 0.9755 → "97.55%". */
export function formatTarget(share: number): string {
  return `${Number((share * 100).toFixed(2))}%`;
}

/**
 * A measured share that falls short of a requirement, rounded down to one decimal so that a miss
 * never reads as a pass: 0.97996 against 98% is "97.9%", not "98.0%". (The 1e-6 per mille forgives
 * binary noise such as 0.971 × 1000 = 970.999….)
 */
export function formatShortfall(actual: number): string {
  return `${(Math.floor(actual * 1000 + 1e-6) / 10).toFixed(1)}%`;
}

/**
 * A measured share against a requirement: one decimal, rounded down when it misses, and with a second
 * decimal when rounding would make a pass read as a miss (97.54% against a 97.54% target).
 */
export function formatMeasured(actual: number | null, required: number, met: boolean): string {
  if (actual === null) return "—";
  if (!met) return formatShortfall(actual);
  return Number((actual * 100).toFixed(1)) < Number((required * 100).toFixed(2)) ? formatPercent(actual, 2) : formatPercent(actual);
}

/** A whole count with digit grouping: 1204 → "1,204". */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US", { maximumFractionDigits: 0 });
}

/** An interval as "97.8–99.5%". */
export function formatInterval(interval: { lower: number; upper: number }): string {
  return `${(interval.lower * 100).toFixed(1)}–${formatPercent(interval.upper)}`;
}

/** A share said loosely: "about 71%", or "less than 1%" rather than a misleading "about 0%". */
export function formatAboutPercent(share: number): string {
  const whole = Math.round(share * 100);
  return whole === 0 && share > 0 ? "less than 1%" : `about ${whole}%`;
}

/** Review time a week said loosely: "about 45 review minutes", "about 1 review hour", "about 14 review hours". */
export function formatReviewTime(minutes: number): string {
  if (Math.round(minutes) < 60) {
    const whole = Math.round(minutes);
    return `about ${whole} review ${whole === 1 ? "minute" : "minutes"}`;
  }
  const hours = Math.round(minutes / 60);
  return `about ${formatCount(hours)} review ${hours === 1 ? "hour" : "hours"}`;
}

/** A plural noun: "1 day", "41 days". */
export function plural(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
