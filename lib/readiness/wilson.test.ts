import { describe, expect, it } from "vitest";
import { wilsonInterval, Z95 } from "./wilson";

// Hand-checked with z² = 3.841458820694124 (z = 1.959963984540054):
//   center = (k + z²/2) / (n + z²),  half = z·√(k(n−k)/n + z²/4) / (n + z²).
// Closed forms at the edges: k = n gives lower = n / (n + z²); k = 0 gives upper = z² / (n + z²).

describe("wilsonInterval", () => {
  it("490 of 500: DESIGN.md's 'about 96.4%'", () => {
    // center = 491.9207294 / 503.8414588 = 0.9763403; half = 1.959964 · √(9.8 + 0.9603647) / 503.8414588
    //        = 1.959964 · 3.2802995 / 503.8414588 = 0.0127605 → [0.9635798, 0.9891008]
    const interval = wilsonInterval(490, 500);
    expect(interval?.lower).toBeCloseTo(0.96358, 5);
    expect(interval?.upper).toBeCloseTo(0.98910, 5);
  });

  it("50 of 100: symmetric about one half", () => {
    // center = 0.5; half = 1.959964 · √(25 + 0.9603647) / 103.8414588 = 0.0961685 → [0.4038315, 0.5961685]
    const interval = wilsonInterval(50, 100);
    expect(interval?.lower).toBeCloseTo(0.40383, 5);
    expect(interval?.upper).toBeCloseTo(0.59617, 5);
  });

  it("0 of 10: lower is 0, upper z²/(10 + z²) = 3.8414588 / 13.8414588 = 0.2775328", () => {
    expect(wilsonInterval(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(0.277533, 6) });
  });

  it("10 of 10: lower 10/(10 + z²) = 0.7224672, upper 1 — not the point estimate 100%", () => {
    expect(wilsonInterval(10, 10)).toEqual({ lower: expect.closeTo(0.722467, 6), upper: 1 });
  });

  it("1 of 1: lower 1/(1 + z²) = 1 / 4.8414588 = 0.2065493", () => {
    expect(wilsonInterval(1, 1)).toEqual({ lower: expect.closeTo(0.206549, 6), upper: 1 });
  });

  it("49 of 50 (98% on a small sample) has a lower bound far under 96%", () => {
    // center = 50.9207294 / 53.8414588 = 0.9457529; half = 1.959964 · √(0.98 + 0.9603647) / 53.8414588 = 0.0507074
    expect(wilsonInterval(49, 50)?.lower).toBeCloseTo(0.895046, 5);
  });

  it("no trials, no interval", () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(wilsonInterval(5, 0)).toBeNull();
  });

  it("reads counts as whole non-negative numbers and caps successes at trials", () => {
    expect(wilsonInterval(Number.NaN, 10)).toEqual(wilsonInterval(0, 10));
    expect(wilsonInterval(-3, 10)).toEqual(wilsonInterval(0, 10));
    expect(wilsonInterval(12, 10)).toEqual(wilsonInterval(10, 10));
    expect(wilsonInterval(9.7, 10.2)).toEqual(wilsonInterval(9, 10));
    expect(wilsonInterval(1, Number.POSITIVE_INFINITY)).toBeNull();
    expect(wilsonInterval(1, -4)).toBeNull();
  });

  it("is a mirror image under swapping successes and failures", () => {
    const a = wilsonInterval(37, 120);
    const b = wilsonInterval(83, 120);
    expect(a?.lower).toBeCloseTo(1 - (b?.upper ?? 0), 12);
    expect(a?.upper).toBeCloseTo(1 - (b?.lower ?? 0), 12);
  });

  it("uses the 97.5th normal percentile", () => {
    expect(Z95).toBeCloseTo(1.96, 2);
  });
});
