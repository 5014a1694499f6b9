import { describe, expect, it } from "vitest";
import { MAX_DELIVERY_ATTEMPTS, RETRY_DELAYS_SECONDS, nextAttemptAfter } from "./schedule";

describe("webhook retry schedule", () => {
  const t0 = new Date("2025-01-01T00:00:00Z");

  it("waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after attempts 1–7", () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => (nextAttemptAfter(n, t0)!.getTime() - t0.getTime()) / 1000);
    expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(waits).toEqual([...RETRY_DELAYS_SECONDS]);
  });

  it("gives up after the eighth attempt, about 27.6 hours after the first", () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(8);
    expect(nextAttemptAfter(8, t0)).toBeNull();
    expect(nextAttemptAfter(9, t0)).toBeNull();
    expect(nextAttemptAfter(0, t0)).toBeNull();
    const total = RETRY_DELAYS_SECONDS.reduce((sum, s) => sum + s, 0);
    expect(total / 3600).toBeCloseTo(27.59, 1);
  });
});
