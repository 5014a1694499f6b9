import { describe, expect, it } from "vitest";
import { parseAuditParams } from "./audit";

describe("parseAuditParams", () => {
  it("keeps well-formed filters", () => {
    const actor = "user:0b8c6f4e-3f7a-4d2b-9c1e-5a6b7c8d9e0f";
    expect(parseAuditParams({ actor, from: "2026-01-31", to: "2026-02-28" })).toMatchObject({ actor, from: "2026-01-31", to: "2026-02-28" });
  });

  it("drops filters the database couldn't compare: a year 0, a date that doesn't exist, an actor id that isn't a uuid", () => {
    expect(parseAuditParams({ actor: `user:${"-".repeat(36)}`, from: "0000-01-01", to: "2026-02-30" })).toMatchObject({ actor: undefined, from: undefined, to: undefined });
  });
});
