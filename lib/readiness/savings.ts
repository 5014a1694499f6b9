import { shareOrNull, wholeCount } from "./numbers";

/**
 * What stepping up would save, from the chosen period's figures: the review time of the items that
 * would no longer go to a person, and the time agents spend waiting for those items' decisions. Both
 * are estimates at the suggested threshold's automated share (the page says "about").
 */

export type StepUpSavingsInput = {
  /** Share of all items the suggested threshold would automate. */
  automatedShare: number;
  /** Items that reached an end in the period, and the period's length in days. */
  periodItems: number;
  periodDays: number;
  /** Mean time a reviewer spent on an item in the period; null when not measured. */
  meanTimeOnItemMs: number | null;
  /** Median time from arrival to a person's decision in the period; null without decisions. */
  medianWaitMs: number | null;
};

export type StepUpSavings = {
  /** Items a week that would no longer wait for a person. */
  itemsPerWeek: number;
  /** Reviewer hours a week; null without a measured time on item. */
  reviewerHoursPerWeek: number | null;
  /** Agent waiting hours a week (median time to decision × items no longer waiting); null without decisions. */
  waitHoursPerWeek: number | null;
};

const HOUR_MS = 3_600_000;

const finiteNonNegative = (v: number | null): number | null => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null);

/** Null when the period has no length or no items to extrapolate from. */
export function stepUpSavings(input: StepUpSavingsInput): StepUpSavings | null {
  const share = shareOrNull(input.automatedShare);
  const items = wholeCount(input.periodItems);
  const days = input.periodDays;
  if (share === null || items === 0 || typeof days !== "number" || !Number.isFinite(days) || days <= 0) return null;
  const itemsPerWeek = (items * share * 7) / days;
  const mean = finiteNonNegative(input.meanTimeOnItemMs);
  const median = finiteNonNegative(input.medianWaitMs);
  return {
    itemsPerWeek,
    reviewerHoursPerWeek: mean === null ? null : (itemsPerWeek * mean) / HOUR_MS,
    waitHoursPerWeek: median === null ? null : (itemsPerWeek * median) / HOUR_MS,
  };
}
