import { describe, expect, it } from "vitest";
import { API_KEY_DISPLAY_LENGTH, apiKeyDisplayPrefix, generateApiKey, isWellFormedApiKey } from "./api-key-format";

describe("API key format", () => {
  it("generates cs_live_ + 32 random bytes in base64url, different every time", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^cs_live_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(8), "base64url")).toHaveLength(32);
    expect(new Set(Array.from({ length: 50 }, generateApiKey)).size).toBe(50);
  });

  it("accepts generated keys and the documented demo key", () => {
    expect(isWellFormedApiKey(generateApiKey())).toBe(true);
    expect(isWellFormedApiKey("cs_live_demo_countersign_acme_0000000000000000")).toBe(true);
  });

  it.each([
    ["no prefix", "A".repeat(43)],
    ["another prefix", `cs_test_${"A".repeat(43)}`],
    ["too short", `cs_live_${"A".repeat(31)}`],
    ["too long", `cs_live_${"A".repeat(201)}`],
    ["not url-safe", `cs_live_${"A".repeat(40)}+/`],
    ["whitespace", `cs_live_${"A".repeat(40)} `],
    ["a newline", `cs_live_${"A".repeat(40)}\n`],
    ["empty", ""],
  ])("refuses a key with %s", (_label, value) => {
    expect(isWellFormedApiKey(value)).toBe(false);
  });

  it("refuses values that aren't strings", () => {
    for (const value of [undefined, null, 42, { key: "cs_live_x" }]) expect(isWellFormedApiKey(value)).toBe(false);
  });

  it("shows the first 12 characters", () => {
    const key = generateApiKey();
    expect(apiKeyDisplayPrefix(key)).toBe(key.slice(0, 12));
    expect(API_KEY_DISPLAY_LENGTH).toBe(12);
    expect(apiKeyDisplayPrefix("cs_live_demo_countersign_acme_0000000000000000")).toBe("cs_live_demo");
  });
});
