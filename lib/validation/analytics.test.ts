import { describe, expect, it } from "vitest";
import { analyticsHref, parseAnalyticsParams, rangeFor } from "./analytics";

const now = new Date("2026-11-24T15:00:00Z");

describe("parseAnalyticsParams", () => {
  it("reads a custom range, the view and the fast-approval seconds, and drops junk to the defaults", () => {
    expect(parseAnalyticsParams({ from: "2026-10-01", to: "2026-10-31", view: "reviewers", fast: "10" })).toMatchObject({ days: 28, from: "2026-10-01", to: "2026-10-31", view: "reviewers", fast: 10 });
    expect(parseAnalyticsParams({ from: "2026-02-30", to: "yesterday", view: "admin", fast: "7", days: "3" })).toEqual({ days: 28, view: "task-types", fast: 5 });
  });
});

describe("rangeFor", () => {
  it("uses the last N days without a custom range, or with only one end of it", () => {
    expect(rangeFor({ days: 7 }, now)).toEqual({ from: "2026-11-18", to: "2026-11-24", custom: false });
    expect(rangeFor({ days: 28, from: "2026-10-01" }, now)).toEqual({ from: "2026-10-28", to: "2026-11-24", custom: false });
  });

  it("orders a reversed range, ends it today at the latest, and caps it at 366 days keeping its end", () => {
    expect(rangeFor({ days: 28, from: "2026-10-31", to: "2026-10-01" }, now)).toEqual({ from: "2026-10-01", to: "2026-10-31", custom: true });
    expect(rangeFor({ days: 28, from: "2026-11-20", to: "2027-01-01" }, now)).toEqual({ from: "2026-11-20", to: "2026-11-24", custom: true });
    expect(rangeFor({ days: 28, from: "2026-12-01", to: "2026-12-05" }, now)).toEqual({ from: "2026-11-24", to: "2026-11-24", custom: true });
    expect(rangeFor({ days: 28, from: "2020-01-01", to: "2026-06-30" }, now)).toEqual({ from: "2025-06-30", to: "2026-06-30", custom: true });
  });
});

describe("analyticsHref", () => {
  const defaults = parseAnalyticsParams({});
  it("writes only what differs from the defaults, a custom range instead of days", () => {
    expect(analyticsHref("/analytics", defaults)).toBe("/analytics");
    expect(analyticsHref("/analytics", { ...defaults, days: 7, view: "reviewers", fast: 10 })).toBe("/analytics?days=7&view=reviewers&fast=10");
    expect(analyticsHref("/analytics", { ...defaults, days: 7, from: "2026-10-01", to: "2026-10-31", fast: 10 })).toBe("/analytics?from=2026-10-01&to=2026-10-31");
  });
});
