import { describe, expect, it } from "vitest";
import { fieldRows, formatAmount, formatDuration, slaAfterDecision, slaState } from "./queue-format";

const now = new Date("2026-11-24T12:00:00Z");
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();

describe("formatDuration", () => {
  it("reads as minutes, hours and days", () => {
    expect(formatDuration(20_000)).toBe("just now");
    expect(formatDuration(5 * 60_000)).toBe("5 min");
    expect(formatDuration(125 * 60_000)).toBe("2 h 5 min");
    expect(formatDuration(12 * 3600_000)).toBe("12 h");
    expect(formatDuration(3 * 24 * 3600_000)).toBe("3 d");
    expect(formatDuration(-5)).toBe("just now");
  });
});

describe("slaState", () => {
  it("marks overdue, due soon and on track", () => {
    expect(slaState(null, now)).toEqual({ label: "No SLA", state: "none" });
    expect(slaState(at(-15), now)).toEqual({ label: "Overdue 15 min", state: "overdue" });
    expect(slaState(at(29), now)).toEqual({ label: "Due in 29 min", state: "due_soon" });
    expect(slaState(at(30), now)).toEqual({ label: "Due in 30 min", state: "on_track" });
  });
});

describe("formatAmount", () => {
  it("formats money, and survives a currency Intl doesn't know", () => {
    expect(formatAmount({ value: 1234.5, currency: "USD" })).toBe("$1,234.50");
    expect(formatAmount({ value: 3, currency: "XX1" })).toBe("3.00 XX1");
    expect(formatAmount(null)).toBe("—");
  });
});

describe("fieldRows", () => {
  it("humanizes plain keys and joins nested ones with ›", () => {
    expect(fieldRows({ orderId: "A-1", patient: { mrn: "123" }, items: [1, 2], empty: {} })).toEqual([
      { key: '["orderId"]', path: "orderId", label: "Order id", raw: false, value: "A-1" },
      { key: '["patient","mrn"]', path: "patient.mrn", label: "Patient › Mrn", raw: false, value: "123" },
      { key: '["items"]', path: "items", label: "Items", raw: false, value: [1, 2] },
      { key: '["empty"]', path: "empty", label: "Empty", raw: false, value: {} },
    ]);
  });

  it("shows a key with a dot by its raw path, so it can't pass for a nested field (issue 14)", () => {
    const rows = fieldRows({ refund: { amount: 5 }, "refund.amount": 5000, "Refund › amount": 7, a: { "b.c": 1 } });
    expect(rows.map((r) => [r.label, r.raw])).toEqual([
      ["Refund › Amount", false],
      ['"refund.amount"', true],
      ['"Refund › amount"', true],
      ['a."b.c"', true],
    ]);
    expect(new Set(rows.map((r) => r.label)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
});

describe("slaAfterDecision", () => {
  it("never counts down for an item that no longer waits", () => {
    expect(slaAfterDecision("2026-01-01T10:00:00Z", "2026-01-01T09:10:00Z")).toEqual({ label: "Decided within its SLA", state: "on_track" });
    expect(slaAfterDecision("2026-01-01T10:00:00Z", "2026-01-01T10:50:00Z")).toEqual({ label: "Decided 50 min after its SLA", state: "overdue" });
    expect(slaAfterDecision("2026-01-01T10:00:00Z", "2026-01-01T10:00:20Z").label).toBe("Decided just after its SLA");
    expect(slaAfterDecision(null, "2026-01-01T10:00:00Z")).toEqual({ label: "No SLA", state: "none" });
    expect(slaAfterDecision("2026-01-01T10:00:00Z", null).label).toBe("No longer waiting");
  });
});
