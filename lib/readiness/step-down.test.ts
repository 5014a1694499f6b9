import { describe, expect, it } from "vitest";
import { acceptanceStats, DEFAULT_CRITERIA, resolveCriteria } from "./criteria";
import { isBelowTarget, stepDownChecks, stepDownMode } from "./step-down";
import { wilsonInterval } from "./wilson";

const stats = (approved: number, decided: number) => acceptanceStats({ approved, edited: decided - approved, rejected: 0 });

describe("isBelowTarget", () => {
  it("needs 30 decisions: 26 of 29 (upper 96.4%) waits, 27 of 30 (upper 96.5%) steps down", () => {
    expect(isBelowTarget(stats(26, 29), DEFAULT_CRITERIA)).toBe(false);
    expect(isBelowTarget(stats(27, 30), DEFAULT_CRITERIA)).toBe(true);
  });

  it("doesn't step down on a miss the data can't confirm: 28 of 30 has an upper bound of 98.2%", () => {
    expect(isBelowTarget(stats(28, 30), DEFAULT_CRITERIA)).toBe(false);
  });

  it("is at the boundary when the upper bound equals the target", () => {
    const upper = wilsonInterval(44, 50)?.upper ?? 0; // 0.94382
    expect(isBelowTarget(stats(44, 50), resolveCriteria({ targetAcceptance: upper }))).toBe(false);
    expect(isBelowTarget(stats(44, 50), resolveCriteria({ targetAcceptance: upper + 1e-6 }))).toBe(true);
  });

  it("never with no decisions", () => {
    expect(isBelowTarget(stats(0, 0), resolveCriteria({ minAuditSample: 0 }))).toBe(false);
  });
});

describe("stepDownChecks", () => {
  it("labels the audit sample and the upper bound", () => {
    // 44 of 50: upper bound 0.9438
    expect(stepDownChecks(stats(44, 50), DEFAULT_CRITERIA).map((c) => [c.met, c.label])).toEqual([
      [true, "50 / 30 escalated and audited decisions"],
      [false, "upper bound 94.3% / 98%"],
    ]);
  });
});

describe("stepDownMode", () => {
  it.each([
    [null, "approve_before_action"],
    [undefined, "approve_before_action"],
    ["approve_before_action", "approve_before_action"],
    ["review_after_draft", "review_after_draft"],
    ["flag_on_exception", "approve_before_action"],
  ] as const)("previous %s → %s", (previousMode, mode) => {
    expect(stepDownMode({ previousMode })).toBe(mode);
  });
});
