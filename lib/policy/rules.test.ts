import { describe, expect, it } from "vitest";
import { AmountPath, ExceptionRule, ExceptionRules, isValidRule, resolvePath, ruleMatches, ruleUnevaluable, type RuleSubject } from "./rules";

const messages = (input: unknown) => {
  const r = ExceptionRule.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("ExceptionRule schema", () => {
  it.each([
    { name: "large-refund", path: "action.amount", op: "gt", value: 1000 },
    { name: "Big_Order.v2", path: "action.items.0.qty", op: "gte", value: 10 },
    { name: "low", path: "context.score", op: "lt", value: -1.5 },
    { name: "low2", path: "context.score", op: "lte", value: 0 },
    { name: "vip", path: "context.customer.tier", op: "eq", value: "vip" },
    { name: "nullish", path: "action.note", op: "eq", value: null },
    { name: "not-usd", path: "action.currency", op: "neq", value: "USD" },
    { name: "flag", path: "action.manual", op: "neq", value: false },
    { name: "country", path: "action.country", op: "in", value: ["KP", "IR", 7, null, true] },
    { name: "known", path: "action.currency", op: "notIn", value: [] },
    { name: "has-note", path: "action.note", op: "exists" },
    { name: "no-note", path: "action.note", op: "exists", value: false },
  ])("accepts $name ($op)", (rule) => {
    expect(ExceptionRule.parse(rule)).toEqual(rule);
  });

  it.each([
    [{ name: "", path: "action.a", op: "exists" }, "name: Name the rule"],
    [{ name: "x".repeat(61), path: "action.a", op: "exists" }, "name: Use at most 60 characters"],
    [{ name: "has space", path: "action.a", op: "exists" }, "name: Use letters, digits, '.', '_' and '-' only"],
    [{ name: "r", path: "amount", op: "exists" }, 'path: Start the path with "action." or "context.", e.g. "action.amount"'],
    [{ name: "r", path: "action", op: "exists" }, 'path: Start the path with "action." or "context.", e.g. "action.amount"'],
    [{ name: "r", path: "item.action.a", op: "exists" }, 'path: Start the path with "action." or "context.", e.g. "action.amount"'],
    [{ name: "r", path: "action..a", op: "exists" }, "path: Path segments can't be empty (look for a doubled or trailing dot)"],
    [{ name: "r", path: "action.a.", op: "exists" }, "path: Path segments can't be empty (look for a doubled or trailing dot)"],
    [{ name: "r", path: "action.a b", op: "exists" }, "path: Path segments can't contain spaces"],
    [{ name: "r", path: "action.__proto__.polluted", op: "exists" }, 'path: "__proto__" can\'t be used in a path'],
    [{ name: "r", path: "context.constructor", op: "exists" }, 'path: "constructor" can\'t be used in a path'],
    [{ name: "r", path: "action.a.prototype", op: "exists" }, 'path: "prototype" can\'t be used in a path'],
    [{ name: "r", path: `action.${"a".repeat(200)}`, op: "exists" }, "path: Use at most 200 characters"],
    [{ name: "r", path: "action.a", op: "between" }, "op: Use one of gt, gte, lt, lte, eq, neq, in, notIn, exists"],
    [{ name: "r", path: "action.a", op: "gt" }, 'value: "gt" compares with a number: give a finite number as value'],
    [{ name: "r", path: "action.a", op: "lte", value: "10" }, 'value: "lte" compares with a number: give a finite number as value'],
    [{ name: "r", path: "action.a", op: "gte", value: Number.POSITIVE_INFINITY }, 'value: "gte" compares with a number: give a finite number as value'],
    [{ name: "r", path: "action.a", op: "eq" }, 'value: "eq" compares with a single value: give a string, number, boolean or null'],
    [{ name: "r", path: "action.a", op: "neq", value: { a: 1 } }, 'value: "neq" compares with a single value: give a string, number, boolean or null'],
    [{ name: "r", path: "action.a", op: "eq", value: [1] }, 'value: "eq" compares with a single value: give a string, number, boolean or null'],
    [{ name: "r", path: "action.a", op: "in", value: "KP" }, 'value: "in" checks membership: give a list as value'],
    [{ name: "r", path: "action.a", op: "notIn", value: Array.from({ length: 101 }, (_, i) => i) }, "value: Use at most 100 values"],
    [{ name: "r", path: "action.a", op: "in", value: [1, { a: 1 }] }, "value: List only strings, numbers, booleans or null"],
    [{ name: "r", path: "action.a", op: "exists", value: "yes" }, 'value: "exists" takes true (the path is present, the default) or false (it is missing)'],
    [{ name: "r", path: "action.a", op: "exists", valu: true }, ': Unrecognized key: "valu"'],
  ])("refuses %j with a clear message", (rule, message) => {
    expect(messages(rule)).toContain(message);
  });

  it("accepts exactly 100 list entries and 200-character paths", () => {
    expect(ExceptionRule.safeParse({ name: "r", path: "action.a", op: "in", value: Array.from({ length: 100 }, (_, i) => i) }).success).toBe(true);
    expect(ExceptionRule.safeParse({ name: "r", path: `action.${"a".repeat(193)}`, op: "exists" }).success).toBe(true);
  });

  it("isValidRule agrees with the schema", () => {
    expect(isValidRule({ name: "r", path: "action.a", op: "gt", value: 1 })).toBe(true);
    expect(isValidRule({ name: "r", path: "action.a", op: "gt", value: "1" })).toBe(false);
    expect(isValidRule(null)).toBe(false);
  });
});

describe("ExceptionRules", () => {
  const rule = (name: string) => ({ name, path: "action.a", op: "exists" as const });

  it("accepts up to 50 uniquely named rules", () => {
    expect(ExceptionRules.safeParse([]).success).toBe(true);
    expect(ExceptionRules.safeParse(Array.from({ length: 50 }, (_, i) => rule(`r${i}`))).success).toBe(true);
  });

  it("refuses more than 50", () => {
    const r = ExceptionRules.safeParse(Array.from({ length: 51 }, (_, i) => rule(`r${i}`)));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe("Use at most 50 rules");
  });

  it("refuses duplicate names, case-insensitively, pointing at the second one", () => {
    const r = ExceptionRules.safeParse([rule("big"), rule("other"), rule("Big")]);
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([expect.objectContaining({ path: [2, "name"], message: 'Another rule is already named "Big"' })]);
  });

  it("reports the position of a bad rule", () => {
    const r = ExceptionRules.safeParse([rule("a"), { name: "b", path: "action.a", op: "gt" }]);
    expect(r.error!.issues.map((i) => i.path)).toEqual([[1, "value"]]);
  });
});

describe("resolvePath", () => {
  const item: RuleSubject = {
    action: { amount: 620, note: null, zero: 0, empty: "", flag: false, items: [{ qty: 3 }, { qty: 12, tags: ["a", "b"] }], nested: { deep: { x: "y" } } },
    context: { score: 0.4 },
  };

  it.each([
    ["action.amount", 620],
    ["action.note", null],
    ["action.zero", 0],
    ["action.empty", ""],
    ["action.flag", false],
    ["action.items.0.qty", 3],
    ["action.items.1.tags.1", "b"],
    ["action.nested.deep.x", "y"],
    ["context.score", 0.4],
  ])("%s → %j", (path, expected) => {
    expect(resolvePath(item, path)).toEqual(expected);
  });

  it("returns sub-objects and arrays as they are", () => {
    expect(resolvePath(item, "action.items.1")).toEqual({ qty: 12, tags: ["a", "b"] });
  });

  it.each([
    "action.missing",
    "action.amount.value", // through a number
    "action.empty.length", // through a string
    "action.items.2.qty", // out of range
    "action.items.-1",
    "action.items.01", // not a canonical index
    "action.items.length", // arrays expose indices only
    "action.items.qty",
    "action.nested.deep.x.y",
    "context.missing",
    "amount", // no root
    "action",
    "",
  ])("%s is absent", (path) => {
    expect(resolvePath(item, path)).toBeUndefined();
  });

  it("treats a missing or null context as absent", () => {
    expect(resolvePath({ action: {} }, "context.score")).toBeUndefined();
    expect(resolvePath({ action: {}, context: null }, "context.score")).toBeUndefined();
  });

  it("never follows prototype keys or inherited properties", () => {
    const polluted = JSON.parse('{"__proto__": {"evil": 1}, "constructor": {"prototype": {"x": 1}}}') as Record<string, unknown>;
    const subject: RuleSubject = { action: polluted };
    expect(resolvePath(subject, "action.__proto__")).toBeUndefined();
    expect(resolvePath(subject, "action.__proto__.evil")).toBeUndefined();
    expect(resolvePath(subject, "action.constructor")).toBeUndefined();
    expect(resolvePath(subject, "action.constructor.prototype.x")).toBeUndefined();
    expect(resolvePath({ action: {} }, "action.toString")).toBeUndefined();
    expect(resolvePath({ action: {} }, "action.hasOwnProperty")).toBeUndefined();
    expect(resolvePath({ action: Object.create({ inherited: 1 }) as Record<string, unknown> }, "action.inherited")).toBeUndefined();
    expect(({} as Record<string, unknown>).evil).toBeUndefined();
  });

  it("reads own properties of null-prototype objects", () => {
    const action = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(resolvePath({ action }, "action.a")).toBe(1);
  });

  it("doesn't run getters", () => {
    let called = false;
    const action = Object.defineProperty({}, "secret", {
      enumerable: true,
      get() {
        called = true;
        return 1;
      },
    }) as Record<string, unknown>;
    expect(resolvePath({ action }, "action.secret")).toBeUndefined();
    expect(called).toBe(false);
  });
});

describe("ruleMatches", () => {
  const item: RuleSubject = {
    action: { amount: 620, currency: "USD", note: null, label: "620", items: [{ qty: 3 }], meta: { a: 1 } },
    context: { score: 0.4 },
  };
  const matches = (op: ExceptionRule["op"], path: string, value?: unknown) => ruleMatches({ name: "r", path, op, value }, item);

  it("gt / gte / lt / lte compare finite numbers", () => {
    expect(matches("gt", "action.amount", 500)).toBe(true);
    expect(matches("gt", "action.amount", 620)).toBe(false);
    expect(matches("gte", "action.amount", 620)).toBe(true);
    expect(matches("gte", "action.amount", 621)).toBe(false);
    expect(matches("lt", "context.score", 0.5)).toBe(true);
    expect(matches("lt", "context.score", 0.4)).toBe(false);
    expect(matches("lte", "context.score", 0.4)).toBe(true);
    expect(matches("lte", "context.score", 0.39)).toBe(false);
    expect(matches("gt", "action.items.0.qty", 2)).toBe(true);
  });

  it("numeric comparisons never match a missing, non-numeric or non-finite value", () => {
    for (const op of ["gt", "gte", "lt", "lte"] as const) {
      expect(matches(op, "action.missing", 0)).toBe(false);
      expect(matches(op, "action.label", 0)).toBe(false); // "620" is a string
      expect(matches(op, "action.note", 0)).toBe(false);
      expect(matches(op, "action.meta", 0)).toBe(false);
      expect(ruleMatches({ name: "r", path: "action.x", op, value: 0 }, { action: { x: Number.NaN } })).toBe(false);
      expect(ruleMatches({ name: "r", path: "action.x", op, value: 0 }, { action: { x: Number.POSITIVE_INFINITY } })).toBe(false);
      expect(matches(op, "action.amount", "500")).toBe(false); // a malformed rule compares nothing
    }
  });

  it("eq is strict equality on primitives", () => {
    expect(matches("eq", "action.currency", "USD")).toBe(true);
    expect(matches("eq", "action.currency", "usd")).toBe(false);
    expect(matches("eq", "action.amount", 620)).toBe(true);
    expect(matches("eq", "action.label", 620)).toBe(false);
    expect(matches("eq", "action.note", null)).toBe(true);
    expect(matches("eq", "action.missing", null)).toBe(false); // absent is not null
    expect(matches("eq", "action.meta", "[object Object]")).toBe(false);
  });

  it("neq matches a present value that differs, never a missing one", () => {
    expect(matches("neq", "action.currency", "EUR")).toBe(true);
    expect(matches("neq", "action.currency", "USD")).toBe(false);
    expect(matches("neq", "action.note", null)).toBe(false);
    expect(matches("neq", "action.label", 620)).toBe(true);
    expect(matches("neq", "action.meta", 1)).toBe(true); // an object differs from any primitive
    expect(matches("neq", "action.missing", "USD")).toBe(false);
  });

  it("in / notIn check membership with strict equality", () => {
    expect(matches("in", "action.currency", ["EUR", "USD"])).toBe(true);
    expect(matches("in", "action.currency", ["EUR", "usd"])).toBe(false);
    expect(matches("in", "action.amount", ["620"])).toBe(false);
    expect(matches("in", "action.note", [null])).toBe(true);
    expect(matches("in", "action.missing", [null])).toBe(false);
    expect(matches("notIn", "action.currency", ["EUR", "GBP"])).toBe(true);
    expect(matches("notIn", "action.currency", ["USD"])).toBe(false);
    expect(matches("notIn", "action.currency", [])).toBe(true);
    expect(matches("notIn", "action.missing", ["USD"])).toBe(false);
    expect(matches("in", "action.currency", "USD")).toBe(false); // a malformed rule compares nothing
  });

  it("exists checks presence (true by default), including null values", () => {
    expect(matches("exists", "action.note")).toBe(true);
    expect(matches("exists", "action.note", true)).toBe(true);
    expect(matches("exists", "action.note", false)).toBe(false);
    expect(matches("exists", "action.missing")).toBe(false);
    expect(matches("exists", "action.missing", false)).toBe(true);
    expect(matches("exists", "context.score")).toBe(true);
    expect(ruleMatches({ name: "r", path: "context.score", op: "exists", value: false }, { action: {}, context: null })).toBe(true);
  });

  it("a prototype path never matches as present", () => {
    expect(ruleMatches({ name: "r", path: "action.constructor", op: "exists" }, { action: {} })).toBe(false);
    expect(ruleMatches({ name: "r", path: "action.__proto__", op: "exists", value: false }, { action: {} })).toBe(true);
  });

  it("an unknown operator never matches", () => {
    expect(ruleMatches({ name: "r", path: "action.amount", op: "between" as never, value: 1 }, item)).toBe(false);
  });
});

describe("ruleUnevaluable", () => {
  it("is true for a numeric rule over a present value that isn't a finite number, so route escalates instead of a silent no", () => {
    for (const op of ["gt", "gte", "lt", "lte"] as const) {
      for (const x of ["5000", [5000], {}, null, true, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(ruleUnevaluable({ name: "r", path: "action.x", op, value: 0 }, { action: { x } }), `${op} ${JSON.stringify(x)}`).toBe(true);
      }
      expect(ruleUnevaluable({ name: "r", path: "action.x", op, value: 0 }, { action: { x: 5 } })).toBe(false);
      expect(ruleUnevaluable({ name: "r", path: "action.x", op, value: 0 }, { action: {} })).toBe(false);
    }
  });

  it("is false for the other operators, which compare any value", () => {
    for (const op of ["eq", "neq", "in", "notIn", "exists"] as const) {
      expect(ruleUnevaluable({ name: "r", path: "action.x", op, value: op === "in" || op === "notIn" ? [1] : op === "exists" ? true : 1 }, { action: { x: "5000" } })).toBe(false);
    }
  });
});

describe("AmountPath", () => {
  it("is a rule path into the action only", () => {
    expect(AmountPath.safeParse("action.refund.amount").success).toBe(true);
    expect(AmountPath.safeParse("context.amount").success).toBe(false);
    expect(AmountPath.safeParse("action.__proto__").success).toBe(false);
    expect(AmountPath.safeParse("action").success).toBe(false);
  });
});
