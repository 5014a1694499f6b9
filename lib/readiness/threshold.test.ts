import { describe, expect, it } from "vitest";
import { DEFAULT_CRITERIA } from "./criteria";
import { suggestThreshold, THRESHOLD_CANDIDATES, type Calibration } from "./threshold";

const calibration = (decided: number[], accepted: number[], over: Partial<Calibration> = {}): Calibration => ({
  decided,
  accepted,
  totalItems: 360,
  periodDays: 28,
  meanTimeOnItemMs: 120_000,
  ...over,
});

// Deciles 0.6–0.9 hold 50, 50, 100, 100 reviewed items with 38, 49, 99, 100 accepted:
//   ≥ 0.9: 100/100 = 100%, Wilson lower 100/103.84 = 0.9630 ✓
//   ≥ 0.8: 199/200 = 99.5%, lower 0.9722 ✓
//   ≥ 0.7: 248/250 = 99.2%, lower 0.9713 ✓
//   ≥ 0.6: 286/300 = 95.3% ✗ (and below 0.6 nothing more was reviewed, so the same ✗)
// → 0.7, automating 250 / 300 = 5/6 of items carrying a confidence. 360 items in 28 days at 5/6 is
// 300 in 4 weeks, 75 a week; at 2 minutes each that is 150 review minutes a week.
const decided = [0, 0, 0, 0, 0, 0, 50, 50, 100, 100];
const accepted = [0, 0, 0, 0, 0, 0, 38, 49, 99, 100];

describe("suggestThreshold", () => {
  it("offers the decile edges 0.1 … 0.9", () => {
    expect(THRESHOLD_CANDIDATES).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it("picks the lowest threshold whose items meet the target, with its share and savings (hand-checked)", () => {
    const s = suggestThreshold(calibration(decided, accepted), DEFAULT_CRITERIA);
    expect(s).toMatchObject({ threshold: 0.7, decided: 250, accepted: 248, acceptance: 0.992, reason: null });
    if (s.threshold === null) throw new Error("expected a threshold");
    expect(s.automatedShare).toBeCloseTo(5 / 6, 12);
    expect(s.automatedPerWeek).toBeCloseTo(75, 9);
    expect(s.minutesSavedPerWeek).toBeCloseTo(150, 9);
    expect(s.interval.lower).toBeCloseTo(0.97131, 5);
  });

  it("needs at least 100 items at or above the threshold: 99 don't qualify, 100 do", () => {
    const only = (n: number) => calibration([0, 0, 0, 0, 0, 0, 0, 0, 0, n], [0, 0, 0, 0, 0, 0, 0, 0, 0, n]);
    expect(suggestThreshold(only(99), DEFAULT_CRITERIA)).toEqual({
      threshold: null,
      reason: "only 99 reviewed items have a confidence of 0.1 or more, and a threshold needs 100",
    });
    expect(suggestThreshold(only(100), DEFAULT_CRITERIA).threshold).toBe(0.9);
  });

  it("never sits below the lowest confidence anyone reviewed", () => {
    // Everything reviewed is at 0.3 or at 0.9+: 0.1 and 0.2 would qualify on the same items, but would
    // automate confidences nobody has seen reviewed.
    const s = suggestThreshold(calibration([0, 0, 0, 1, 0, 0, 0, 0, 0, 150], [0, 0, 0, 1, 0, 0, 0, 0, 0, 150]), DEFAULT_CRITERIA);
    expect(s.threshold).toBe(0.3);
  });

  it("checks each candidate on its own items, so a bad middle decile is skipped, not averaged away", () => {
    // ≥ 0.5 includes a decile at 50%: 600 + 100 → 650/700 = 92.9% ✗; ≥ 0.6: 600/600 ✓.
    const s = suggestThreshold(calibration([0, 0, 0, 0, 0, 100, 200, 200, 100, 100], [0, 0, 0, 0, 0, 50, 200, 200, 100, 100]), DEFAULT_CRITERIA);
    expect(s.threshold).toBe(0.6);
  });

  it("holds the suggestion to the Wilson margin as well as the target", () => {
    // 98/100 = 98% meets the target, but its lower bound 0.9300 is under 96%.
    const s = suggestThreshold(calibration([0, 0, 0, 0, 0, 0, 0, 0, 0, 100], [0, 0, 0, 0, 0, 0, 0, 0, 0, 98]), DEFAULT_CRITERIA);
    expect(s).toEqual({ threshold: null, reason: "no threshold from 0.1 to 0.9 has at least 100 reviewed items at or above it meeting the 98% target" });
  });

  it("says so when no item carries a confidence", () => {
    expect(suggestThreshold(calibration(Array(10).fill(0), Array(10).fill(0)), DEFAULT_CRITERIA)).toEqual({ threshold: null, reason: "no reviewed items carry a confidence" });
  });

  it("leaves out items without a confidence and items over the amount limit", () => {
    // 300 of 400 decisions carry a confidence (coverage 3/4), 20% of items are over the limit:
    // 5/6 × 3/4 × 4/5 = 1/2.
    const s = suggestThreshold(calibration(decided, accepted, { decidedTotal: 400 }), DEFAULT_CRITERIA, 0.2);
    expect(s.threshold === null ? null : s.automatedShare).toBeCloseTo(0.5, 12);
  });

  it("has no savings without a measured time on item or a period", () => {
    const s = suggestThreshold(calibration(decided, accepted, { meanTimeOnItemMs: null }), DEFAULT_CRITERIA);
    expect(s).toMatchObject({ threshold: 0.7, minutesSavedPerWeek: null });
    expect(suggestThreshold(calibration(decided, accepted, { periodDays: 0 }), DEFAULT_CRITERIA)).toMatchObject({ automatedPerWeek: null, minutesSavedPerWeek: null });
  });

  it("reads short, negative and impossible buckets safely", () => {
    // accepted over decided is capped; missing entries are 0.
    const s = suggestThreshold(calibration([-5, Number.NaN, 0, 0, 0, 0, 0, 0, 0, 120], [0, 0, 0, 0, 0, 0, 0, 0, 0, 500]), DEFAULT_CRITERIA);
    expect(s).toMatchObject({ threshold: 0.9, decided: 120, accepted: 120 });
    expect(suggestThreshold(calibration([], []), DEFAULT_CRITERIA).threshold).toBeNull();
  });
});
