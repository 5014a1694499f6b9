import { formatCount, formatTarget } from "./format";
import { atLeast, shareOrNull, wholeCount } from "./numbers";
import type { ReadinessCriteria } from "./criteria";
import { wilsonInterval, type Interval } from "./wilson";

/**
 * The confidence threshold to suggest with a step up to `flag_on_exception`, from reviewed items that
 * carry a confidence. The rollups keep them per decile ([0, 0.1) … [0.9, 1.0]), so the candidates are
 * the decile edges 0.1 … 0.9: a threshold t automates exactly the deciles at or above it.
 */

export const CONFIDENCE_DECILES = 10;

/** The candidate thresholds, lowest first: 0.1, 0.2, …, 0.9. */
export const THRESHOLD_CANDIDATES: readonly number[] = Array.from({ length: CONFIDENCE_DECILES - 1 }, (_, i) => (i + 1) / 10);

/** Reviewed items by confidence and what they cost to review, over one period. */
export type Calibration = {
  /** Human decisions per confidence decile, as `daily_rollups.confidence_decided` keeps them. */
  decided: readonly number[];
  /** Of those, approved unchanged (`daily_rollups.confidence_accepted`). */
  accepted: readonly number[];
  /** Items submitted in the period, with or without a confidence. */
  totalItems: number;
  /** Length of the period in days, to turn its items into items a week. */
  periodDays: number;
  /** Mean time a reviewer spends on an item; null when not measured. */
  meanTimeOnItemMs: number | null;
  /**
   * All human decisions in the period, with or without a confidence. When given, the items without
   * one — which always escalate (`missing_confidence`) — are taken out of the automated share.
   */
  decidedTotal?: number | null;
};

export type ThresholdSuggestion =
  | {
      threshold: number;
      /** Reviewed items at or above the threshold, and how many of them were approved unchanged. */
      decided: number;
      accepted: number;
      acceptance: number;
      interval: Interval;
      /** Share of all items that would pass without a person. */
      automatedShare: number;
      /** Null when the period's volume or length isn't known. */
      automatedPerWeek: number | null;
      /** Null when time on item isn't measured. */
      minutesSavedPerWeek: number | null;
      reason: null;
    }
  | { threshold: null; reason: string };

type Decile = { decided: number; accepted: number };

/** The ten deciles as whole counts, a missing entry as 0 and accepted capped at decided. */
function readDeciles(calibration: Pick<Calibration, "decided" | "accepted">): Decile[] {
  return Array.from({ length: CONFIDENCE_DECILES }, (_, i) => {
    const decided = wholeCount(calibration.decided[i]);
    return { decided, accepted: Math.min(decided, wholeCount(calibration.accepted[i])) };
  });
}

/** Totals of the deciles from `from` up: the items a threshold of from/10 would let through. */
function tail(deciles: Decile[], from: number): Decile {
  return deciles.slice(from).reduce((sum, d) => ({ decided: sum.decided + d.decided, accepted: sum.accepted + d.accepted }), { decided: 0, accepted: 0 });
}

type Bar = Pick<ReadinessCriteria, "targetAcceptance" | "wilsonMargin" | "minThresholdSample">;

/**
 * Whether the items at or above a threshold meet the target as the step-up itself must: at least
 * `minThresholdSample` of them (and at least one), observed acceptance ≥ target, and the Wilson lower
 * bound ≥ target − margin.
 */
export function meetsTarget(items: Decile, bar: Bar): boolean {
  const interval = wilsonInterval(items.accepted, items.decided);
  if (interval === null || items.decided < Math.max(1, bar.minThresholdSample)) return false;
  return atLeast(items.accepted / items.decided, bar.targetAcceptance) && atLeast(interval.lower, bar.targetAcceptance - bar.wilsonMargin);
}

/**
 * Share of all items a threshold would automate: its share of the reviewed items that carry a
 * confidence, times the share of items that carry one at all (when `decidedTotal` says), times the share
 * under the amount limit (items over it go to a person whatever their confidence; treated as
 * independent of confidence, which is why the page says "about").
 */
function automatedShare(atOrAbove: number, withConfidence: number, calibration: Calibration, shareOverAmountLimit: number | null): number {
  const total = wholeCount(calibration.decidedTotal);
  const coverage = total > 0 ? Math.min(1, withConfidence / total) : 1;
  return (atOrAbove / withConfidence) * coverage * (1 - (shareOverAmountLimit ?? 0));
}

/** Items a week at a share of the period's volume; null when volume or period length is unusable. */
function perWeek(share: number, calibration: Calibration): number | null {
  const days = calibration.periodDays;
  if (typeof days !== "number" || !Number.isFinite(days) || days <= 0) return null;
  return (wholeCount(calibration.totalItems) * share * 7) / days;
}

function minutesFor(items: number | null, meanTimeOnItemMs: number | null): number | null {
  if (items === null || typeof meanTimeOnItemMs !== "number" || !Number.isFinite(meanTimeOnItemMs) || meanTimeOnItemMs < 0) return null;
  return (items * meanTimeOnItemMs) / 60_000;
}

/** Why no threshold qualifies, as a fragment that completes "No confidence threshold can be suggested yet: …". */
function noThresholdReason(deciles: Decile[], bar: Bar): string {
  const withConfidence = tail(deciles, 0).decided;
  if (withConfidence === 0) return "no reviewed items carry a confidence";
  const widest = tail(deciles, 1).decided;
  const needed = formatCount(Math.max(1, bar.minThresholdSample));
  if (widest < Math.max(1, bar.minThresholdSample)) return `only ${formatCount(widest)} reviewed items have a confidence of 0.1 or more, and a threshold needs ${needed}`;
  return `no threshold from 0.1 to 0.9 has at least ${needed} reviewed items at or above it meeting the ${formatTarget(bar.targetAcceptance)} target`;
}

/**
 * The candidate index to use instead of `index` so that the threshold sits on the lowest decile anyone
 * actually reviewed: empty deciles just above a qualifying threshold add no evidence, and a threshold
 * under them would automate confidences no person has ever seen reviewed. Same items, higher threshold.
 */
function firstReviewed(deciles: Decile[], index: number): number {
  let i = index;
  while (i < THRESHOLD_CANDIDATES.length - 1 && deciles[i + 1].decided === 0) i++;
  return i;
}

/**
 * The lowest threshold whose reviewed items at or above it meet the target (see `meetsTarget`), with
 * the share of items it would automate and the review minutes a week that saves (automated items a
 * week × mean time on item). The lowest, because it automates the most; each candidate is checked on
 * its own set, so the suggestion always meets the bar even when acceptance isn't monotone in confidence.
 * It is then raised past empty deciles (see `firstReviewed`), which keeps the same items.
 * `{ threshold: null, reason }` when none qualifies.
 */
export function suggestThreshold(calibration: Calibration, bar: Bar, shareOverAmountLimit: number | null = null): ThresholdSuggestion {
  const deciles = readDeciles(calibration);
  const lowest = THRESHOLD_CANDIDATES.findIndex((_, i) => meetsTarget(tail(deciles, i + 1), bar));
  if (lowest === -1) return { threshold: null, reason: noThresholdReason(deciles, bar) };
  const index = firstReviewed(deciles, lowest);
  const items = tail(deciles, index + 1);
  const share = automatedShare(items.decided, tail(deciles, 0).decided, calibration, shareOrNull(shareOverAmountLimit));
  const automatedPerWeek = perWeek(share, calibration);
  return {
    threshold: THRESHOLD_CANDIDATES[index],
    decided: items.decided,
    accepted: items.accepted,
    acceptance: items.accepted / items.decided,
    interval: wilsonInterval(items.accepted, items.decided) as Interval,
    automatedShare: share,
    automatedPerWeek,
    minutesSavedPerWeek: minutesFor(automatedPerWeek, calibration.meanTimeOnItemMs),
    reason: null,
  };
}
