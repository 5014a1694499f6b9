import { describe, expect, it } from "vitest";
import { emptyTotals, type TaskTypeSummary, type Totals } from "@/db/queries/analytics";
import { calibrationPoints, readinessOf, thresholdAtLowestSeen, weeklyAcceptance } from "./analytics";

const NOW = new Date("2026-03-02T12:00:00Z");

function totals(approved: number, decided: number, firstDay: string | null): Totals {
  return { ...emptyTotals(), approved, edited: decided - approved, decided, firstDay, lastDay: firstDay ? "2026-03-02" : null };
}

function summary(over: Partial<TaskTypeSummary> & { mode?: TaskTypeSummary["taskType"]["mode"]; modeSince?: Date } = {}): TaskTypeSummary {
  return {
    taskType: {
      id: "t",
      key: "ticket.tag",
      name: "Tag",
      mode: over.mode ?? "review_after_draft",
      previousMode: "review_after_draft",
      modeSince: over.modeSince ?? new Date("2026-01-01T00:00:00Z"),
      classified: true,
      reversible: true,
      dataClass: "none",
      customerFacing: false,
      confidenceThreshold: 0.8,
      amountLimit: null,
      amountCurrency: null,
      readinessOverrides: {},
      workspace: { id: "w", name: "Ops" },
    },
    range: emptyTotals(),
    sinceMode: totals(600, 605, "2026-02-02"),
    shareOverAmountLimit: null,
    ...over,
  };
}

describe("readinessOf (issue 17)", () => {
  it("counts days from the first person decision's timestamp, not its day's midnight", () => {
    // First decision 2026-02-02 18:00 → 27 days 18 hours before NOW: 27 whole days, one short of 28.
    const r = readinessOf(summary({ firstDecisionAt: new Date("2026-02-02T18:00:00Z") }), NOW);
    expect(r.days).toBe(27);
    expect(r.recommendation.kind).toBe("hold");
    expect(r.checks.find((c) => c.key === "days")?.met).toBe(false);
  });

  it("judges a flag_on_exception type on its recent window, as the step-down job does", () => {
    const s = summary({ mode: "flag_on_exception", sinceMode: totals(2977, 3000, "2025-12-15"), recent: totals(127, 150, "2026-02-17") });
    const r = readinessOf(s, NOW);
    expect(r.recommendation).toMatchObject({ kind: "step_down", reason: "below_target" });
    expect(r.window.label).toBe("in the last 14 days");
  });

  it("passes the rubber-stamp counts and the organization's exclusion through", () => {
    const r = readinessOf(summary({ firstDecisionAt: new Date("2026-02-01T00:00:00Z"), rubberStamp: { reviewers: 1, approvals: 180 }, excludeFlaggedApprovals: true }), NOW);
    expect(r.rubberStamp?.excluded).toBe(true);
    expect(r.stats.approved).toBe(420);
  });
});

describe("weeklyAcceptance", () => {
  const row = (day: string, approved: number, edited = 0) => ({ day, approved, edited, rejected: 0, autoApproved: 0, expired: 0 });

  it("leaves out the week that holds today, which isn't over", () => {
    const rows = [row("2026-02-23", 50), row("2026-02-24", 50, 1), row("2026-03-02", 3, 2)];
    expect(weeklyAcceptance(rows, "2026-03-02").map((w) => w.day)).toEqual(["2026-02-23"]);
    expect(weeklyAcceptance(rows).map((w) => w.day)).toEqual(["2026-02-23", "2026-03-02"]);
  });
});

describe("calibration", () => {
  const t = { ...emptyTotals(), confidenceDecided: [0, 0, 0, 0, 0, 10, 40, 100, 200, 262], confidenceAccepted: [0, 0, 0, 0, 0, 5, 35, 97, 198, 262] };

  it("marks the buckets below target and keeps their counts", () => {
    const points = calibrationPoints(t, 0.98);
    expect(points.filter((p) => p.belowTarget).map((p) => p.bucket)).toEqual(["0.5–0.6", "0.6–0.7", "0.7–0.8"]);
    expect(points[9]).toMatchObject({ decided: 262, belowTarget: false });
  });

  it("knows when the suggested threshold is the lowest confidence ever reviewed", () => {
    expect(thresholdAtLowestSeen(t, 0.5)).toBe(true);
    expect(thresholdAtLowestSeen(t, 0.6)).toBe(false);
    expect(thresholdAtLowestSeen(t, null)).toBe(false);
  });
});
