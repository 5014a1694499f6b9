/**
 * The histograms a daily rollup keeps, so analytics read a few rows per task type and day instead of
 * scanning decisions: confidence deciles (how acceptance varies with the agent's confidence) and the
 * time from an item's arrival to its decision (for medians). Shared by the writers (decisions, seed)
 * and the readers (analytics), so both agree on the bucket edges.
 */

const MINUTE = 60_000;

/** Upper edges of the time-to-decision buckets; the last bucket (over 3 days) is open-ended. */
export const LATENCY_EDGES_MS = [1, 5, 15, 30, 60, 120, 240, 480, 1440, 4320].map((m) => m * MINUTE);
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;

/** 0-based bucket of a time to decision. */
export function latencyBucket(ms: number): number {
  const i = LATENCY_EDGES_MS.findIndex((edge) => ms < edge);
  return i === -1 ? LATENCY_EDGES_MS.length : i;
}

/** 0-based decile of a confidence: [0, 0.1) is 0, …, [0.9, 1.0] is 9. */
export function confidenceDecile(confidence: number): number {
  return Math.min(9, Math.max(0, Math.floor(confidence * 10)));
}

/** An array of `length` zeros with a one at `index` (null index: all zeros), for adding to a histogram. */
export function oneAt(length: number, index: number | null): number[] {
  return Array.from({ length }, (_, i) => (i === index ? 1 : 0));
}

/**
 * The median time to decision estimated from the histogram: the bucket holding the middle decision,
 * interpolated linearly inside it (the open last bucket answers its lower edge). Null when empty.
 */
export function medianLatencyMs(counts: readonly number[]): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const middle = total / 2;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] > 0 && seen + counts[i] >= middle) {
      const lower = i === 0 ? 0 : LATENCY_EDGES_MS[i - 1];
      if (i >= LATENCY_EDGES_MS.length) return lower;
      return lower + ((middle - seen) / counts[i]) * (LATENCY_EDGES_MS[i] - lower);
    }
    seen += counts[i];
  }
  return null;
}

/**
 * Upper edges of the time-on-item buckets kept for unchanged approvals per reviewer; the last bucket
 * (30 s or more) is open-ended. "Approved in under N seconds" can be read for each edge.
 */
export const APPROVAL_TIME_EDGES_MS = [2_000, 5_000, 10_000, 30_000];
export const APPROVAL_TIME_BUCKETS = APPROVAL_TIME_EDGES_MS.length + 1;

/** 0-based bucket of an approval's time on item (a missing time counts as instant: it can't prove care). */
export function approvalTimeBucket(ms: number | null): number {
  const i = APPROVAL_TIME_EDGES_MS.findIndex((edge) => (ms ?? 0) < edge);
  return i === -1 ? APPROVAL_TIME_EDGES_MS.length : i;
}

/** How many approvals of a bucket histogram took less than `edgeMs` (which must be one of the edges). */
export function approvalsUnder(counts: readonly number[], edgeMs: number): number {
  const last = APPROVAL_TIME_EDGES_MS.indexOf(edgeMs);
  if (last === -1) throw new RangeError(`${edgeMs} ms is not an approval-time edge`);
  return counts.slice(0, last + 1).reduce((a, b) => a + b, 0);
}
