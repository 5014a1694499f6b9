import { describe, expect, it } from "vitest";
import { evaluateReadiness, wilsonInterval, type Calibration, type ReadinessInput, type ReadinessPolicy } from "./index";

const strict: ReadinessPolicy = { mode: "approve_before_action", reversible: true, dataClass: "none", amountLimit: null };
const unattended: ReadinessPolicy = { ...strict, mode: "flag_on_exception", previousMode: "approve_before_action" };

const evaluate = (over: Omit<Partial<ReadinessInput>, "policy"> & { policy?: Partial<ReadinessPolicy> } = {}) =>
  evaluateReadiness({ days: 41, counts: { approved: 605, edited: 5, rejected: 2 }, ...over, policy: { ...strict, ...over.policy } });

/** 490 of `n` approved unchanged, the rest edited: exactly 98% at n = 500. */
const counts = (approved: number, decided: number) => ({ approved, edited: decided - approved, rejected: 0 });

// 650 items over 41 days, 602 of the 612 with a confidence at ≥ 0.6 (all ≥ 0.6 deciles together:
// 592/602 = 98.3%, Wilson lower 0.9698 ✓; ≥ 0.5 adds 10 at 50%: 597/612 = 97.5% ✗).
// Automated: 602/612 = 98.4%; 650 × 0.9837 × 7/41 = 109.2 items a week × 1.5 min = 163.8 min ≈ 3 h.
const calibration: Calibration = {
  decided: [0, 0, 0, 0, 0, 10, 40, 100, 200, 262],
  accepted: [0, 0, 0, 0, 0, 5, 35, 97, 198, 262],
  totalItems: 650,
  periodDays: 41,
  meanTimeOnItemMs: 90_000,
};

describe("evaluateReadiness: stepping up", () => {
  it("recommends flag_on_exception when every criterion is met, in one sentence (hand-checked)", () => {
    // 605/612 = 98.86%; Wilson: center (605 + 1.9207)/615.8415 = 0.98553, half 0.00853 → 97.7–99.4%
    const r = evaluate({ calibration });
    expect(r.recommendation).toEqual({ kind: "step_up", toMode: "flag_on_exception", confidenceThreshold: 0.6 });
    expect(r.sentence).toBe(
      "Ready: 612 decisions over 41 days, 98.9% accepted (95% CI 97.7–99.4%). Step to flag-on-exception at confidence ≥ 0.6: about 98% of items would pass automatically, saving about 3 review hours a week.",
    );
  });

  it("steps up from review_after_draft too", () => {
    expect(evaluate({ policy: { mode: "review_after_draft" } }).recommendation.kind).toBe("step_up");
  });

  it("steps up without a threshold when none can be suggested, and says why", () => {
    const r = evaluate({ calibration: { ...calibration, decided: Array(10).fill(0), accepted: Array(10).fill(0) } });
    expect(r.recommendation).toEqual({ kind: "step_up", toMode: "flag_on_exception", confidenceThreshold: null });
    expect(r.sentence).toMatch(/Step to flag-on-exception; no confidence threshold can be suggested yet: no reviewed items carry a confidence\.$/);
  });

  it("keeps items over the amount limit with a person, and says so", () => {
    const r = evaluate({ policy: { amountLimit: 500, amountCurrency: "USD", shareOverAmountLimit: 0.1 }, calibration });
    expect(r.recommendation.kind).toBe("step_up");
    expect(r.floors).toEqual(["amount"]);
    expect(r.blockedBy).toEqual([]);
    // 0.9837 × 0.9 = 88.5%
    expect(r.sentence).toContain("about 89% of items would pass automatically");
    expect(r.sentence).toMatch(/Items over 500\.00 USD stay with a person\.$/);
  });
});

describe("evaluateReadiness: boundaries", () => {
  it("exactly 500 decisions at exactly 98% over exactly 28 days passes", () => {
    // 490/500: lower bound 0.96358 ≥ 0.96
    expect(evaluate({ counts: counts(490, 500), days: 28 }).recommendation.kind).toBe("step_up");
  });

  it("499 decisions fail on decisions alone", () => {
    // 490/499 = 98.2%, lower bound 0.9661
    const r = evaluate({ counts: counts(490, 499), days: 28 });
    expect(r.recommendation).toMatchObject({ kind: "hold", missing: [expect.objectContaining({ key: "decisions", gap: 1, label: "499 / 500 decisions" })] });
    expect(r.sentence).toBe("Not yet: 499 / 500 decisions.");
  });

  it("27 days fail on days alone", () => {
    const r = evaluate({ counts: counts(490, 500), days: 27 });
    expect(r.recommendation).toMatchObject({ kind: "hold", missing: [expect.objectContaining({ key: "days", gap: 1 })] });
    expect(r.sentence).toBe("Not yet: 27 / 28 days.");
  });

  it("97.8% fails on acceptance alone", () => {
    // 489/500: lower bound 0.96104 still passes
    const r = evaluate({ counts: counts(489, 500), days: 28 });
    expect(r.recommendation).toMatchObject({ kind: "hold", missing: [expect.objectContaining({ key: "acceptance" })] });
    expect(r.sentence).toBe("Not yet: 97.8% / 98% accepted.");
  });

  it("the Wilson margin guards a lowered minimum: 98% of 350 fails, 98% of 400 passes", () => {
    // 343/350: lower 0.95930 < 0.96; 392/400: lower 0.96104 ≥ 0.96
    const small = evaluate({ counts: counts(343, 350), overrides: { minDecisions: 300 } });
    expect(small.recommendation).toMatchObject({ kind: "hold", missing: [expect.objectContaining({ key: "lowerBound" })] });
    expect(small.sentence).toBe("Not yet: 95% CI lower bound 95.9% / 96%.");
    expect(evaluate({ counts: counts(392, 400), overrides: { minDecisions: 300 } }).recommendation.kind).toBe("step_up");
  });

  it("passes with the lower bound exactly at target − margin, fails just under it", () => {
    const lower = wilsonInterval(490, 500)?.lower ?? 0; // 0.9635798
    expect(evaluate({ counts: counts(490, 500), criteria: { wilsonMargin: 0.98 - lower } }).recommendation.kind).toBe("step_up");
    expect(evaluate({ counts: counts(490, 500), criteria: { wilsonMargin: 0.98 - lower - 1e-6 } }).recommendation.kind).toBe("hold");
  });

  it("uses the task type's overrides over the organization's criteria", () => {
    const r = evaluate({ counts: counts(196, 200), days: 10, criteria: { minDecisions: 1000 }, overrides: { minDecisions: 150, minDays: 7, targetAcceptance: 0.95 } });
    expect(r.criteria).toMatchObject({ minDecisions: 150, minDays: 7, targetAcceptance: 0.95 });
    expect(r.recommendation.kind).toBe("step_up");
  });
});

describe("evaluateReadiness: floors", () => {
  it.each([
    [{ dataClass: "phi" as const }, "Blocked: PHI write — a person always approves first."],
    [{ reversible: false }, "Blocked: irreversible — a person always approves first."],
    [{ reversible: false, dataClass: "phi" as const, amountLimit: 10, shareOverAmountLimit: 0.9 }, "Blocked: irreversible, PHI write — a person always approves first."],
  ])("%j blocks a step up however good the numbers", (policy, sentence) => {
    const r = evaluate({ policy, counts: counts(10_000, 10_000), days: 365, calibration });
    expect(r.recommendation).toMatchObject({ kind: "hold", missing: [expect.objectContaining({ key: "floors" })] });
    expect(r.threshold).toBeNull();
    expect(r.sentence).toBe(sentence);
  });

  it("blocks on the amount limit when most items are over it", () => {
    const r = evaluate({ policy: { amountLimit: 500, amountCurrency: "USD", shareOverAmountLimit: 0.62 } });
    expect(r.recommendation).toMatchObject({ kind: "hold", blockedBy: ["amount"] });
    expect(r.checks.at(-1)?.label).toBe("blocked: amount limit (62.0% of items over 500.00 USD)");
    expect(r.sentence).toBe("Blocked: 62.0% of items are over 500.00 USD and always go to a person, so flag-on-exception would automate little.");
  });

  it("steps a flag_on_exception type with a hard floor back, whatever its audits say", () => {
    const r = evaluate({ policy: { ...unattended, dataClass: "phi" }, counts: counts(1000, 1000) });
    expect(r.recommendation).toEqual({ kind: "step_down", toMode: "approve_before_action", reason: "floor" });
    expect(r.sentence).toBe("Step back to approve-before-action: PHI write — a person always approves first.");
  });
});

describe("evaluateReadiness: flag_on_exception", () => {
  it("steps back to the previous mode when audits are conclusively below target", () => {
    // 44/50 = 88.0%; Wilson 76.2–94.4%
    const r = evaluate({ policy: { ...unattended, previousMode: "review_after_draft" }, counts: { approved: 44, edited: 4, rejected: 2 } });
    expect(r.recommendation).toEqual({ kind: "step_down", toMode: "review_after_draft", reason: "below_target" });
    expect(r.sentence).toBe("Step back to review-after-draft: 88.0% of 50 escalated and audited decisions since flag-on-exception began accepted (95% CI 76.2–94.4%), below the 98% target.");
  });

  it("is healthy with audits at target", () => {
    // 118/120 = 98.3%
    const r = evaluate({ policy: unattended, counts: counts(118, 120) });
    expect(r.recommendation).toEqual({ kind: "none" });
    expect(r.threshold).toBeNull();
    expect(r.sentence).toMatch(/^Healthy: 98\.3% of 120 escalated and audited decisions since flag-on-exception began accepted \(95% CI /);
  });

  it("watches a miss the data can't confirm yet", () => {
    // 96/100 = 96.0%, upper 98.4% ≥ 98%
    const r = evaluate({ policy: unattended, counts: counts(96, 100) });
    expect(r.recommendation).toEqual({ kind: "none" });
    expect(r.sentence).toMatch(/^Watch: 96\.0% of 100 escalated and audited decisions since flag-on-exception began accepted, below the 98% target but not conclusively \(95% CI 90\.\d–98\.4%\)\.$/);
  });

  it("waits for enough audits", () => {
    const r = evaluate({ policy: unattended, counts: counts(5, 13) });
    expect(r.recommendation).toEqual({ kind: "none" });
    expect(r.sentence).toBe("Not enough recent reviews to judge: 13 / 30 escalated and audited decisions since flag-on-exception began.");
    expect(r.status.word).toBe("Not enough recent reviews");
  });

  it("isn't stepped down for a share over the amount limit: each of those items already goes to a person", () => {
    const r = evaluate({ policy: { ...unattended, amountLimit: 100, shareOverAmountLimit: 0.9 }, counts: counts(200, 200) });
    expect(r.recommendation).toEqual({ kind: "none" });
    expect(r.blockedBy).toEqual([]);
  });
});

describe("evaluateReadiness: empty data", () => {
  it("holds with everything missing and no NaN anywhere", () => {
    const r = evaluate({ counts: { approved: 0, edited: 0, rejected: 0 }, days: 0, calibration: { ...calibration, decided: [], accepted: [], totalItems: 0 } });
    expect(r.recommendation).toMatchObject({ kind: "hold", blockedBy: [] });
    if (r.recommendation.kind !== "hold") throw new Error("expected hold");
    expect(r.recommendation.missing.map((c) => c.key)).toEqual(["decisions", "acceptance", "days", "lowerBound"]);
    expect(r.stats).toMatchObject({ acceptance: null, editRate: null, rejectRate: null, interval: null });
    expect(r.sentence).toBe("Not yet: no decisions in this mode; needs 500 decisions over 28 days at 98% accepted.");
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });

  it("shows the issue's 'short of decisions' example", () => {
    // 303/312 = 97.1%, lower bound 94.6%
    const r = evaluate({ counts: { approved: 303, edited: 6, rejected: 3 }, days: 19 });
    expect(r.sentence).toBe("Not yet: 312 / 500 decisions, 97.1% / 98% accepted, 19 / 28 days, 95% CI lower bound 94.6% / 96%.");
  });
});

describe("evaluateReadiness: the recent window (issue 17)", () => {
  it("steps down on 127 of 150 in the window although 76 healthy days before it still pass", () => {
    // Since the mode began: 3,000 decisions at 99.2% (healthy); the last 14 days: 127/150 = 84.7%, upper 89.3%.
    const r = evaluate({ policy: { ...unattended, previousMode: "review_after_draft" }, counts: counts(2977, 3000), recent: counts(127, 150) });
    expect(r.recommendation).toEqual({ kind: "step_down", toMode: "review_after_draft", reason: "below_target" });
    expect(r.window).toEqual({ kind: "recent", days: 14, label: "in the last 14 days" });
    expect(r.stats.decided).toBe(150);
    expect(r.sinceMode.decided).toBe(3000);
    expect(r.sentence).toContain("84.6% of 150 escalated and audited decisions in the last 14 days accepted");
  });

  it("uses the organization's window length in the label", () => {
    expect(evaluate({ policy: unattended, counts: counts(300, 300), recent: counts(40, 40), criteria: { stepDownWindowDays: 7 } }).window.label).toBe("in the last 7 days");
  });

  it("is 'Not enough recent reviews', not healthy, with 0 of 30 in the window", () => {
    const r = evaluate({ policy: unattended, counts: counts(1000, 1000), recent: counts(0, 0) });
    expect(r.recommendation).toEqual({ kind: "none" });
    expect(r.status).toEqual({ word: "Not enough recent reviews", tone: "warning" });
    expect(r.sentence).toBe("Not enough recent reviews to judge: 0 / 30 escalated and audited decisions in the last 14 days.");
  });

  it("labels the strict modes' window with the mode and its age", () => {
    const r = evaluate({ policy: { mode: "review_after_draft" }, modeAgeDays: 20 });
    expect(r.window).toEqual({ kind: "since_mode", days: 20, label: "since review-after-draft began 20 days ago" });
  });

  it("says 'Blocked' for a floored type, not 'Not yet'", () => {
    expect(evaluate({ policy: { dataClass: "phi" } }).status).toEqual({ word: "Blocked", tone: "destructive" });
    expect(evaluate({ counts: counts(10, 10) }).status.word).toBe("Not yet");
  });
});

describe("evaluateReadiness: rubber-stamped approvals (issue 17)", () => {
  it("warns with the flagged reviewers' share of acceptances, and keeps counting them by default", () => {
    const r = evaluate({ counts: counts(600, 605), rubberStamp: { reviewers: 1, approvals: 180 } });
    expect(r.rubberStamp).toMatchObject({ reviewers: 1, approvals: 180, excluded: false, sentence: "1 reviewer's approvals look rubber-stamped: 30% of this type's acceptances." });
    expect(r.stats.approved).toBe(600);
    expect(r.recommendation.kind).toBe("step_up");
  });

  it("leaves them out of acceptance when the organization says so", () => {
    const r = evaluate({ counts: counts(600, 605), rubberStamp: { reviewers: 2, approvals: 180 }, excludeFlaggedApprovals: true });
    expect(r.stats).toMatchObject({ approved: 420, decided: 425 });
    expect(r.rubberStamp?.sentence).toBe("2 reviewers' approvals look rubber-stamped: 30% of this type's acceptances, left out of acceptance.");
    expect(r.recommendation.kind).toBe("hold");
  });

  it("has no warning without flagged reviewers", () => {
    expect(evaluate({ rubberStamp: { reviewers: 0, approvals: 0 } }).rubberStamp).toBeNull();
  });
});
