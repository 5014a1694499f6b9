import { describe, expect, it } from "vitest";
import { amountConflict, canRunUnattended, describeReason, itemAmount, policyFloors, reasonCodes, route, type Policy, type RoutedItem } from "./index";

const policy = (overrides: Partial<Policy> = {}): Policy => ({
  mode: "flag_on_exception",
  reversible: true,
  dataClass: "none",
  confidenceThreshold: 0.8,
  amountLimit: 500,
  amountCurrency: "USD",
  amountPath: null,
  amountCurrencyPath: null,
  auditSampleRate: 0,
  exceptionRules: [],
  twoPersonRule: null,
  ...overrides,
});
const item = (overrides: Partial<RoutedItem> = {}): RoutedItem => ({ action: { op: "refund" }, confidence: 0.95, amount: { value: 20, currency: "USD" }, ...overrides });
const never = () => 0.999;
const always = () => 0;
const auto = { needsHuman: false, blocking: false, reasons: [] };
const escalated = (...reasons: string[]) => ({ needsHuman: true, blocking: true, reasons });

describe("route: flag_on_exception", () => {
  it("auto-approves a confident item with no exception", () => {
    expect(route(policy(), item(), never)).toEqual(auto);
  });

  it("passes a confidence exactly at the threshold", () => {
    expect(route(policy(), item({ confidence: 0.8 }), never)).toEqual(auto);
  });

  it("escalates a confidence just below the threshold", () => {
    expect(route(policy(), item({ confidence: 0.7999 }), never)).toEqual(escalated("low_confidence"));
    expect(route(policy(), item({ confidence: 0 }), never)).toEqual(escalated("low_confidence"));
  });

  it.each([undefined, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])("escalates a missing confidence (%s)", (confidence) => {
    expect(route(policy(), item({ confidence }), never)).toEqual(escalated("missing_confidence"));
  });

  it("compares out-of-range confidences as given", () => {
    expect(route(policy(), item({ confidence: 1.5 }), never)).toEqual(auto);
    expect(route(policy(), item({ confidence: -0.1 }), never)).toEqual(escalated("low_confidence"));
  });

  it("escalates when the threshold isn't a number (fail closed)", () => {
    expect(route(policy({ confidenceThreshold: Number.NaN }), item({ confidence: 1 }), never)).toEqual(escalated("low_confidence"));
  });

  it("escalates an item the agent flags", () => {
    expect(route(policy(), item({ attributes: { flagged: true } }), never)).toEqual(escalated("agent_flagged"));
    expect(route(policy(), item({ attributes: { flagged: false, customerFacing: true } }), never)).toEqual(auto);
  });

  it("escalates on each matching rule, in rule order", () => {
    const rules: Policy["exceptionRules"] = [
      { name: "big-qty", path: "action.items.0.qty", op: "gt", value: 10 },
      { name: "not-vip", path: "context.tier", op: "neq", value: "vip" },
      { name: "weekend", path: "context.day", op: "in", value: ["sat", "sun"] },
    ];
    const routed = route(policy({ exceptionRules: rules }), item({ action: { items: [{ qty: 11 }] }, context: { tier: "gold", day: "mon" } }), never);
    expect(routed).toEqual(escalated("rule:big-qty", "rule:not-vip"));
    expect(route(policy({ exceptionRules: rules }), item({ action: { items: [{ qty: 10 }] }, context: { tier: "vip" } }), never)).toEqual(auto);
  });

  it("treats a malformed stored rule as matching (fail closed)", () => {
    const broken = { name: "broken", path: "action.amount", op: "gt", value: "1000" } as unknown as Policy["exceptionRules"][number];
    expect(route(policy({ exceptionRules: [broken] }), item(), never)).toEqual(escalated("rule:broken"));
    const nameless = { op: "exists" } as unknown as Policy["exceptionRules"][number];
    expect(route(policy({ exceptionRules: [nameless] }), item(), never)).toEqual(escalated("rule:invalid"));
  });

  it("lists every applicable reason in a stable order, without duplicates", () => {
    const rules: Policy["exceptionRules"] = [
      { name: "any", path: "action.op", op: "exists" },
      { name: "any", path: "action.op", op: "eq", value: "refund" },
    ];
    const routed = route(
      policy({ exceptionRules: rules, reversible: false, dataClass: "phi" }),
      item({ confidence: 0.1, amount: { value: 501, currency: "USD" }, attributes: { irreversible: true, phi: true, flagged: true } }),
      always,
    );
    expect(routed).toEqual(escalated("floor:irreversible", "floor:phi", "floor:amount", "low_confidence", "rule:any", "agent_flagged"));
  });

  it("samples auto-approvals for audit with probability auditSampleRate", () => {
    expect(route(policy({ auditSampleRate: 0.02 }), item(), always)).toEqual({ needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] });
    expect(route(policy({ auditSampleRate: 0.02 }), item(), () => 0.019)).toEqual({ needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] });
    expect(route(policy({ auditSampleRate: 0.02 }), item(), () => 0.02)).toEqual(auto);
    expect(route(policy({ auditSampleRate: 0.02 }), item(), never)).toEqual(auto);
  });

  it("never samples at rate 0 and always at rate 1", () => {
    expect(route(policy({ auditSampleRate: 0 }), item(), always)).toEqual(auto);
    expect(route(policy({ auditSampleRate: 1 }), item(), never).reasons).toEqual(["sampled_for_audit"]);
  });

  it("clamps an invalid sample rate", () => {
    expect(route(policy({ auditSampleRate: -3 }), item(), () => -1)).toEqual(auto);
    expect(route(policy({ auditSampleRate: Number.NaN }), item(), always)).toEqual(auto);
    expect(route(policy({ auditSampleRate: 7 }), item(), () => 0.9999).reasons).toEqual(["sampled_for_audit"]);
    expect(route(policy({ auditSampleRate: Number.POSITIVE_INFINITY }), item(), never).reasons).toEqual(["sampled_for_audit"]);
  });

  it("doesn't sample escalated items: they already go to a person", () => {
    expect(route(policy({ auditSampleRate: 1 }), item({ confidence: 0.1 }), always)).toEqual(escalated("low_confidence"));
  });

  it("only draws a random number when an item could be sampled", () => {
    const throwing = () => {
      throw new Error("random() was not needed");
    };
    expect(() => route(policy({ mode: "approve_before_action" }), item(), throwing)).not.toThrow();
    expect(() => route(policy({ auditSampleRate: 0.5 }), item({ confidence: 0.1 }), throwing)).not.toThrow();
    expect(() => route(policy({ auditSampleRate: 0 }), item(), throwing)).not.toThrow();
  });
});

describe("route: hard floors", () => {
  it("floors a task type that isn't reversible, in every mode", () => {
    expect(route(policy({ reversible: false }), item(), never)).toEqual(escalated("floor:irreversible"));
    expect(route(policy({ reversible: false, mode: "approve_before_action" }), item(), never)).toEqual(escalated("floor:irreversible", "mode:approve_before_action"));
    expect(route(policy({ reversible: false, mode: "review_after_draft" }), item(), never)).toEqual(escalated("floor:irreversible", "mode:review_after_draft"));
  });

  it("floors an item the agent marks irreversible", () => {
    expect(route(policy(), item({ attributes: { irreversible: true } }), never)).toEqual(escalated("floor:irreversible"));
  });

  it("floors a PHI task type and a PHI item", () => {
    expect(route(policy({ dataClass: "phi" }), item(), never)).toEqual(escalated("floor:phi"));
    expect(route(policy(), item({ attributes: { phi: true } }), never)).toEqual(escalated("floor:phi"));
    expect(route(policy({ dataClass: "pii" }), item(), never)).toEqual(auto);
    expect(route(policy({ dataClass: "financial" }), item(), never)).toEqual(auto);
  });

  it("passes an amount exactly at the limit and floors one just above", () => {
    expect(route(policy(), item({ amount: { value: 500, currency: "USD" } }), never)).toEqual(auto);
    expect(route(policy(), item({ amount: { value: 500.01, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
    expect(route(policy(), item({ amount: { value: 1e15, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
  });

  it("floors an amount in another currency: it can't be compared", () => {
    expect(route(policy(), item({ amount: { value: 1, currency: "EUR" } }), never)).toEqual(escalated("floor:amount"));
    expect(route(policy(), item({ amount: { value: 1, currency: "" } }), never)).toEqual(escalated("floor:amount"));
  });

  it("compares currencies regardless of case and surrounding spaces", () => {
    expect(route(policy({ amountCurrency: "usd" }), item({ amount: { value: 1, currency: " USD" } }), never)).toEqual(auto);
  });

  it("floors every amount when the limit has no currency", () => {
    expect(route(policy({ amountCurrency: null }), item({ amount: { value: 1, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
  });

  it("sends amounts that aren't numbers to a person as missing", () => {
    expect(route(policy(), item({ amount: { value: Number.NaN, currency: "USD" } }), never)).toEqual(escalated("floor:amount_missing"));
    expect(route(policy(), item({ amount: { value: Number.POSITIVE_INFINITY, currency: "USD" } }), never)).toEqual(escalated("floor:amount_missing"));
    expect(route(policy(), item({ amount: { value: "1" as unknown as number, currency: "USD" } }), never)).toEqual(escalated("floor:amount_missing"));
    expect(route(policy({ amountLimit: Number.NaN }), item({ amount: { value: 1, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
  });

  it("has no amount floor without a limit", () => {
    expect(route(policy({ amountLimit: null, amountCurrency: null }), item({ amount: { value: 1e15, currency: "XYZ" } }), never)).toEqual(auto);
    expect(route(policy({ amountLimit: null, amountCurrency: null }), item({ amount: null }), never)).toEqual(auto);
  });

  it("compares negative amounts as given (validation refuses them upstream)", () => {
    expect(route(policy(), item({ amount: { value: -1e9, currency: "USD" } }), never)).toEqual(auto);
  });

  it("never samples a floored item into a non-blocking audit", () => {
    expect(route(policy({ auditSampleRate: 1 }), item({ attributes: { phi: true } }), always)).toEqual(escalated("floor:phi"));
  });
});

describe("route: where the amount lives", () => {
  const pathed = (overrides: Partial<Policy> = {}) => policy({ amountPath: "action.amount", ...overrides });

  it("reads the amount at the task type's path (issue 14: action.amount 5000, no top-level amount)", () => {
    const refund = item({ action: { orderId: "o1", amount: 5000 }, amount: undefined });
    expect(route(pathed(), refund, never)).toEqual(escalated("floor:amount"));
    expect(route(pathed({ mode: "approve_before_action" }), refund, never)).toEqual(escalated("floor:amount", "mode:approve_before_action"));
    expect(route(pathed(), item({ action: { amount: 500 }, amount: undefined }), never)).toEqual(auto);
  });

  it("reads the currency at the currency path, else the task type's", () => {
    const p = pathed({ amountCurrencyPath: "action.currency" });
    expect(route(p, item({ action: { amount: 20, currency: "usd" }, amount: undefined }), never)).toEqual(auto);
    expect(route(p, item({ action: { amount: 20, currency: "EUR" }, amount: undefined }), never)).toEqual(escalated("floor:amount"));
    expect(route(p, item({ action: { amount: 20 }, amount: undefined }), never)).toEqual(escalated("floor:amount"));
    expect(route(pathed({ amountCurrency: null }), item({ action: { amount: 20 }, amount: undefined }), never)).toEqual(escalated("floor:amount"));
  });

  it("falls back to the top-level amount when the action has none at the path", () => {
    expect(route(pathed(), item({ action: {}, amount: { value: 501, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
    expect(route(pathed(), item({ action: {}, amount: { value: 20, currency: "USD" } }), never)).toEqual(auto);
  });

  it("floors when any stated amount is over the limit, even if they disagree", () => {
    expect(route(pathed(), item({ action: { amount: 5000 }, amount: { value: 10, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
    expect(route(pathed(), item({ action: { amount: 10 }, amount: { value: 5000, currency: "USD" } }), never)).toEqual(escalated("floor:amount"));
  });

  it.each([["5000"], [[5000]], [{}], [null], [true]])("sends a value at the path that isn't a number (%j) to a person as missing", (value) => {
    expect(route(pathed(), item({ action: { amount: value }, amount: undefined }), never)).toEqual(escalated("floor:amount_missing"));
    expect(route(pathed(), item({ action: { amount: value }, amount: { value: 1, currency: "USD" } }), never)).toEqual(escalated("floor:amount_missing"));
  });

  it("sends an item with no amount to a person in every mode when the task type limits amounts or counts them for two people", () => {
    const none = item({ action: { orderId: "o1" }, amount: undefined });
    for (const mode of ["flag_on_exception", "approve_before_action", "review_after_draft"] as const) {
      const reasons = route(pathed({ mode, auditSampleRate: 1 }), none, always).reasons;
      expect(reasons[0]).toBe("floor:amount_missing");
      expect(route(policy({ mode, amountLimit: null, twoPersonRule: { aboveAmount: 250 } }), none, always).reasons[0]).toBe("floor:amount_missing");
    }
    expect(route(policy({ amountLimit: null, twoPersonRule: { always: true } }), none, never)).toEqual(auto);
    expect(route(policy({ amountLimit: null }), none, never)).toEqual(auto);
  });
});

describe("itemAmount and amountConflict", () => {
  const p = policy({ amountPath: "action.refund.amount", amountCurrencyPath: "action.refund.currency" });

  it("goes by the amount at the path, else the top-level one", () => {
    expect(itemAmount(p, { action: { refund: { amount: 12, currency: "EUR" } }, amount: null })).toEqual({ value: 12, currency: "EUR" });
    expect(itemAmount(p, { action: { refund: { amount: 12 } }, amount: { value: 12, currency: "GBP" } })).toEqual({ value: 12, currency: "GBP" });
    expect(itemAmount(p, { action: {}, amount: { value: 3, currency: "USD" } })).toEqual({ value: 3, currency: "USD" });
    expect(itemAmount(p, { action: { refund: { amount: "12" } }, amount: { value: 12, currency: "USD" } })).toBeNull();
    expect(itemAmount(p, { action: {} })).toBeNull();
    expect(itemAmount(policy({ amountPath: "action.amount" }), { action: { amount: 7 } })).toEqual({ value: 7, currency: "USD" });
  });

  it("finds a top-level amount that disagrees with the one at the path, in value or currency", () => {
    const both = (refund: unknown, amount: RoutedItem["amount"]) => amountConflict(p, { action: { refund }, amount });
    expect(both({ amount: 5000, currency: "USD" }, { value: 5000, currency: "USD" })).toBeNull();
    expect(both({ amount: 5000, currency: "usd" }, { value: 5000, currency: "USD" })).toBeNull();
    expect(both({ amount: 5000 }, { value: 5000, currency: "USD" })).toBeNull();
    expect(both({ amount: 5000, currency: "USD" }, { value: 50, currency: "USD" })).toMatch(/is 50 but action.refund.amount is 5000/);
    expect(both({ amount: 5000, currency: "EUR" }, { value: 5000, currency: "USD" })).toMatch(/USD but action.refund.currency is EUR/);
    expect(both({ amount: "5000" }, { value: 5000, currency: "USD" })).toMatch(/not a number/);
    expect(both(undefined, { value: 5000, currency: "USD" })).toBeNull();
    expect(both({ amount: 5000 }, null)).toBeNull();
    expect(amountConflict(policy({ amountPath: "action.amount" }), { action: { amount: 5 }, amount: { value: 5, currency: "EUR" } })).toMatch(/the currency of action.amount \(the task type's\) is USD/);
    expect(amountConflict(policy(), { action: { amount: 5 }, amount: { value: 6, currency: "USD" } })).toBeNull();
  });
});

describe("route: rules that can't be evaluated", () => {
  const rules: Policy["exceptionRules"] = [{ name: "big", path: "action.total", op: "gt", value: 1000 }];

  it.each([["5000"], [[5000]], [{}], [null], [true]])("sends a numeric rule over %j to a person as rule_error, never a silent no", (value) => {
    expect(route(policy({ exceptionRules: rules }), item({ action: { total: value } }), never)).toEqual(escalated("rule_error:big"));
  });

  it("still passes an absent value and a number on the right side", () => {
    expect(route(policy({ exceptionRules: rules }), item({ action: {} }), never)).toEqual(auto);
    expect(route(policy({ exceptionRules: rules }), item({ action: { total: 999 } }), never)).toEqual(auto);
    expect(route(policy({ exceptionRules: rules }), item({ action: { total: 1001 } }), never)).toEqual(escalated("rule:big"));
  });
});

describe("route: strict modes", () => {
  it("approve_before_action always waits for a person", () => {
    expect(route(policy({ mode: "approve_before_action" }), item(), never)).toEqual(escalated("mode:approve_before_action"));
  });

  it("review_after_draft always waits for a person", () => {
    expect(route(policy({ mode: "review_after_draft" }), item(), never)).toEqual(escalated("mode:review_after_draft"));
  });

  it("lists floors then the mode, and nothing else: confidence and rules don't change a strict outcome", () => {
    const rules: Policy["exceptionRules"] = [{ name: "any", path: "action.op", op: "exists" }];
    const routed = route(
      policy({ mode: "approve_before_action", exceptionRules: rules, auditSampleRate: 1 }),
      item({ confidence: null, amount: { value: 900, currency: "USD" }, attributes: { phi: true, flagged: true } }),
      always,
    );
    expect(routed).toEqual(escalated("floor:phi", "floor:amount", "mode:approve_before_action"));
  });

  it("treats an unknown mode as approve_before_action", () => {
    expect(route(policy({ mode: "yolo" as Policy["mode"] }), item(), never)).toEqual(escalated("mode:approve_before_action"));
  });
});

describe("policyFloors", () => {
  it.each([
    [{ reversible: true, dataClass: "none", amountLimit: null }, []],
    [{ reversible: false, dataClass: "none", amountLimit: null }, ["irreversible"]],
    [{ reversible: true, dataClass: "phi", amountLimit: null }, ["phi"]],
    [{ reversible: true, dataClass: "financial", amountLimit: 0 }, ["amount"]],
    [{ reversible: false, dataClass: "phi", amountLimit: 500 }, ["irreversible", "phi", "amount"]],
    [{ reversible: true, dataClass: "pii", amountLimit: null }, []],
  ] as const)("%j → %j", (p, floors) => {
    expect(policyFloors(p)).toEqual(floors);
  });
});

describe("canRunUnattended", () => {
  it.each([
    [{ reversible: true, dataClass: "none" }, true],
    [{ reversible: true, dataClass: "pii" }, true],
    [{ reversible: true, dataClass: "financial" }, true],
    [{ reversible: false, dataClass: "none" }, false],
    [{ reversible: true, dataClass: "phi" }, false],
    [{ reversible: false, dataClass: "phi" }, false],
  ] as const)("%j → %s", (p, expected) => {
    expect(canRunUnattended(p)).toBe(expected);
  });

  it("isn't blocked by an amount limit: items over it are floored one by one", () => {
    const limited = policy({ amountLimit: 500 });
    expect(canRunUnattended(limited)).toBe(true);
  });
});

describe("describeReason", () => {
  it.each([
    ["floor:irreversible", {}, "Irreversible"],
    ["floor:phi", {}, "PHI write"],
    ["floor:amount", { amount: { value: 620, currency: "USD" }, limit: 500, currency: "USD" }, "Amount 620.00 USD > 500.00 USD limit"],
    ["floor:amount", { amount: { value: 620, currency: "EUR" }, limit: 500, currency: "USD" }, "Amount 620.00 EUR, limit 500.00 USD: other currency"],
    ["floor:amount", { amount: { value: 620, currency: "USD" }, limit: 500, currency: null }, "Amount 620.00 USD, limit 500.00 without a currency"],
    ["floor:amount", { amount: { value: Number.NaN, currency: "USD" }, limit: 500, currency: "USD" }, "Amount NaN USD can't be compared with the 500.00 USD limit"],
    ["floor:amount", {}, "Amount over the limit"],
    ["mode:approve_before_action", {}, "Approve before action"],
    ["mode:review_after_draft", {}, "Review after draft"],
    ["low_confidence", { confidence: 0.62, threshold: 0.8 }, "Confidence 0.62 < 0.80"],
    ["low_confidence", { confidence: 0.7999, threshold: 0.8 }, "Confidence 0.7999 < 0.8000"],
    ["low_confidence", {}, "Low confidence"],
    ["missing_confidence", {}, "No confidence given"],
    ["rule:large-refund", {}, "Rule: large-refund"],
    ["rule_error:large-refund", {}, "Rule could not be evaluated: large-refund"],
    ["floor:amount_missing", {}, "Amount missing"],
    ["agent_flagged", {}, "Flagged by the agent"],
    ["sampled_for_audit", {}, "Audit sample"],
    ["something_new", {}, "something_new"],
  ])("%s → %s", (reason, ctx, text) => {
    expect(describeReason(reason, ctx)).toBe(text);
  });

  it("describes every reason route can give", () => {
    for (const reason of reasonCodes) expect(describeReason(reason, {})).not.toBe(reason);
  });
});
