import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it("is the same for the same value whatever the key order", () => {
    expect(canonicalJson({ x: 1, y: "2" })).toBe(canonicalJson({ y: "2", x: 1 }));
  });

  it("serializes numbers as ECMAScript does", () => {
    expect(canonicalJson([1.0, 1e21, 0.1, -0])).toBe("[1,1e+21,0.1,0]");
  });

  it("drops undefined members and refuses non-finite numbers", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });

  it("sorts by UTF-16 code units", () => {
    expect(canonicalJson({ "é": 1, z: 2, "€": 3 })).toBe('{"z":2,"é":1,"€":3}');
  });
});
