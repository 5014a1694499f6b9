import { describe, expect, it } from "vitest";
import { formatAboutPercent, formatCount, formatInterval, formatMeasured, formatPercent, formatReviewTime, formatShortfall, formatTarget, plural } from "./format";

describe("formatting", () => {
  it("measured shares have one decimal; targets drop a trailing .0", () => {
    expect(formatPercent(0.971)).toBe("97.1%");
    expect(formatPercent(0.98)).toBe("98.0%");
    expect(formatTarget(0.98)).toBe("98%");
    expect(formatTarget(0.975)).toBe("97.5%");
    expect(formatTarget(0.9755)).toBe("97.55%");
    expect(formatInterval({ lower: 0.9781, upper: 0.9949 })).toBe("97.8–99.5%");
  });

  it("a miss never reads as meeting the requirement", () => {
    expect(formatShortfall(0.97996)).toBe("97.9%");
    expect(formatShortfall(0.9799999)).toBe("97.9%");
    expect(formatShortfall(0.971)).toBe("97.1%");
    expect(formatShortfall(0.57)).toBe("57.0%");
    expect(formatMeasured(0.97996, 0.98, false)).toBe("97.9%");
    expect(formatMeasured(0.98, 0.98, true)).toBe("98.0%");
    expect(formatMeasured(0.9754, 0.9754, true)).toBe("97.54%");
    expect(formatMeasured(0.9986, 0.98, true)).toBe("99.9%");
    expect(formatMeasured(null, 0.98, false)).toBe("—");
  });

  it("counts, plurals, loose shares and review time", () => {
    expect(formatCount(1204)).toBe("1,204");
    expect(plural(1, "day", "days")).toBe("1 day");
    expect(plural(41, "day", "days")).toBe("41 days");
    expect(formatAboutPercent(0.7132)).toBe("about 71%");
    expect(formatAboutPercent(0.003)).toBe("less than 1%");
    expect(formatAboutPercent(0)).toBe("about 0%");
    expect(formatReviewTime(45)).toBe("about 45 review minutes");
    expect(formatReviewTime(1)).toBe("about 1 review minute");
    expect(formatReviewTime(59.6)).toBe("about 1 review hour");
    expect(formatReviewTime(845)).toBe("about 14 review hours");
  });
});
