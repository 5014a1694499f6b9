import { rubberStampSignal, type RubberStampSignal } from "@/lib/readiness";
import { approvalsUnder } from "@/lib/data/rollup-buckets";

/**
 * The reviewers view of analytics, built from reviewer rollup totals: one row per reviewer × task type
 * with what they decided and how fast they approved, and decisions per day per reviewer for the
 * throughput chart. Pure, so the page and the tests read the same numbers.
 */

export type ReviewerTotals = {
  reviewerId: string;
  reviewerName: string;
  reviewerEmail: string;
  taskTypeKey: string;
  taskTypeName: string;
  approved: number;
  edited: number;
  rejected: number;
  timeOnItemMsSum: number;
  approvalTimeBuckets: number[];
};

export type ReviewerRow = {
  reviewerId: string;
  reviewer: string;
  email: string;
  taskTypeKey: string;
  taskType: string;
  decided: number;
  /** Approved unchanged ÷ decided; null with nothing decided. */
  acceptance: number | null;
  editRate: number | null;
  rejectRate: number | null;
  /** Mean time on item per decision, in ms; null with nothing decided. */
  meanTimeMs: number | null;
  signal: RubberStampSignal;
};

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Rows at rubber-stamp risk first, then by how much each person decided. */
export function reviewerRows(totals: readonly ReviewerTotals[], fastSeconds: number): ReviewerRow[] {
  return totals
    .map((t) => {
      const decided = t.approved + t.edited + t.rejected;
      return {
        reviewerId: t.reviewerId,
        reviewer: t.reviewerName,
        email: t.reviewerEmail,
        taskTypeKey: t.taskTypeKey,
        taskType: t.taskTypeName,
        decided,
        acceptance: share(t.approved, decided),
        editRate: share(t.edited, decided),
        rejectRate: share(t.rejected, decided),
        meanTimeMs: decided === 0 ? null : t.timeOnItemMsSum / decided,
        signal: rubberStampSignal({ approvals: t.approved, fastApprovals: approvalsUnder(t.approvalTimeBuckets, fastSeconds * 1000) }, { fastSeconds }),
      };
    })
    .sort((a, b) => Number(b.signal.atRisk) - Number(a.signal.atRisk) || b.decided - a.decided || a.reviewer.localeCompare(b.reviewer));
}

export const OTHERS = "Others";

/**
 * Decisions per day (every day of the range, zeros included) with one series per reviewer: the `top`
 * busiest by name, the rest summed as "Others". Names are made unique, so two people called the same
 * don't merge.
 */
export function throughputSeries(
  days: readonly { reviewerId: string; day: string; decided: number }[],
  reviewers: ReadonlyMap<string, string>,
  range: { from: string; to: string },
  top = 6,
): { series: string[]; points: Record<string, number | string>[] } {
  const totals = new Map<string, number>();
  for (const d of days) totals.set(d.reviewerId, (totals.get(d.reviewerId) ?? 0) + d.decided);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ranked.slice(0, top)) {
    const base = reviewers.get(id) ?? "Former member";
    let name = base;
    for (let n = 2; used.has(name) || name === OTHERS; n++) name = `${base} (${n})`;
    used.add(name);
    names.set(id, name);
  }
  const series = [...names.values(), ...(ranked.length > top ? [OTHERS] : [])];
  const byDay = new Map<string, Record<string, number | string>>();
  for (let t = Date.parse(range.from); t <= Date.parse(range.to); t += 24 * 3600_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    byDay.set(day, Object.fromEntries([["day", day], ...series.map((s) => [s, 0])]));
  }
  for (const d of days) {
    const point = byDay.get(d.day);
    if (!point) continue;
    const key = names.get(d.reviewerId) ?? OTHERS;
    point[key] = (point[key] as number) + d.decided;
  }
  return { series, points: [...byDay.values()] };
}
