import { describe, expect, it } from "vitest";
import { stepUpSavings } from "./savings";

describe("stepUpSavings", () => {
  it("turns the period's items into reviewer and agent-waiting hours a week (hand-checked)", () => {
    // 280 items over 28 days × 80% automated = 56 a week; × 90 s = 1.4 h; × 45 min median wait = 42 h.
    expect(stepUpSavings({ automatedShare: 0.8, periodItems: 280, periodDays: 28, meanTimeOnItemMs: 90_000, medianWaitMs: 45 * 60_000 })).toEqual({
      itemsPerWeek: 56,
      reviewerHoursPerWeek: 1.4,
      waitHoursPerWeek: 42,
    });
  });

  it("says nothing it can't measure", () => {
    expect(stepUpSavings({ automatedShare: 0.5, periodItems: 0, periodDays: 7, meanTimeOnItemMs: 1, medianWaitMs: 1 })).toBeNull();
    expect(stepUpSavings({ automatedShare: 0.5, periodItems: 70, periodDays: 7, meanTimeOnItemMs: null, medianWaitMs: Number.NaN })).toEqual({ itemsPerWeek: 35, reviewerHoursPerWeek: null, waitHoursPerWeek: null });
  });
});
