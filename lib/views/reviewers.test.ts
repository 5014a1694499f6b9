import { describe, expect, it } from "vitest";
import { OTHERS, reviewerRows, throughputSeries, type ReviewerTotals } from "./reviewers";

const totals = (over: Partial<ReviewerTotals>): ReviewerTotals => ({
  reviewerId: "r1",
  reviewerName: "Riley",
  reviewerEmail: "riley@acme.test",
  taskTypeKey: "ticket.tag",
  taskTypeName: "Tag tickets",
  approved: 0,
  edited: 0,
  rejected: 0,
  timeOnItemMsSum: 0,
  approvalTimeBuckets: [0, 0, 0, 0, 0],
  ...over,
});

describe("reviewerRows", () => {
  it("computes rates, mean time and the rubber-stamp signal for the chosen seconds, at-risk rows first", () => {
    const careful = totals({ reviewerId: "c", reviewerName: "Casey", approved: 30, edited: 6, rejected: 4, timeOnItemMsSum: 40 * 45_000, approvalTimeBuckets: [0, 2, 8, 10, 10] });
    const stamper = totals({ reviewerId: "s", reviewerName: "Sam", approved: 20, timeOnItemMsSum: 20 * 3_000, approvalTimeBuckets: [6, 8, 6, 0, 0] });
    const rows = reviewerRows([careful, stamper], 5);
    expect(rows.map((r) => r.reviewer)).toEqual(["Sam", "Casey"]);
    expect(rows[0]).toMatchObject({ decided: 20, acceptance: 1, editRate: 0, meanTimeMs: 3_000 });
    // 6 + 8 of 20 approvals under 5 s: 70% ≥ 50% of at least 20 approvals.
    expect(rows[0].signal).toMatchObject({ fastApprovals: 14, atRisk: true, label: "14 of 20 approvals under 5 s (70.0%)" });
    expect(rows[1]).toMatchObject({ decided: 40, acceptance: 0.75, editRate: 0.15, rejectRate: 0.1, meanTimeMs: 45_000 });
    expect(rows[1].signal).toMatchObject({ fastApprovals: 2, atRisk: false });
    // Under 2 s, Sam's 6 of 20 is 30%: below the 50% line.
    expect(reviewerRows([stamper], 2)[0].signal).toMatchObject({ fastApprovals: 6, atRisk: false });
    // Under 10 s, Casey's 10 of 30 (33%) still isn't a stamp.
    expect(reviewerRows([careful], 10)[0].signal).toMatchObject({ fastApprovals: 10, atRisk: false });
  });

  it("reads an empty row as no rates rather than zero", () => {
    const [row] = reviewerRows([totals({})], 5);
    expect(row).toMatchObject({ decided: 0, acceptance: null, editRate: null, rejectRate: null, meanTimeMs: null });
    expect(row.signal.atRisk).toBe(false);
  });
});

describe("throughputSeries", () => {
  const range = { from: "2026-11-01", to: "2026-11-03" };

  it("fills every day of the range and keeps the busiest reviewers by name, the rest as Others", () => {
    const days = [
      { reviewerId: "a", day: "2026-11-01", decided: 5 },
      { reviewerId: "b", day: "2026-11-01", decided: 2 },
      { reviewerId: "c", day: "2026-11-03", decided: 1 },
      { reviewerId: "a", day: "2026-11-03", decided: 4 },
    ];
    const names = new Map([
      ["a", "Ada"],
      ["b", "Bo"],
      ["c", "Cy"],
    ]);
    const { series, points } = throughputSeries(days, names, range, 2);
    expect(series).toEqual(["Ada", "Bo", OTHERS]);
    expect(points).toEqual([
      { day: "2026-11-01", Ada: 5, Bo: 2, Others: 0 },
      { day: "2026-11-02", Ada: 0, Bo: 0, Others: 0 },
      { day: "2026-11-03", Ada: 4, Bo: 0, Others: 1 },
    ]);
  });

  it("keeps two people with the same name apart, and names a removed member", () => {
    const days = [
      { reviewerId: "a", day: "2026-11-02", decided: 3 },
      { reviewerId: "b", day: "2026-11-02", decided: 2 },
      { reviewerId: "gone", day: "2026-11-02", decided: 1 },
    ];
    const { series, points } = throughputSeries(days, new Map([["a", "Alex"], ["b", "Alex"]]), range);
    expect(series).toEqual(["Alex", "Alex (2)", "Former member"]);
    expect(points[1]).toEqual({ day: "2026-11-02", Alex: 3, "Alex (2)": 2, "Former member": 1 });
  });
});
