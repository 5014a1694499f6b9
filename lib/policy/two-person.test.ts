import { describe, expect, it } from "vitest";
import { approvalsNeededFor, describeTwoPersonRule } from "./two-person";

const usd = { amountCurrency: "USD" };
const blocking = (amount?: { value: number; currency: string } | null) => ({ blocking: true, amount });

describe("approvalsNeededFor", () => {
  it("needs one approval without a rule", () => {
    expect(approvalsNeededFor(null, usd, blocking({ value: 1e6, currency: "USD" }))).toBe(1);
    expect(approvalsNeededFor(undefined, usd, blocking())).toBe(1);
    expect(approvalsNeededFor({}, usd, blocking({ value: 1e6, currency: "USD" }))).toBe(1);
  });

  it("needs two on every blocking item when the rule is `always`", () => {
    expect(approvalsNeededFor({ always: true }, usd, blocking())).toBe(2);
    expect(approvalsNeededFor({ always: true }, { amountCurrency: null }, blocking({ value: 1, currency: "EUR" }))).toBe(2);
  });

  it("leaves audit samples and auto-approvals alone: they already ran", () => {
    expect(approvalsNeededFor({ always: true }, usd, { blocking: false, amount: null })).toBe(1);
    expect(approvalsNeededFor({ aboveAmount: 10 }, usd, { blocking: false, amount: { value: 999, currency: "USD" } })).toBe(1);
  });

  it("compares the amount with the threshold: above needs two, at or below one", () => {
    const rule = { aboveAmount: 250 };
    expect(approvalsNeededFor(rule, usd, blocking({ value: 250.01, currency: "USD" }))).toBe(2);
    expect(approvalsNeededFor(rule, usd, blocking({ value: 250, currency: "USD" }))).toBe(1);
    expect(approvalsNeededFor(rule, usd, blocking({ value: 12, currency: " usd" }))).toBe(1);
  });

  it("needs two for an item without an amount: it may be above the threshold", () => {
    expect(approvalsNeededFor({ aboveAmount: 1e9 }, usd, blocking(null))).toBe(2);
    expect(approvalsNeededFor({ aboveAmount: 1e9 }, usd, blocking(undefined))).toBe(2);
  });

  it("fails closed on amounts it can't compare: another currency, no currency, not a number", () => {
    const rule = { aboveAmount: 250 };
    expect(approvalsNeededFor(rule, usd, blocking({ value: 1, currency: "EUR" }))).toBe(2);
    expect(approvalsNeededFor(rule, usd, blocking({ value: 1, currency: "" }))).toBe(2);
    expect(approvalsNeededFor(rule, { amountCurrency: null }, blocking({ value: 1, currency: "USD" }))).toBe(2);
    expect(approvalsNeededFor(rule, usd, blocking({ value: Number.NaN, currency: "USD" }))).toBe(2);
    expect(approvalsNeededFor({ aboveAmount: Number.NaN }, usd, blocking({ value: 1, currency: "USD" }))).toBe(2);
    expect(approvalsNeededFor({ aboveAmount: "250" as unknown as number }, usd, blocking({ value: 1, currency: "USD" }))).toBe(2);
  });
});

describe("describeTwoPersonRule", () => {
  it("says what the rule asks for", () => {
    expect(describeTwoPersonRule({ always: true }, "USD")).toBe("Two approvals on every item");
    expect(describeTwoPersonRule({ aboveAmount: 250 }, "USD")).toBe("Two approvals above 250.00 USD");
    expect(describeTwoPersonRule(null, "USD")).toBeNull();
  });
});
