import { describe, expect, it } from "vitest";
import { relativeTime } from "./relative-time";

const NOW = new Date("2025-03-12T10:30:00.000Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

describe("relativeTime", () => {
  it.each([
    [0, "just now"],
    [44, "just now"],
    [50, "1 minute ago"],
    [60, "1 minute ago"],
    [5 * 60 + 59, "5 minutes ago"],
    [3600, "1 hour ago"],
    [23 * 3600, "23 hours ago"],
    [24 * 3600, "yesterday"],
    [3 * 24 * 3600, "3 days ago"],
    [7 * 24 * 3600, "last week"],
    [20 * 24 * 3600, "2 weeks ago"],
    [45 * 24 * 3600, "last month"],
    [400 * 24 * 3600, "last year"],
  ])("%d seconds ago reads %j", (seconds, text) => {
    expect(relativeTime(ago(seconds), NOW)).toBe(text);
  });

  it("reads the future too", () => {
    expect(relativeTime(ago(-2 * 3600), NOW)).toBe("in 2 hours");
    expect(relativeTime(ago(-10), NOW)).toBe("just now");
  });
});
