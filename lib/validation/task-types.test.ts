import { describe, expect, it } from "vitest";
import { fieldErrorsFrom } from "@/lib/errors";
import { RoutingPreviewForm, ruleValueFromText, ruleValueToText, TaskTypeForm } from "./task-types";

const workspaceId = "0b5c0a3e-8f2a-4a57-9d0e-6f1f7a1d2c3b";
const reviewId = "5d1f7c1e-2a4b-4c3d-8e9f-0a1b2c3d4e5f";

/** What the editor sends for a plain, reversible task type. */
const form = (over: Record<string, unknown> = {}) => ({
  key: "refund.issue",
  version: "2026-03-01T10:00:00.000Z",
  name: "  Issue a refund ",
  workspaceId,
  mode: "approve_before_action",
  reversible: "reversible",
  dataClass: "financial",
  confidenceThreshold: "0.85",
  amountLimit: "",
  amountCurrency: "",
  auditSamplePercent: "2",
  slaMinutes: "240",
  defaultExpiryMinutes: "",
  minDecisions: "",
  targetAcceptancePercent: "",
  minDays: "",
  twoPerson: "off",
  twoPersonAmount: "",
  exceptionRules: "[]",
  justification: "",
  ...over,
});

const errorsOf = (input: unknown) => {
  const parsed = TaskTypeForm.safeParse(input);
  expect(parsed.success).toBe(false);
  return fieldErrorsFrom(parsed.success ? [] : parsed.error.issues);
};

describe("TaskTypeForm", () => {
  it("takes where the amount lives: paths into the action, with a currency from a path or the form", () => {
    const policyOf = (over: Record<string, unknown>) => TaskTypeForm.parse(form(over)).policy;
    expect(policyOf({ amountPath: "action.refund.amount", amountCurrencyPath: "action.refund.currency" })).toMatchObject({
      amountPath: "action.refund.amount",
      amountCurrencyPath: "action.refund.currency",
      amountCurrency: null,
    });
    // The fixed currency is kept when an amount read from the action has no currency path.
    expect(policyOf({ amountPath: "action.amount", amountCurrency: "eur" })).toMatchObject({ amountPath: "action.amount", amountCurrency: "EUR" });
    expect(policyOf({ amountPath: "", amountCurrency: "eur" })).toMatchObject({ amountPath: null, amountCurrency: null });
    expect(errorsOf(form({ amountPath: "context.amount", amountCurrency: "USD" }))).toMatchObject({ amountPath: ['Start the path with "action.", e.g. "action.amount"'] });
    expect(errorsOf(form({ amountPath: "action.__proto__", amountCurrency: "USD" })).amountPath).toBeDefined();
    expect(errorsOf(form({ amountPath: "action.amount" }))).toMatchObject({ amountCurrency: ["Give the amount's currency, e.g. USD, or where the action says it"] });
    expect(errorsOf(form({ amountCurrencyPath: "action.currency" }))).toMatchObject({ amountPath: ["Say where the amount is, too"] });
  });

  it("turns the form's strings, percentages and minutes into the stored policy", () => {
    const parsed = TaskTypeForm.parse(
      form({
        customerFacing: "on",
        reversible: "irreversible",
        amountLimit: "1,250.50",
        amountCurrency: "usd",
        amountPath: " action.amount ",
        amountCurrencyPath: "",
        auditSamplePercent: "2.5",
        defaultExpiryMinutes: "90",
        minDecisions: "300",
        targetAcceptancePercent: "97.5",
        minDays: "14",
        twoPerson: "above",
        twoPersonAmount: "5000",
        exceptionRules: JSON.stringify([{ name: "large", path: "action.amount", op: "gt", value: 1000 }]),
        justification: "  why  ",
      }),
    );
    expect(parsed).toEqual({
      key: "refund.issue",
      version: "2026-03-01T10:00:00.000Z",
      justification: "why",
      policy: {
        name: "Issue a refund",
        workspaceId,
        mode: "approve_before_action",
        reversible: false,
        dataClass: "financial",
        customerFacing: true,
        confidenceThreshold: 0.85,
        amountLimit: 1250.5,
        amountCurrency: "USD",
        amountPath: "action.amount",
        amountCurrencyPath: null,
        auditSampleRate: 0.025,
        slaMinutes: 240,
        defaultExpirySeconds: 5400,
        readinessOverrides: { minDecisions: 300, targetAcceptance: 0.975, minDays: 14 },
        twoPersonRule: { aboveAmount: 5000 },
        exceptionRules: [{ name: "large", path: "action.amount", op: "gt", value: 1000 }],
      },
    });
  });

  it("reads blanks as 'not set': no limit, no expiry, the organization's readiness defaults, no two-person rule", () => {
    const { policy, justification } = TaskTypeForm.parse(form({ amountCurrency: "EUR" }));
    expect(policy).toMatchObject({ amountLimit: null, amountCurrency: null, defaultExpirySeconds: null, readinessOverrides: {}, twoPersonRule: null, exceptionRules: [], customerFacing: false });
    expect(justification).toBeUndefined();
    expect(TaskTypeForm.parse(form({ twoPerson: "always", twoPersonAmount: "12" })).policy.twoPersonRule).toEqual({ always: true });
  });

  it("names the field for each bad value", () => {
    expect(errorsOf(form({ confidenceThreshold: "1.5", slaMinutes: "2.5", auditSamplePercent: "abc", amountLimit: "10.123" }))).toMatchObject({
      confidenceThreshold: ["Use a number between 0 and 1"],
      slaMinutes: ["Give a whole number of minutes"],
      auditSamplePercent: ["Give a percentage between 0 and 100"],
      amountLimit: ["Use at most two decimals"],
    });
    expect(errorsOf(form({ confidenceThreshold: "", slaMinutes: "" }))).toMatchObject({ confidenceThreshold: ["Give a confidence threshold"], slaMinutes: ["Give an SLA in minutes"] });
    expect(errorsOf(form({ amountLimit: "500" }))).toEqual({ amountCurrency: ["Give the limit's currency, e.g. USD"] });
    expect(errorsOf(form({ twoPerson: "above" }))).toEqual({ twoPersonAmount: ["Give the amount above which two people approve"] });
    expect(errorsOf(form({ amountLimit: "-1", amountCurrency: "USD" }))).toEqual({ amountLimit: ["An amount limit can't be negative"] });
    expect(errorsOf(form({ targetAcceptancePercent: "40", minDays: "-1" }))).toEqual({ targetAcceptancePercent: ["Use a target above 50%"], minDays: ["Days can't be negative"] });
  });

  it("refuses values outside the known sets and a missing version", () => {
    expect(Object.keys(errorsOf(form({ mode: "yolo", dataClass: "secret", reversible: "maybe", workspaceId: "nope", version: "" }))).sort()).toEqual([
      "dataClass",
      "mode",
      "reversible",
      "version",
      "workspaceId",
    ]);
    // An unclassified task type's form sends no consequences until the admin chooses them.
    expect(errorsOf(form({ reversible: undefined, dataClass: undefined }))).toEqual({ reversible: ["Say whether its actions can be undone"], dataClass: ["Choose a data class"] });
    expect(Object.keys(errorsOf(form({ key: "Bad Key" })))).toEqual(["key"]);
    expect(Object.keys(errorsOf(form({ name: "   " })))).toEqual(["name"]);
  });

  it("validates exception rules with the policy's own schema, per row", () => {
    const rules = [
      { name: "ok", path: "action.amount", op: "gt", value: 10 },
      { name: "bad path", path: "amount", op: "eq", value: "x" },
      { name: "OK", path: "context.customer.tier", op: "in", value: "gold" },
    ];
    const errors = errorsOf(form({ exceptionRules: JSON.stringify(rules) }));
    expect(errors["exceptionRules.1.name"]).toEqual(["Use letters, digits, '.', '_' and '-' only"]);
    expect(errors["exceptionRules.1.path"]?.[0]).toMatch(/Start the path with "action\." or "context\."/);
    expect(errors["exceptionRules.2.value"]).toEqual(['"in" checks membership: give a list as value']);
    expect(errors["exceptionRules.2.name"]).toEqual(['Another rule is already named "OK"']);
    expect(Object.keys(errorsOf(form({ exceptionRules: "{not json" })))).toEqual(["exceptionRules"]);
    expect(Object.keys(errorsOf(form({ exceptionRules: JSON.stringify([{ name: "x", path: "action.a", op: "exists", extra: 1 }]) })))).toEqual(["exceptionRules.0"]);
  });
});

describe("RoutingPreviewForm", () => {
  it("is the same form plus the item to route", () => {
    const parsed = RoutingPreviewForm.parse({ ...form(), previewReviewId: reviewId });
    expect(parsed.reviewId).toBe(reviewId);
    expect(parsed.policy.confidenceThreshold).toBe(0.85);
    const bad = RoutingPreviewForm.safeParse({ ...form(), previewReviewId: "" });
    expect(bad.success).toBe(false);
    expect(Object.keys(fieldErrorsFrom(bad.success ? [] : bad.error.issues))).toEqual(["previewReviewId"]);
  });
});

describe("rule values as text", () => {
  it("reads the text box by operator", () => {
    expect(ruleValueFromText("gt", " 1000 ")).toBe(1000);
    expect(ruleValueFromText("gt", "lots")).toBe("lots");
    expect(ruleValueFromText("lte", "")).toBeUndefined();
    expect(ruleValueFromText("eq", "gold")).toBe("gold");
    expect(ruleValueFromText("eq", "12")).toBe(12);
    expect(ruleValueFromText("eq", '"12"')).toBe("12");
    expect(ruleValueFromText("neq", "true")).toBe(true);
    expect(ruleValueFromText("eq", "null")).toBeNull();
    expect(ruleValueFromText("in", 'gold, platinum, 3, "a, b"')).toEqual(["gold", "platinum", 3, "a, b"]);
    expect(ruleValueFromText("notIn", "")).toEqual([]);
    expect(ruleValueFromText("exists", "false")).toBe(false);
    expect(ruleValueFromText("exists", "true")).toBe(true);
  });

  it("writes back what it reads", () => {
    for (const [op, value] of [
      ["gt", 1000],
      ["eq", "gold"],
      ["eq", "12"],
      ["eq", false],
      ["in", ["gold", 3, "a, b", "true"]],
      ["exists", false],
    ] as const) {
      expect(ruleValueFromText(op, ruleValueToText(op, value))).toEqual(value);
    }
  });
});
