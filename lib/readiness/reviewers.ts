import { formatCount, formatPercent } from "./format";
import { atLeast, ratio, wholeCount } from "./numbers";

/**
 * Rubber-stamp risk: a reviewer who approves most items of a task type within seconds is probably not
 * reading the evidence, and their approvals inflate the acceptance that readiness relies on. The caller
 * counts, per reviewer × task type, approvals (unchanged; an edit isn't a stamp) and how many of them
 * came less than `fastSeconds` after the item was opened.
 */

export type RubberStampOptions = {
  /** What counts as fast; only used in labels, the caller counts with the same N. */
  fastSeconds: number;
  /** Approvals needed before a reviewer is judged at all, so three quick approvals don't flag anyone. */
  minApprovals: number;
  /** Share of fast approvals from which the reviewer is flagged. */
  riskShare: number;
};

/** Flagged when at least half of at least 20 approvals took under 5 seconds. */
export const DEFAULT_RUBBER_STAMP: RubberStampOptions = { fastSeconds: 5, minApprovals: 20, riskShare: 0.5 };

export type ReviewerApprovals = { approvals: number; fastApprovals: number };

export type RubberStampSignal = {
  approvals: number;
  fastApprovals: number;
  /** Fast ÷ all approvals; null with no approvals. */
  fastShare: number | null;
  atRisk: boolean;
  /** "14 of 20 approvals under 5 s (70.0%)". */
  label: string;
};

/** The signal for one reviewer × task type, from counts read as whole numbers (fast capped at all). */
export function rubberStampSignal(row: ReviewerApprovals, options: Partial<RubberStampOptions> = {}): RubberStampSignal {
  const fastSeconds = options.fastSeconds ?? DEFAULT_RUBBER_STAMP.fastSeconds;
  const minApprovals = options.minApprovals ?? DEFAULT_RUBBER_STAMP.minApprovals;
  const riskShare = options.riskShare ?? DEFAULT_RUBBER_STAMP.riskShare;
  const approvals = wholeCount(row.approvals);
  const fastApprovals = Math.min(approvals, wholeCount(row.fastApprovals));
  const fastShare = ratio(fastApprovals, approvals);
  const atRisk = fastShare !== null && approvals >= Math.max(1, minApprovals) && atLeast(fastShare, riskShare);
  const share = fastShare === null ? "" : ` (${formatPercent(fastShare)})`;
  return { approvals, fastApprovals, fastShare, atRisk, label: `${formatCount(fastApprovals)} of ${formatCount(approvals)} approvals under ${fastSeconds} s${share}` };
}

/** The signal for each row, keeping the caller's own fields (reviewer, task type) beside it. */
export function rubberStampSignals<T extends ReviewerApprovals>(rows: readonly T[], options: Partial<RubberStampOptions> = {}): (T & { signal: RubberStampSignal })[] {
  return rows.map((row) => ({ ...row, signal: rubberStampSignal(row, options) }));
}
