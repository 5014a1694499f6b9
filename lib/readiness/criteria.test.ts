import { describe, expect, it } from "vitest";
import { acceptanceStats, blockingFloors, daysOfData, DEFAULT_CRITERIA, resolveCriteria, stepUpChecks, taskTypeFloors, type ReadinessPolicy } from "./criteria";

const policy = (over: Partial<ReadinessPolicy> = {}): ReadinessPolicy => ({ mode: "approve_before_action", reversible: true, dataClass: "none", amountLimit: null, ...over });

describe("resolveCriteria", () => {
  it("defaults to DESIGN.md's criteria", () => {
    expect(resolveCriteria()).toEqual({ minDecisions: 500, targetAcceptance: 0.98, minDays: 28, wilsonMargin: 0.02, minThresholdSample: 100, minAuditSample: 30, amountBlockShare: 0.5, stepDownWindowDays: 14 });
  });

  it("takes a step-down window of 7 to 28 whole days, and falls back to 14 otherwise", () => {
    expect(resolveCriteria({ stepDownWindowDays: 7 }).stepDownWindowDays).toBe(7);
    expect(resolveCriteria({ stepDownWindowDays: 28 }).stepDownWindowDays).toBe(28);
    for (const bad of [6, 29, 10.5, Number.NaN]) expect(resolveCriteria({ stepDownWindowDays: bad }).stepDownWindowDays).toBe(14);
  });

  it("layers the organization's settings, then the task type's overrides", () => {
    const c = resolveCriteria({ minDecisions: 300, targetAcceptance: 0.95 }, { minDecisions: 200, minDays: 14 });
    expect(c).toMatchObject({ minDecisions: 200, targetAcceptance: 0.95, minDays: 14, wilsonMargin: 0.02 });
  });

  it("skips values it can't use instead of loosening anything", () => {
    const c = resolveCriteria(
      { wilsonMargin: Number.NaN, minAuditSample: -1 },
      { minDecisions: Number.NaN, targetAcceptance: 1.5, minDays: -3 } as never,
    );
    expect(c).toEqual(DEFAULT_CRITERIA);
    expect(resolveCriteria(null, { targetAcceptance: 0 })).toEqual(DEFAULT_CRITERIA);
    expect(resolveCriteria(null, { minDecisions: "600" } as never)).toEqual(DEFAULT_CRITERIA);
  });

  it("rounds fractional counts up, so a requirement never shrinks", () => {
    expect(resolveCriteria(null, { minDays: 27.5, minDecisions: 499.1 })).toMatchObject({ minDays: 28, minDecisions: 500 });
  });
});

describe("acceptanceStats", () => {
  it("counts an edit as not accepted", () => {
    // 600 approved, 30 edited, 10 rejected of 640: 0.9375 / 0.046875 / 0.015625
    const s = acceptanceStats({ approved: 600, edited: 30, rejected: 10 });
    expect(s).toMatchObject({ decided: 640, acceptance: 0.9375, editRate: 0.046875, rejectRate: 0.015625 });
    expect(s.interval?.lower).toBeLessThan(0.9375);
    expect(s.interval?.upper).toBeGreaterThan(0.9375);
  });

  it("has no shares at all with no decisions: null, never NaN", () => {
    expect(acceptanceStats({ approved: 0, edited: 0, rejected: 0 })).toEqual({
      decided: 0, approved: 0, edited: 0, rejected: 0, acceptance: null, editRate: null, rejectRate: null, interval: null,
    });
  });

  it("reads garbage counts as zero", () => {
    expect(acceptanceStats({ approved: Number.NaN, edited: -2, rejected: Number.POSITIVE_INFINITY }).decided).toBe(0);
  });
});

describe("daysOfData", () => {
  const day = 86_400_000;
  const now = new Date("2025-03-01T12:00:00Z");
  const ago = (days: number) => new Date(now.getTime() - days * day);

  it("counts from the later of the mode's start and its first decision", () => {
    expect(daysOfData({ modeSince: ago(60), firstDecisionAt: ago(10), now })).toBe(10);
    expect(daysOfData({ modeSince: ago(30), firstDecisionAt: ago(45), now })).toBe(30);
  });

  it("counts whole days only: 27.9 days is 27", () => {
    expect(daysOfData({ modeSince: ago(27.9), firstDecisionAt: ago(27.9), now })).toBe(27);
    expect(daysOfData({ modeSince: ago(28), firstDecisionAt: ago(28), now })).toBe(28);
  });

  it("is 0 with no decision yet, or a first decision in the future", () => {
    expect(daysOfData({ modeSince: ago(90), firstDecisionAt: null, now })).toBe(0);
    expect(daysOfData({ modeSince: ago(90), firstDecisionAt: ago(-2), now })).toBe(0);
  });
});

describe("floors", () => {
  it.each([
    [{}, [], []],
    [{ reversible: false }, ["irreversible"], ["irreversible"]],
    [{ dataClass: "phi" as const }, ["phi"], ["phi"]],
    [{ dataClass: "pii" as const }, [], []],
    [{ amountLimit: 500 }, ["amount"], []],
    [{ amountLimit: 500, shareOverAmountLimit: 0.49 }, ["amount"], []],
    [{ amountLimit: 500, shareOverAmountLimit: 0.5 }, ["amount"], ["amount"]],
    [{ amountLimit: 0, shareOverAmountLimit: 1 }, ["amount"], ["amount"]],
    [{ amountLimit: null, shareOverAmountLimit: 1 }, [], []],
    [{ amountLimit: 500, shareOverAmountLimit: Number.NaN }, ["amount"], []],
    [{ reversible: false, dataClass: "phi" as const, amountLimit: 500, shareOverAmountLimit: 0.9 }, ["irreversible", "phi", "amount"], ["irreversible", "phi", "amount"]],
  ])("%j: floors %j, blocking %j", (over, floors, blocking) => {
    expect(taskTypeFloors(policy(over))).toEqual(floors);
    expect(blockingFloors(policy(over), DEFAULT_CRITERIA)).toEqual(blocking);
  });
});

describe("stepUpChecks", () => {
  it("labels progress the way the overview shows it", () => {
    // 303 of 312 = 97.12%; Wilson lower of 303/312 = 0.9462
    const checks = stepUpChecks(acceptanceStats({ approved: 303, edited: 6, rejected: 3 }), 19, policy({ dataClass: "phi" }), DEFAULT_CRITERIA);
    expect(checks.map((c) => [c.key, c.met, c.label])).toEqual([
      ["decisions", false, "312 / 500 decisions"],
      ["acceptance", false, "97.1% / 98%"],
      ["days", false, "19 / 28 days"],
      ["lowerBound", false, "lower bound 94.6% / 96%"],
      ["floors", false, "blocked: PHI write"],
    ]);
  });

  it("says how far each criterion is", () => {
    const checks = stepUpChecks(acceptanceStats({ approved: 303, edited: 6, rejected: 3 }), 19, policy(), DEFAULT_CRITERIA);
    const gap = Object.fromEntries(checks.map((c) => [c.key, c.gap]));
    expect(gap.decisions).toBe(188);
    expect(gap.days).toBe(9);
    expect(gap.acceptance).toBeCloseTo(0.98 - 303 / 312, 12);
    expect(gap.floors).toBeNull();
  });

  it("shows the amount limit as a per-item floor when it doesn't block", () => {
    const checks = stepUpChecks(acceptanceStats({ approved: 1, edited: 0, rejected: 0 }), 1, policy({ amountLimit: 500, amountCurrency: "USD", shareOverAmountLimit: 0.1 }), DEFAULT_CRITERIA);
    expect(checks.at(-1)).toMatchObject({ met: true, label: "items over 500.00 USD stay with a person" });
  });

  it("names the share over the limit when it blocks", () => {
    const checks = stepUpChecks(acceptanceStats({ approved: 1, edited: 0, rejected: 0 }), 1, policy({ amountLimit: 500, amountCurrency: "USD", shareOverAmountLimit: 0.62 }), DEFAULT_CRITERIA);
    expect(checks.at(-1)).toMatchObject({ met: false, label: "blocked: amount limit (62.0% of items over 500.00 USD)" });
  });

  it("has nothing to measure with no decisions, and says so without NaN", () => {
    const checks = stepUpChecks(acceptanceStats({ approved: 0, edited: 0, rejected: 0 }), 0, policy(), DEFAULT_CRITERIA);
    expect(checks.map((c) => c.label)).toEqual(["0 / 500 decisions", "— / 98%", "0 / 28 days", "lower bound — / 96%", "no floor"]);
    expect(checks.filter((c) => c.met).map((c) => c.key)).toEqual(["floors"]);
  });
});
