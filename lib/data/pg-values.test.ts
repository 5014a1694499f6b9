import { describe, expect, it } from "vitest";
import { asJsonb, asNumeric, asText } from "./pg-values";

describe("asNumeric (numeric(p, 2) as PostgreSQL rounds the decimal text)", () => {
  it.each([
    [12.345, "12.35"],
    [1.005, "1.01"],
    [0.005, "0.01"],
    [0.004, "0.00"],
    [12, "12.00"],
    [0, "0.00"],
    [-0, "0.00"],
    [1e-7, "0.00"],
    [5e-3, "0.01"],
    [999.995, "1000.00"],
    [1e15, "1000000000000000.00"],
    [123456789012345.67, "123456789012345.67"],
  ])("%s → %s", (value, text) => expect(asNumeric(value, 2)).toBe(text));

  it("rounds to other scales too", () => {
    expect(asNumeric(2.5, 0)).toBe("3");
    expect(asNumeric(0.0625, 3)).toBe("0.063");
  });
});

describe("asJsonb", () => {
  it("orders keys by length, then bytewise, at every depth, and keeps arrays in order", () => {
    const value = asJsonb({ zeta: 1, b: { yy: [3, { dd: 1, c: 2 }], x: null }, aa: 2, a: 1, é: 3 });
    expect(JSON.stringify(value)).toBe('{"a":1,"b":{"x":null,"yy":[3,{"c":2,"dd":1}]},"aa":2,"é":3,"zeta":1}');
  });

  it("keeps a __proto__ key a key", () => {
    const value = asJsonb(JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
    expect(Object.keys(value)).toEqual(["a", "__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("asText", () => {
  it("replaces lone surrogates as UTF-8 encoding does, and keeps everything else", () => {
    expect(asText("a\ud800b")).toBe("a\ufffdb");
    expect(asText("emoji 😀 é")).toBe("emoji 😀 é");
    expect(asText(undefined)).toBeNull();
  });
});
