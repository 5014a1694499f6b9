import { describe, expect, it } from "vitest";
import type { TaskTypePolicy } from "@/lib/validation/task-types";
import { floorLoosenings, floorsOf, formatPolicyValue, policyChanges, unattendedRefusal } from "./changes";

const base: TaskTypePolicy = {
  name: "Place a supplies order",
  workspaceId: "w1",
  mode: "approve_before_action",
  reversible: true,
  dataClass: "none",
  customerFacing: false,
  confidenceThreshold: 0.8,
  amountLimit: 500,
  amountCurrency: "USD",
  amountPath: null,
  amountCurrencyPath: null,
  auditSampleRate: 0.02,
  slaMinutes: 240,
  defaultExpirySeconds: null,
  readinessOverrides: { minDecisions: 300, minDays: 14 },
  twoPersonRule: null,
  exceptionRules: [{ name: "big", path: "action.qty", op: "gt", value: 10 }],
};

describe("policyChanges", () => {
  it("lists exactly the fields that differ, as from/to", () => {
    expect(policyChanges(base, { ...base })).toEqual({});
    // Key order inside an object is not a change.
    expect(policyChanges(base, { ...base, readinessOverrides: { minDays: 14, minDecisions: 300 } })).toEqual({});
    expect(policyChanges(base, { ...base, mode: "review_after_draft", amountLimit: null, amountCurrency: null, twoPersonRule: { always: true } })).toEqual({
      mode: { from: "approve_before_action", to: "review_after_draft" },
      amountLimit: { from: 500, to: null },
      amountCurrency: { from: "USD", to: null },
      twoPersonRule: { from: null, to: { always: true } },
    });
    expect(Object.keys(policyChanges(base, { ...base, exceptionRules: [{ name: "big", path: "action.qty", op: "gt", value: 11 }] }))).toEqual(["exceptionRules"]);
  });
});

describe("floorLoosenings", () => {
  it("names each loosening of a floor", () => {
    const strict: TaskTypePolicy = { ...base, reversible: false, dataClass: "phi" };
    expect(floorLoosenings(strict, { ...strict, reversible: true, dataClass: "none" }).map((l) => l.field)).toEqual(["reversible", "dataClass"]);
    expect(floorLoosenings(base, { ...base, amountLimit: 501 })).toEqual([{ field: "amountLimit", message: "Raises the amount limit from 500.00 USD to 501.00 USD" }]);
    expect(floorLoosenings(base, { ...base, amountLimit: null, amountCurrency: null })[0].message).toBe("Removes the 500.00 USD amount limit");
    expect(floorLoosenings(base, { ...base, amountCurrency: "EUR" })[0].field).toBe("amountCurrency");
  });

  it("counts reading the amount somewhere else under a limit as a loosening: the new place may hold less", () => {
    const pathed: TaskTypePolicy = { ...base, amountPath: "action.amount", amountCurrencyPath: "action.currency" };
    expect(floorLoosenings(base, pathed)).toEqual([
      { field: "amountPath", message: "Reads the amount from action.amount instead of the top-level amount" },
      { field: "amountCurrencyPath", message: "Reads the amount's currency from action.currency instead of the task type" },
    ]);
    expect(floorLoosenings(pathed, { ...pathed, amountPath: "action.fee" }).map((l) => l.field)).toEqual(["amountPath"]);
    expect(floorLoosenings(pathed, { ...pathed, amountPath: null, amountCurrencyPath: null }).map((l) => l.field)).toEqual(["amountPath", "amountCurrencyPath"]);
    // Without a limit there is no floor to loosen.
    expect(floorLoosenings({ ...base, amountLimit: null }, { ...pathed, amountLimit: null })).toEqual([]);
    expect(policyChanges(base, pathed)).toEqual({ amountPath: { from: null, to: "action.amount" }, amountCurrencyPath: { from: null, to: "action.currency" } });
    expect(formatPolicyValue("amountPath", null)).toBe("Top-level amount");
  });

  it("doesn't count tightening or unrelated changes", () => {
    expect(floorLoosenings(base, { ...base, reversible: false, dataClass: "phi", amountLimit: 100 })).toEqual([]);
    expect(floorLoosenings({ ...base, amountLimit: null, amountCurrency: null }, { ...base, amountLimit: 1_000_000 })).toEqual([]);
    expect(floorLoosenings({ ...base, dataClass: "pii" }, { ...base, dataClass: "none", mode: "flag_on_exception", confidenceThreshold: 0.1 })).toEqual([]);
  });
});

describe("unattendedRefusal", () => {
  it("refuses flag_on_exception for irreversible or PHI policies only", () => {
    expect(unattendedRefusal({ mode: "flag_on_exception", reversible: false, dataClass: "none" })).toMatch(/its actions are irreversible/);
    expect(unattendedRefusal({ mode: "flag_on_exception", reversible: true, dataClass: "phi" })).toMatch(/it writes PHI/);
    expect(unattendedRefusal({ mode: "flag_on_exception", reversible: false, dataClass: "phi" })).toMatch(/irreversible and it writes PHI/);
    expect(unattendedRefusal({ mode: "flag_on_exception", reversible: true, dataClass: "financial" })).toBeNull();
    expect(unattendedRefusal({ mode: "approve_before_action", reversible: false, dataClass: "phi" })).toBeNull();
  });
});

describe("floorsOf and formatPolicyValue", () => {
  it("says the floors and values in words", () => {
    expect(floorsOf({ ...base, reversible: false, dataClass: "phi" })).toEqual(["Irreversible", "PHI write", "Amounts over 500.00 USD"]);
    expect(floorsOf({ ...base, amountLimit: null })).toEqual([]);
    expect(formatPolicyValue("auditSampleRate", 0.025)).toBe("2.5%");
    expect(formatPolicyValue("slaMinutes", 1440)).toBe("1 day");
    expect(formatPolicyValue("slaMinutes", 90)).toBe("90 min");
    expect(formatPolicyValue("defaultExpirySeconds", null)).toBe("Never");
    expect(formatPolicyValue("workspaceId", "w1", { w1: "Clinical" })).toBe("Clinical");
    expect(formatPolicyValue("mode", "flag_on_exception")).toBe("Flag on exception");
    expect(formatPolicyValue("readinessOverrides", {})).toBe("Organization defaults");
    expect(formatPolicyValue("twoPersonRule", { aboveAmount: 5000 })).toBe("Above 5000");
  });
});
