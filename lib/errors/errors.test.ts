import { describe, expect, it } from "vitest";
import { AppError, errorCodes, fieldErrorsFrom, humanDuration, statusByCode } from "./index";

describe("AppError vocabulary", () => {
  it("maps every code to an HTTP status, bad input never to a 5xx", () => {
    for (const code of errorCodes) expect(statusByCode[code]).toBeGreaterThanOrEqual(400);
    for (const code of ["invalid", "too_large", "unsupported_media_type", "not_found", "conflict"] as const) expect(statusByCode[code]).toBeLessThan(500);
  });

  it("carries field errors and a retry time", () => {
    const e = new AppError("rate_limited", "slow down", { retryAfterSeconds: 30, fieldErrors: { email: ["x"] } });
    expect(e.code).toBe("rate_limited");
    expect(e.retryAfterSeconds).toBe(30);
    expect(e.fieldErrors).toEqual({ email: ["x"] });
  });

  it("groups zod-style issues by dotted path", () => {
    expect(fieldErrorsFrom([{ path: ["a", 0, "b"], message: "m1" }, { path: ["a", 0, "b"], message: "m2" }, { path: [], message: "root" }])).toEqual({
      "a.0.b": ["m1", "m2"],
      _: ["root"],
    });
  });

  it("says how long to wait in words", () => {
    expect(humanDuration(1)).toBe("1 second");
    expect(humanDuration(14.2)).toBe("15 seconds");
    expect(humanDuration(61)).toBe("2 minutes");
    expect(humanDuration(60)).toBe("1 minute");
  });
});
