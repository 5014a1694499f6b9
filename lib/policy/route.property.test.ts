import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { route, type Policy, type RoutedItem, type Routing } from "./index";
import { ruleOps, type ExceptionRule } from "./rules";

// Hostile on purpose: NaN and infinite numbers, negative and huge amounts, odd currencies, rules that
// don't validate, sample rates and random() values outside [0, 1).

const modes = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const;
const currency = fc.oneof(fc.constantFrom("USD", "usd", " USD ", "EUR", "", "€", "US D"), fc.string({ maxLength: 4 }));
const number = fc.oneof(fc.double(), fc.constantFrom(0, 0.5, 0.8, 1, 500, -1, 1e15, Number.NaN, Number.POSITIVE_INFINITY));
const unitish = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double());
const leaf = fc.oneof(fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 3 }));
const record = fc.dictionary(fc.constantFrom("a", "b", "c", "items", "tier"), fc.oneof(leaf, fc.dictionary(fc.constantFrom("a", "b", "0"), leaf)));

const validRule: fc.Arbitrary<ExceptionRule> = fc.oneof(
  fc.record({ name: fc.stringMatching(/^[a-z0-9_.-]{1,8}$/), path: fc.constantFrom("action.a", "action.b.a", "context.a", "action.items.0"), op: fc.constantFrom("gt", "gte", "lt", "lte"), value: fc.integer({ min: -10, max: 10 }) }),
  fc.record({ name: fc.stringMatching(/^[a-z0-9_.-]{1,8}$/), path: fc.constantFrom("action.a", "context.tier"), op: fc.constantFrom("eq", "neq"), value: fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean(), fc.constant(null)) }),
  fc.record({ name: fc.stringMatching(/^[a-z0-9_.-]{1,8}$/), path: fc.constantFrom("action.a", "context.b"), op: fc.constantFrom("in", "notIn"), value: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 4 }) }),
  fc.record({ name: fc.stringMatching(/^[a-z0-9_.-]{1,8}$/), path: fc.constantFrom("action.a", "action.__proto__", "context.c"), op: fc.constant("exists"), value: fc.option(fc.boolean(), { nil: undefined }) }),
);
const anyRule = fc.oneof(
  { weight: 4, arbitrary: validRule },
  { weight: 1, arbitrary: fc.record({ name: fc.string({ maxLength: 4 }), path: fc.string({ maxLength: 12 }), op: fc.constantFrom(...ruleOps, "between"), value: fc.anything() }) as unknown as fc.Arbitrary<ExceptionRule> },
);

const policyArb: fc.Arbitrary<Policy> = fc.record({
  mode: fc.constantFrom(...modes),
  reversible: fc.boolean(),
  dataClass: fc.constantFrom("none", "pii", "phi", "financial"),
  confidenceThreshold: number,
  amountLimit: fc.option(number, { nil: null }),
  amountCurrency: fc.option(currency, { nil: null }),
  auditSampleRate: unitish,
  exceptionRules: fc.array(anyRule, { maxLength: 4 }),
});

const attributesArb = fc.record(
  { irreversible: fc.boolean(), phi: fc.boolean(), customerFacing: fc.boolean(), flagged: fc.boolean() },
  { requiredKeys: [] },
);

const itemArb: fc.Arbitrary<RoutedItem> = fc.record(
  {
    action: record,
    context: fc.option(record, { nil: null }),
    confidence: fc.option(unitish, { nil: null }),
    amount: fc.option(fc.record({ value: number, currency }), { nil: null }),
    attributes: fc.option(attributesArb, { nil: null }),
  },
  { requiredKeys: ["action"] },
);

/** Mostly auto-approvable flag_on_exception cases, so that properties also see auto-approvals, samples and near-misses. */
const nearCleanCase = fc
  .record({
    p: policyArb,
    i: itemArb,
    threshold: fc.double({ min: 0, max: 1, noNaN: true }),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    rules: fc.array(validRule, { maxLength: 2 }),
    flagged: fc.boolean(),
    amount: fc.option(fc.double({ min: 0, max: 1000, noNaN: true }), { nil: null }),
    rate: fc.oneof(fc.constantFrom(0, 0.02, 0.5, 1), unitish),
  })
  .map(({ p, i, threshold, confidence, rules, flagged, amount, rate }) => ({
    policy: { ...p, mode: "flag_on_exception", reversible: true, dataClass: "none", confidenceThreshold: threshold, amountLimit: 500, amountCurrency: "USD", auditSampleRate: rate, exceptionRules: rules } satisfies Policy,
    item: { ...i, confidence, amount: amount === null ? null : { value: amount, currency: "USD" }, attributes: flagged ? { flagged: true } : { customerFacing: true } } satisfies RoutedItem,
  }));
const caseArb: fc.Arbitrary<{ policy: Policy; item: RoutedItem }> = fc.oneof(fc.record({ policy: policyArb, item: itemArb }), nearCleanCase);

const randomValue = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double(), fc.constantFrom(0, 0.999));
const fixed = (r: number) => () => r;

const sameCurrency = (a: string | null, b: string) => a !== null && b.trim() !== "" && a.trim().toUpperCase() === b.trim().toUpperCase();

/** The floors, restated from DESIGN.md independently of the implementation. */
function isFloored(p: Policy, i: RoutedItem): boolean {
  if (!p.reversible || p.dataClass === "phi" || i.attributes?.irreversible || i.attributes?.phi) return true;
  if (!i.amount || p.amountLimit === null) return false;
  return !sameCurrency(p.amountCurrency, i.amount.currency) || !(i.amount.value <= p.amountLimit);
}

/** auto-approved < sampled for audit < waits for a person. */
const strictness = (r: Routing) => (r.blocking ? 2 : r.needsHuman ? 1 : 0);

type Tightening = (i: RoutedItem) => RoutedItem;
const tightening: fc.Arbitrary<Tightening> = fc.oneof(
  fc.constantFrom("irreversible", "phi", "flagged").map((key): Tightening => (i) => ({ ...i, attributes: { ...i.attributes, [key]: true } })),
  fc.double({ min: 0, noNaN: true }).map((d): Tightening => (i) => (i.confidence === null || i.confidence === undefined ? i : { ...i, confidence: i.confidence - d })),
  fc.constant<Tightening>((i) => ({ ...i, confidence: null })),
  fc.constant<Tightening>((i) => {
    const { confidence: _removed, ...rest } = i;
    void _removed;
    return rest;
  }),
  fc.double({ min: 0, noNaN: true }).map((d): Tightening => (i) => (i.amount ? { ...i, amount: { ...i.amount, value: i.amount.value + d } } : i)),
  fc.record({ value: number, currency }).map((amount): Tightening => (i) => (i.amount ? i : { ...i, amount })),
);

const reasonRank = (reason: string) => {
  const fixedOrder = ["floor:irreversible", "floor:phi", "floor:amount", "mode:approve_before_action", "mode:review_after_draft", "missing_confidence", "low_confidence"];
  if (fixedOrder.includes(reason)) return fixedOrder.indexOf(reason);
  if (reason.startsWith("rule:")) return 7;
  return { agent_flagged: 8, sampled_for_audit: 9 }[reason] ?? Number.NaN;
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

const stickyReason = (reason: string) => reason.startsWith("floor:") || reason.startsWith("rule:") || reason === "agent_flagged";
const confidenceReason = (reason: string) => reason === "missing_confidence" || reason === "low_confidence";

describe("route (properties)", () => {
  it("(a) a floored item always waits for a person, whatever the mode and random()", () => {
    fc.assert(
      fc.property(caseArb, randomValue, ({ policy: p, item: i }, r) => {
        fc.pre(isFloored(p, i));
        const routed = route(p, i, fixed(r));
        expect(routed.needsHuman).toBe(true);
        expect(routed.blocking).toBe(true);
        expect(routed.reasons.some((reason) => reason.startsWith("floor:"))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("(a) an item with a floor attribute is floored under any policy", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom("irreversible", "phi"), randomValue, ({ policy: p, item: i }, floor, r) => {
        const routed = route(p, { ...i, attributes: { ...i.attributes, [floor]: true } }, fixed(r));
        expect(routed).toMatchObject({ needsHuman: true, blocking: true });
        expect(routed.reasons).toContain(`floor:${floor}`);
      }),
    );
  });

  it("(a) an amount above the limit is floored whatever its currency", () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0, max: 1e15, noNaN: true }), fc.double({ min: Number.MIN_VALUE, max: 1e15, noNaN: true }), currency, randomValue, ({ policy: p, item: i }, limit, over, cur, r) => {
        fc.pre(limit + over > limit); // not lost to rounding
        const routed = route({ ...p, amountLimit: limit }, { ...i, amount: { value: limit + over, currency: cur } }, fixed(r));
        expect(routed).toMatchObject({ needsHuman: true, blocking: true });
        expect(routed.reasons).toContain("floor:amount");
      }),
    );
  });

  it("(b) approve_before_action and review_after_draft always need a person and block", () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom("approve_before_action", "review_after_draft" as const), randomValue, ({ policy: p, item: i }, mode, r) => {
        const routed = route({ ...p, mode }, i, fixed(r));
        expect(routed.needsHuman).toBe(true);
        expect(routed.blocking).toBe(true);
        expect(routed.reasons.at(-1)).toBe(`mode:${mode}`);
      }),
    );
  });

  it("(c) adding attributes, lowering or removing confidence, or raising an amount never loosens a routing", () => {
    fc.assert(
      fc.property(caseArb, fc.array(tightening, { minLength: 1, maxLength: 4 }), randomValue, ({ policy: p, item: i }, steps, r) => {
        const before = route(p, i, fixed(r));
        const tighter = steps.reduce((acc, step) => step(acc), i);
        const after = route(p, tighter, fixed(r));
        expect(strictness(after)).toBeGreaterThanOrEqual(strictness(before));
        // Floors, rules and the agent's flag stay; a confidence reason may only change kind (low → missing).
        for (const reason of before.reasons.filter(stickyReason)) expect(after.reasons).toContain(reason);
        if (before.reasons.some(confidenceReason)) expect(after.reasons.some(confidenceReason)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("(c) in flag_on_exception each exception signal escalates on its own", () => {
    fc.assert(
      fc.property(nearCleanCase, fc.constantFrom("flag", "drop-confidence", "null-confidence", "nan-confidence"), randomValue, ({ policy: p, item: i }, signal, r) => {
        const changed: RoutedItem =
          signal === "flag"
            ? { ...i, attributes: { ...i.attributes, flagged: true } }
            : { ...i, confidence: signal === "drop-confidence" ? undefined : signal === "null-confidence" ? null : Number.NaN };
        const routed = route(p, changed, fixed(r));
        expect(routed).toMatchObject({ needsHuman: true, blocking: true });
        expect(routed.reasons).toContain(signal === "flag" ? "agent_flagged" : "missing_confidence");
      }),
    );
  });

  it("(c) in flag_on_exception a given confidence escalates exactly when it is below the threshold", () => {
    fc.assert(
      fc.property(nearCleanCase, randomValue, ({ policy: p, item: i }, r) => {
        const routed = route(p, i, fixed(r));
        expect(routed.reasons.includes("low_confidence")).toBe((i.confidence as number) < p.confidenceThreshold);
      }),
      { numRuns: 500 },
    );
  });

  it("(d) reasons are non-empty exactly when a person is needed, blocking implies a person, and they are unique and ordered", () => {
    fc.assert(
      fc.property(caseArb, randomValue, ({ policy: p, item: i }, r) => {
        const routed = route(p, i, fixed(r));
        expect(routed.reasons.length > 0).toBe(routed.needsHuman);
        if (routed.blocking) expect(routed.needsHuman).toBe(true);
        expect(new Set(routed.reasons).size).toBe(routed.reasons.length);
        const ranks = routed.reasons.map(reasonRank);
        expect(ranks.every((rank) => !Number.isNaN(rank))).toBe(true);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        if (!routed.blocking && routed.needsHuman) expect(routed.reasons).toEqual(["sampled_for_audit"]);
      }),
      { numRuns: 1000 },
    );
  });

  it("(e) route is pure: same inputs and same random() give the same output, and inputs are never written", () => {
    fc.assert(
      fc.property(caseArb, randomValue, ({ policy: p, item: i }, r) => {
        const [p2, i2] = [structuredClone(p), structuredClone(i)];
        const first = route(deepFreeze(p), deepFreeze(i), fixed(r));
        expect(route(p2, i2, fixed(r))).toEqual(first);
        expect(route(p, i, fixed(r))).toEqual(first);
        expect(p).toEqual(p2);
        expect(i).toEqual(i2);
      }),
    );
  });

  it("a clean item in flag_on_exception never blocks, and is sampled only when random() < auditSampleRate", () => {
    fc.assert(
      fc.property(nearCleanCase, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), ({ policy: p, item: i }, r) => {
        const clean: RoutedItem = { ...i, confidence: 1, amount: null, attributes: null };
        const policy: Policy = { ...p, confidenceThreshold: Math.min(p.confidenceThreshold, 1), exceptionRules: [] };
        const rate = Number.isNaN(p.auditSampleRate) ? 0 : Math.min(1, Math.max(0, p.auditSampleRate));
        expect(route(policy, clean, fixed(r))).toEqual(
          r < rate ? { needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] } : { needsHuman: false, blocking: false, reasons: [] },
        );
      }),
    );
  });
});
