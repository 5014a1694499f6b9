import { describe, expect, it } from "vitest";
import { diffFields, diffLines } from "./diff";

describe("diffFields", () => {
  it("reports changed, added and removed leaves by path", () => {
    expect(diffFields({ amount: 120, order: { id: "A", note: "x" }, tags: [1] }, { amount: 90, order: { id: "A" }, tags: [1], extra: true })).toEqual([
      { path: "amount", before: 120, after: 90 },
      { path: "extra", before: undefined, after: true },
      { path: "order.note", before: "x", after: undefined },
    ]);
  });
  it("is empty for equal objects whatever the key order", () => {
    expect(diffFields({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });
  it("compares arrays as whole values", () => {
    expect(diffFields({ a: [1, 2] }, { a: [2, 1] })).toEqual([{ path: "a", before: [1, 2], after: [2, 1] }]);
  });
});

describe("diffLines", () => {
  it("keeps common lines and marks the rest", () => {
    expect(diffLines("Hello\nWe refund you.\nBye", "Hello\nWe refund you today.\nBye")).toEqual([
      { kind: "same", text: "Hello" },
      { kind: "removed", text: "We refund you." },
      { kind: "added", text: "We refund you today." },
      { kind: "same", text: "Bye" },
    ]);
  });
  it("handles empty sides", () => {
    expect(diffLines("", "a")).toEqual([
      { kind: "removed", text: "" },
      { kind: "added", text: "a" },
    ]);
    expect(diffLines("same", "same")).toEqual([{ kind: "same", text: "same" }]);
  });
  it("falls back to a whole replacement past the line limit", () => {
    const d = diffLines("a\nb\nc", "a\nb\nd", 2);
    expect(d.filter((l) => l.kind === "same")).toHaveLength(0);
    expect(d).toHaveLength(6);
  });
});
