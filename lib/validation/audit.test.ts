import { describe, expect, it } from "vitest";
import { isStorableTargetId, parseAuditParams, VerifyAuditInput } from "./audit";

describe("parseAuditParams", () => {
  it("keeps well-formed filters", () => {
    const actor = "user:0b8c6f4e-3f7a-4d2b-9c1e-5a6b7c8d9e0f";
    expect(parseAuditParams({ actor, from: "2026-01-31", to: "2026-02-28" })).toMatchObject({ actor, from: "2026-01-31", to: "2026-02-28" });
  });

  it("drops filters the database couldn't compare: a year 0, a date that doesn't exist, an actor id that isn't a uuid", () => {
    expect(parseAuditParams({ actor: `user:${"-".repeat(36)}`, from: "0000-01-01", to: "2026-02-30" })).toMatchObject({ actor: undefined, from: undefined, to: undefined });
  });
});

describe("target id filter", () => {
  it("keeps a value no entry could hold, so it finds nothing instead of widening the view", () => {
    for (const targetId of ["\u0000", "rv-1\u0000", "\u001b[0m", "x".repeat(201)]) {
      expect(parseAuditParams({ targetId }).targetId).toBe(targetId);
      expect(isStorableTargetId(targetId), JSON.stringify(targetId)).toBe(false);
    }
    for (const targetId of ["rv-1", "0b8c6f4e-3f7a-4d2b-9c1e-5a6b7c8d9e0f", "refund.issue", "x".repeat(200), "Ünïcode ✓"]) expect(isStorableTargetId(targetId)).toBe(true);
  });
});

describe("VerifyAuditInput", () => {
  const hmac = "ab".repeat(32);
  it("verifies alone, or against an anchor given whole", () => {
    expect(VerifyAuditInput.parse({})).toEqual({ anchor: undefined });
    expect(VerifyAuditInput.parse({ seq: "42", hmac: ` ${hmac.toUpperCase()} ` })).toEqual({ anchor: { seq: 42, hmac } });
  });

  it("refuses half an anchor or a malformed one", () => {
    for (const input of [{ seq: "42" }, { hmac }, { seq: "0", hmac }, { seq: "4.5", hmac }, { seq: "", hmac }, { seq: "42", hmac: "xyz" }, { seq: "1e30", hmac }]) {
      expect(VerifyAuditInput.safeParse(input).success, JSON.stringify(input)).toBe(false);
    }
  });
});
