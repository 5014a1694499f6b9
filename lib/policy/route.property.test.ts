import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { route, type Policy, type RoutedItem, type Routing } from "./index";
import { resolvePath, ruleOps, type ExceptionRule } from "./rules";

// Hostile on purpose: NaN and infinite numbers, negative and huge amounts, odd currencies, rules that
// don't validate, sample rates and random() values outside [0, 1).

const modes = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const;
const currency = fc.oneof(fc.constantFrom("USD", "usd", " USD ", "EUR", "", "€", "US D"), fc.string({ maxLength: 4 }));
const number = fc.oneof(fc.double(), fc.constantFrom(0, 0.5, 0.8, 1, 500, -1, 1e15, Number.NaN, Number.POSITIVE_INFINITY));
const unitish = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double());
const leaf = fc.oneof(fc.double(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.array(fc.integer({ min: -5, max: 20 }), { maxLength: 3 }));
const record = fc.dictionary(fc.constantFrom("a", "b", "c", "items", "tier"), fc.oneof(leaf, fc.dictionary(fc.constantFrom("a", "b", "0"), leaf)));
// Actions may carry an amount (and currency) where a task type's amount path looks, as any value.
const actionArb = fc
  .record({ rest: record, amount: fc.option(fc.oneof(number, leaf), { nil: undefined }), currency: fc.option(fc.oneof(currency, leaf), { nil: undefined }) })
  .map(({ rest, amount, currency: cur }) => ({ ...rest, ...(amount === undefined ? {} : { amount }), ...(cur === undefined ? {} : { currency: cur }) }));
const amountPathArb = fc.constantFrom(null, "action.amount", "action.b.a");
const twoPersonArb = fc.oneof(fc.constant(null), fc.constant({ always: true }), number.map((aboveAmount) => ({ aboveAmount })));

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
  amountPath: amountPathArb,
  amountCurrencyPath: fc.constantFrom(null, "action.currency", "action.c"),
  auditSampleRate: unitish,
  exceptionRules: fc.array(anyRule, { maxLength: 4 }),
  twoPersonRule: twoPersonArb,
});

const attributesArb = fc.record(
  { irreversible: fc.boolean(), phi: fc.boolean(), customerFacing: fc.boolean(), flagged: fc.boolean() },
  { requiredKeys: [] },
);

const itemArb: fc.Arbitrary<RoutedItem> = fc.record(
  {
    action: actionArb,
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
    policy: { ...p, mode: "flag_on_exception", reversible: true, dataClass: "none", confidenceThreshold: threshold, amountLimit: 500, amountCurrency: "USD", amountPath: null, auditSampleRate: rate, exceptionRules: rules } satisfies Policy,
    item: { ...i, confidence, amount: amount === null ? null : { value: amount, currency: "USD" }, attributes: flagged ? { flagged: true } : { customerFacing: true } } satisfies RoutedItem,
  }));
const caseArb: fc.Arbitrary<{ policy: Policy; item: RoutedItem }> = fc.oneof(fc.record({ policy: policyArb, item: itemArb }), nearCleanCase);

const randomValue = fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double(), fc.constantFrom(0, 0.999));
const fixed = (r: number) => () => r;

const sameCurrency = (a: string | null, b: string) => a !== null && b.trim() !== "" && a.trim().toUpperCase() === b.trim().toUpperCase();

/** Every amount the item states: at the task type's path (in the action), and the top-level one. */
function statedAmounts(p: Policy, i: RoutedItem): { value: unknown; currency: unknown }[] {
  const out: { value: unknown; currency: unknown }[] = [];
  const atPath = p.amountPath ? resolvePath({ action: i.action }, p.amountPath) : undefined;
  if (atPath !== undefined) out.push({ value: atPath, currency: p.amountCurrencyPath ? resolvePath({ action: i.action }, p.amountCurrencyPath) : p.amountCurrency });
  if (i.amount) out.push(i.amount);
  return out;
}

const usable = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const needsAmount = (p: Policy) => p.amountLimit !== null || (p.twoPersonRule !== null && "aboveAmount" in p.twoPersonRule);

/** The floors, restated from DESIGN.md and issue 14 independently of the implementation. */
function isFloored(p: Policy, i: RoutedItem): boolean {
  if (!p.reversible || p.dataClass === "phi" || i.attributes?.irreversible || i.attributes?.phi) return true;
  const stated = statedAmounts(p, i);
  // A task type that needs amounts gets a person for an item whose amount it can't read.
  if (needsAmount(p) && (stated.length === 0 || stated.some((a) => !usable(a.value)))) return true;
  if (p.amountLimit === null) return false;
  const limit = p.amountLimit;
  return stated.some((a) => usable(a.value) && (typeof a.currency !== "string" || !sameCurrency(p.amountCurrency, a.currency) || !(a.value <= limit)));
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
  fc.double({ min: 0, noNaN: true }).map((d): Tightening => (i) => (typeof i.action.amount === "number" ? { ...i, action: { ...i.action, amount: i.action.amount + d } } : i)),
  // Adding an amount to an item without one isn't a tightening: it may lift `floor:amount_missing`.
);

const reasonRank = (reason: string) => {
  const fixedOrder = ["floor:irreversible", "floor:phi", "floor:amount", "floor:amount_missing", "mode:approve_before_action", "mode:review_after_draft", "missing_confidence", "low_confidence"];
  if (fixedOrder.includes(reason)) return fixedOrder.indexOf(reason);
  if (reason.startsWith("rule:") || reason.startsWith("rule_error:")) return 8;
  return { agent_flagged: 9, sampled_for_audit: 10 }[reason] ?? Number.NaN;
};

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

const stickyReason = (reason: string) => reason.startsWith("floor:") || reason.startsWith("rule:") || reason.startsWith("rule_error:") || reason === "agent_flagged";
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

  it("(a) an amount over the limit goes to a person wherever it is written: top-level, at the amount path, or both (issue 14)", () => {
    const place = fc.constantFrom("top", "path", "both", "path-under-top", "top-under-path");
    fc.assert(
      fc.property(
        caseArb,
        fc.double({ min: 0, max: 1e15, noNaN: true }),
        fc.double({ min: Number.MIN_VALUE, max: 1e15, noNaN: true }),
        fc.constantFrom("action.amount", "action.b.a"),
        place,
        randomValue,
        ({ policy: p, item: i }, limit, over, path, where, r) => {
          fc.pre(limit + over > limit);
          const policy: Policy = { ...p, amountLimit: limit, amountCurrency: "USD", amountPath: path, amountCurrencyPath: null };
          const [atPath, top] = {
            top: [undefined, limit + over],
            path: [limit + over, undefined],
            both: [limit + over, limit + over],
            "path-under-top": [limit, limit + over],
            "top-under-path": [limit + over, limit],
          }[where];
          const action = atPath === undefined ? i.action : path === "action.amount" ? { ...i.action, amount: atPath } : { ...i.action, b: { a: atPath } };
          const amount = top === undefined ? (i.amount && path === "action.amount" && atPath !== undefined ? i.amount : null) : { value: top, currency: "USD" };
          const routed = route(policy, { ...i, action, amount }, fixed(r));
          expect(routed).toMatchObject({ needsHuman: true, blocking: true });
          expect(routed.reasons.some((reason) => reason === "floor:amount" || reason === "floor:amount_missing")).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("(a) an item whose amount the task type needs and can't read never auto-approves, in any mode (issue 14)", () => {
    const unreadable = fc.oneof(fc.constant(undefined), fc.constantFrom("5000", null, true), fc.constant([5000]), fc.constant({}), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(caseArb, unreadable, fc.boolean(), fc.oneof(fc.double({ min: 0, noNaN: true }).map((l) => ({ limit: l, rule: null })), fc.double({ min: 0, noNaN: true }).map((a) => ({ limit: null, rule: { aboveAmount: a } }))), randomValue, ({ policy: p, item: i }, value, withTopLevel, needs, r) => {
        const policy: Policy = { ...p, amountLimit: needs.limit, twoPersonRule: needs.rule, amountPath: "action.amount" };
        const { amount: _dropped, ...rest } = i.action;
        void _dropped;
        const action = value === undefined ? rest : { ...rest, amount: value };
        // A top-level amount beside an unreadable one at the path doesn't make it readable.
        const amount = withTopLevel && value !== undefined ? { value: 1, currency: "USD" } : null;
        const routed = route(policy, { ...i, action, amount }, fixed(r));
        expect(routed).toMatchObject({ needsHuman: true, blocking: true });
        expect(routed.reasons).toContain("floor:amount_missing");
      }),
      { numRuns: 1000 },
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
        // An amount raised to infinity is no longer an amount: the amount floor may only change kind.
        const amountFloor = (reason: string) => reason === "floor:amount" || reason === "floor:amount_missing";
        for (const reason of before.reasons.filter((x) => stickyReason(x) && !amountFloor(x))) expect(after.reasons).toContain(reason);
        if (before.reasons.some(amountFloor)) expect(after.reasons.some(amountFloor)).toBe(true);
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
        const clean: RoutedItem = { ...i, confidence: 1, amount: { value: 1, currency: "USD" }, attributes: null };
        const policy: Policy = { ...p, confidenceThreshold: Math.min(p.confidenceThreshold, 1), exceptionRules: [] };
        const rate = Number.isNaN(p.auditSampleRate) ? 0 : Math.min(1, Math.max(0, p.auditSampleRate));
        expect(route(policy, clean, fixed(r))).toEqual(
          r < rate ? { needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] } : { needsHuman: false, blocking: false, reasons: [] },
        );
      }),
    );
  });
});
