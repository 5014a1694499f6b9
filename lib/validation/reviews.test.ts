import { describe, expect, it } from "vitest";
import { jsonShape, MAX_JSON_DEPTH } from "@/lib/data/json-shape";
import { ReviewSubmission } from "./reviews";

const nested = (depth: number): unknown => JSON.parse("[".repeat(depth) + "]".repeat(depth));

describe("jsonShape", () => {
  it("counts the nesting of objects and arrays, not scalars", () => {
    expect(jsonShape(1).depth).toBe(0);
    expect(jsonShape(null).depth).toBe(0);
    expect(jsonShape({}).depth).toBe(1);
    expect(jsonShape({ a: [1, { b: "c" }] })).toEqual({ depth: 3, finite: true });
  });

  it("stops just past the limit, however deep the value (no recursion)", () => {
    expect(jsonShape(nested(200_000)).depth).toBe(MAX_JSON_DEPTH + 1);
  });

  it("finds a number that overflowed to Infinity", () => {
    expect(jsonShape(JSON.parse('{"a":[1,{"b":1e999}]}')).finite).toBe(false);
  });
});

describe("ReviewSubmission", () => {
  it("takes an action nested up to the limit and refuses a deeper one", () => {
    expect(ReviewSubmission.safeParse({ taskType: "x", action: { a: nested(MAX_JSON_DEPTH - 1) } }).success).toBe(true);
    const deep = ReviewSubmission.safeParse({ taskType: "x", action: { a: nested(MAX_JSON_DEPTH) }, context: { a: nested(100_000) } });
    expect(deep.error?.issues.map((i) => i.path.join("."))).toEqual(["action", "context"]);
  });

  it("refuses numbers JSON can't hold", () => {
    const parsed = ReviewSubmission.safeParse(JSON.parse('{"taskType":"x","action":{"n":1e999}}'));
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(["Numbers must be finite"]);
  });
});
