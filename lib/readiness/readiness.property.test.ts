import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { acceptanceStats, evaluateReadiness, meetsTarget, resolveCriteria, suggestThreshold, THRESHOLD_CANDIDATES, wilsonInterval, type Calibration, type ReadinessInput, type ReadinessPolicy } from "./index";

// Hostile on purpose, as in lib/policy: counts may be NaN, negative, fractional or infinite, settings
// out of range, buckets short or long. Properties must hold for all of it.

const modes = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const;
const hostile = fc.constantFrom(Number.NaN, -1, 0.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e12);
const count = fc.oneof({ weight: 6, arbitrary: fc.nat({ max: 3000 }) }, { weight: 1, arbitrary: hostile });
const share = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), hostile);

const policyArb: fc.Arbitrary<ReadinessPolicy> = fc.record({
  mode: fc.constantFrom(...modes),
  previousMode: fc.option(fc.constantFrom(...modes), { nil: null }),
  reversible: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  dataClass: fc.constantFrom("none", "pii", "financial", "none", "pii", "phi"),
  amountLimit: fc.option(fc.oneof(fc.integer({ min: 0, max: 5000 }), hostile), { nil: null }),
  amountCurrency: fc.option(fc.constantFrom("USD", "EUR", ""), { nil: null }),
  shareOverAmountLimit: fc.option(share, { nil: null }),
});

const countsArb = fc.record({ approved: count, edited: count, rejected: count });
/** Mostly-accepted counts, so that step-ups and healthy audits are common enough to be exercised. */
const goodCountsArb = fc.record({ approved: fc.integer({ min: 0, max: 5000 }), edited: fc.integer({ min: 0, max: 40 }), rejected: fc.integer({ min: 0, max: 20 }) });

const bucketsArb = fc.array(count, { minLength: 0, maxLength: 12 });
const calibrationArb: fc.Arbitrary<Calibration> = fc.record({
  decided: bucketsArb,
  accepted: bucketsArb,
  totalItems: count,
  periodDays: fc.oneof(fc.integer({ min: 1, max: 120 }), hostile),
  meanTimeOnItemMs: fc.option(fc.oneof(fc.integer({ min: 0, max: 600_000 }), hostile), { nil: null }),
  decidedTotal: fc.option(count, { nil: null }),
});
/** Well-formed deciles with high acceptance at high confidence, so suggestions are common. */
const goodBucketsArb = fc.array(fc.tuple(fc.nat({ max: 400 }), fc.double({ min: 0.8, max: 1, noNaN: true })), { minLength: 10, maxLength: 10 }).map((deciles) => ({
  decided: deciles.map(([d]) => d),
  accepted: deciles.map(([d, rate], i) => Math.round(d * Math.min(1, rate + i * 0.03))),
}));

const anyInputArb: fc.Arbitrary<ReadinessInput> = fc.record({
  policy: policyArb,
  counts: fc.oneof(countsArb, goodCountsArb),
  days: fc.oneof(fc.nat({ max: 400 }), hostile),
  // Mostly the defaults, so that step-ups are common; sometimes settings of any kind.
  criteria: fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.record({ minDecisions: count, targetAcceptance: share, wilsonMargin: share, minAuditSample: count, amountBlockShare: share }, { requiredKeys: [] }) },
  ),
  overrides: fc.option(fc.record({ minDecisions: count, targetAcceptance: share, minDays: count }, { requiredKeys: [] }), { nil: null }),
  calibration: fc.option(fc.oneof(calibrationArb, goodBucketsArb.map((b) => ({ ...b, totalItems: 1000, periodDays: 30, meanTimeOnItemMs: 60_000 }))), { nil: null }),
});

/** Close to the step-up boundaries: default criteria, 450+ decisions mostly accepted, 20–60 days. */
const nearReadyArb: fc.Arbitrary<ReadinessInput> = fc.record({
  policy: policyArb.map((p) => ({ ...p, mode: p.mode === "flag_on_exception" ? "approve_before_action" : p.mode })),
  counts: fc.record({ approved: fc.integer({ min: 450, max: 3000 }), edited: fc.integer({ min: 0, max: 15 }), rejected: fc.integer({ min: 0, max: 10 }) }),
  days: fc.integer({ min: 20, max: 60 }),
  calibration: fc.option(goodBucketsArb.map((b) => ({ ...b, totalItems: 1000, periodDays: 30, meanTimeOnItemMs: 60_000 })), { nil: null }),
});

const inputArb = fc.oneof(anyInputArb, nearReadyArb);

/** Every number reachable in a value, with its path, for the "no NaN anywhere" property. */
function numbers(value: unknown, path = "$"): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbers(v, `${path}[${i}]`));
  if (typeof value === "object" && value !== null) return Object.entries(value).flatMap(([k, v]) => numbers(v, `${path}.${k}`));
  return [];
}

const inUnit = (x: number) => x >= 0 && x <= 1;

describe("readiness properties", () => {
  it("never targets flag_on_exception for an irreversible or PHI task type", () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom({ reversible: false }, { dataClass: "phi" as const }), (input, floor) => {
        const r = evaluateReadiness({ ...input, policy: { ...input.policy, ...floor } });
        expect(r.recommendation.kind).not.toBe("step_up");
        if (r.recommendation.kind === "step_down") expect(r.recommendation.toMode).not.toBe("flag_on_exception");
        if (input.policy.mode === "flag_on_exception") expect(r.recommendation).toMatchObject({ kind: "step_down", reason: "floor" });
        expect(r.threshold).toBeNull();
      }),
    );
  });

  it("steps up only from a strict mode, with every check met and no blocking floor", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = evaluateReadiness(input);
        if (r.recommendation.kind === "step_up") {
          expect(input.policy.mode).not.toBe("flag_on_exception");
          expect(r.checks.every((c) => c.met)).toBe(true);
          expect(r.blockedBy).toEqual([]);
        }
        if (r.recommendation.kind === "step_down") expect(r.recommendation.toMode).not.toBe("flag_on_exception");
      }),
    );
  });

  it("never steps up while most items are over the amount limit", () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0.5, max: 1, noNaN: true }), (input, over) => {
        const r = evaluateReadiness({ ...input, criteria: null, policy: { ...input.policy, mode: "approve_before_action", amountLimit: 500, shareOverAmountLimit: over } });
        expect(r.recommendation.kind).toBe("hold");
        expect(r.blockedBy).toContain("amount");
      }),
    );
  });

  it("keeps acceptance, rates and the interval in [0, 1] with lower ≤ acceptance ≤ upper", () => {
    fc.assert(
      fc.property(countsArb, (counts) => {
        const s = acceptanceStats(counts);
        if (s.decided === 0) {
          expect([s.acceptance, s.editRate, s.rejectRate, s.interval]).toEqual([null, null, null, null]);
          return;
        }
        const { acceptance, editRate, rejectRate, interval } = s as { acceptance: number; editRate: number; rejectRate: number; interval: { lower: number; upper: number } };
        for (const x of [acceptance, editRate, rejectRate, interval.lower, interval.upper]) expect(inUnit(x)).toBe(true);
        expect(interval.lower).toBeLessThanOrEqual(acceptance);
        expect(acceptance).toBeLessThanOrEqual(interval.upper);
        expect(acceptance + editRate + rejectRate).toBeCloseTo(1, 12);
      }),
    );
  });

  it("never lets a rejection raise acceptance, its lower bound, or a recommendation", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const before = evaluateReadiness(input);
        const after = evaluateReadiness({ ...input, counts: { ...input.counts, rejected: (before.stats.rejected ?? 0) + 1 } });
        expect(after.stats.acceptance ?? 0).toBeLessThanOrEqual(before.stats.acceptance ?? 0);
        expect(after.stats.interval?.lower ?? 0).toBeLessThanOrEqual(before.stats.interval?.lower ?? 1);
        if (before.recommendation.kind !== "step_up") expect(after.recommendation.kind).not.toBe("step_up");
        if (before.recommendation.kind === "step_down") expect(after.recommendation.kind).toBe("step_down");
      }),
    );
  });

  it("has no NaN or infinity anywhere, and a sentence without holes", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = evaluateReadiness(input);
        // The echoed policy may hold whatever the caller sent; everything computed must be finite.
        for (const [path, x] of numbers({ ...r, policy: null })) expect(Number.isFinite(x), path).toBe(true);
        expect(r.sentence).not.toMatch(/NaN|Infinity|undefined|null|\[object/);
        expect(r.sentence.length).toBeGreaterThan(0);
      }),
    );
  });

  it("suggests a threshold whose items meet the bar, and no lower one that adds items also would", () => {
    fc.assert(
      fc.property(fc.oneof(calibrationArb, goodBucketsArb.map((b) => ({ ...b, totalItems: 1000, periodDays: 30, meanTimeOnItemMs: 60_000 }))), inputArb, (calibration, input) => {
        const criteria = resolveCriteria(input.criteria, input.overrides);
        const s = suggestThreshold(calibration, criteria);
        const decile = (i: number) => Math.max(0, Math.floor(Number.isFinite(calibration.decided[i]) ? calibration.decided[i] : 0));
        const tail = (t: number) => {
          const from = Math.round(t * 10);
          const items = { decided: 0, accepted: 0 };
          for (let i = from; i < 10; i++) {
            const d = decile(i);
            const a = Math.max(0, Math.floor(Number.isFinite(calibration.accepted[i]) ? calibration.accepted[i] : 0));
            items.decided += d;
            items.accepted += Math.min(a, d);
          }
          return items;
        };
        if (s.threshold === null) {
          for (const t of THRESHOLD_CANDIDATES) expect(meetsTarget(tail(t), criteria)).toBe(false);
          return;
        }
        expect(meetsTarget(tail(s.threshold), criteria)).toBe(true);
        expect(s.decided).toBe(tail(s.threshold).decided);
        expect(decile(Math.round(s.threshold * 10))).toBeGreaterThan(0);
        for (const t of THRESHOLD_CANDIDATES.filter((c) => c < s.threshold - 1e-9)) {
          if (tail(t).decided > s.decided) expect(meetsTarget(tail(t), criteria)).toBe(false);
        }
        expect(inUnit(s.automatedShare)).toBe(true);
        expect(s.acceptance).toBeGreaterThanOrEqual(s.interval.lower);
      }),
    );
  });

  it("Wilson: the interval moves up with successes and holds the point estimate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const k = Math.floor(p * n);
        const a = wilsonInterval(k, n);
        const b = wilsonInterval(Math.min(n, k + 1), n);
        if (!a || !b) throw new Error("expected intervals");
        expect(inUnit(a.lower) && inUnit(a.upper)).toBe(true);
        expect(a.lower).toBeLessThanOrEqual(k / n);
        expect(a.upper).toBeGreaterThanOrEqual(k / n);
        expect(b.lower).toBeGreaterThanOrEqual(a.lower);
        expect(b.upper).toBeGreaterThanOrEqual(a.upper);
      }),
    );
  });
});
