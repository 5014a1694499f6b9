import { describe, expect, it } from "vitest";
import { formatAmount, formatDuration, slaState } from "./queue-format";

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
