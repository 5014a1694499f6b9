import { describe, expect, it } from "vitest";
import { rubberStampSignal, rubberStampSignals } from "./reviewers";

describe("rubberStampSignal", () => {
  it("flags half or more of at least 20 approvals under 5 seconds", () => {
    expect(rubberStampSignal({ approvals: 20, fastApprovals: 10 })).toEqual({ approvals: 20, fastApprovals: 10, fastShare: 0.5, atRisk: true, label: "10 of 20 approvals under 5 s (50.0%)" });
    expect(rubberStampSignal({ approvals: 20, fastApprovals: 9 }).atRisk).toBe(false);
    expect(rubberStampSignal({ approvals: 19, fastApprovals: 19 }).atRisk).toBe(false);
  });

  it("takes N, the minimum and the share as options", () => {
    const s = rubberStampSignal({ approvals: 10, fastApprovals: 3 }, { fastSeconds: 3, minApprovals: 10, riskShare: 0.3 });
    expect(s).toMatchObject({ atRisk: true, label: "3 of 10 approvals under 3 s (30.0%)" });
  });

  it("has no share with no approvals, and caps fast at all", () => {
    expect(rubberStampSignal({ approvals: 0, fastApprovals: 0 })).toMatchObject({ fastShare: null, atRisk: false, label: "0 of 0 approvals under 5 s" });
    expect(rubberStampSignal({ approvals: 30, fastApprovals: 45 })).toMatchObject({ fastApprovals: 30, fastShare: 1 });
    expect(rubberStampSignal({ approvals: Number.NaN, fastApprovals: 4 })).toMatchObject({ approvals: 0, fastApprovals: 0, atRisk: false });
  });
});

describe("rubberStampSignals", () => {
  it("keeps the caller's fields beside each signal", () => {
    const rows = [
      { reviewerId: "r1", taskTypeKey: "refund.issue", approvals: 40, fastApprovals: 30 },
      { reviewerId: "r2", taskTypeKey: "refund.issue", approvals: 40, fastApprovals: 2 },
    ];
    expect(rubberStampSignals(rows).map((r) => [r.reviewerId, r.signal.atRisk])).toEqual([
      ["r1", true],
      ["r2", false],
    ]);
  });
});
