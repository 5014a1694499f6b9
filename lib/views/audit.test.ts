import { describe, expect, it } from "vitest";
import { actorLabel, humanKey, summarizeAudit, summaryLine } from "./audit";

describe("summarizeAudit", () => {
  it("reads a before/after pair as the changed leaves only", () => {
    const s = summarizeAudit({ key: "refund.issue", before: { mode: "approve_before_action", confidenceThreshold: 0.8 }, after: { mode: "flag_on_exception", confidenceThreshold: 0.8 } });
    expect(s.changes).toEqual([{ path: "mode", before: "approve_before_action", after: "flag_on_exception" }]);
    expect(s.facts).toEqual(["key: refund.issue"]);
    expect(s.floorLoosened).toBeNull();
  });

  it("reads a policy edit's changes map, in either shape", () => {
    const s = summarizeAudit({ changes: { dataClass: { from: "phi", to: "none" }, slaMinutes: { before: 60, after: 30 }, junk: 3 } });
    expect(s.changes).toEqual([
      { path: "dataClass", before: "phi", after: "none" },
      { path: "slaMinutes", before: 60, after: 30 },
    ]);
  });

  it("flags a loosened floor with its justification, and says when none was written", () => {
    expect(summarizeAudit({ floorLoosened: true, justification: "Reclassified after legal review", loosened: ["PHI → none"] }).floorLoosened).toEqual({
      justification: "Reclassified after legal review",
      loosened: ["PHI → none"],
    });
    expect(summarizeAudit({ floorLoosened: true, justification: "  " }).floorLoosened).toEqual({ justification: null, loosened: [] });
    // Only a real true counts: a string "true" from some other writer is not a flag.
    expect(summarizeAudit({ floorLoosened: "true" }).floorLoosened).toBeNull();
  });

  it("keeps scalar facts readable and short, and leaves nested objects to the raw view", () => {
    const s = summarizeAudit({ timeOnItemMs: 1200, outcome: "approved", reason: null, scopes: ["reviews:read"], nested: { a: 1 }, note: "x".repeat(400) });
    expect(s.facts.slice(0, 3)).toEqual(["time on item ms: 1200", "outcome: approved", "scopes: reviews:read"]);
    expect(s.facts[3].length).toBeLessThanOrEqual(160);
    expect(s.facts.join(" ")).not.toContain("nested");
  });
});

describe("summaryLine", () => {
  it("puts a loosened floor first, then the changes, then the facts", () => {
    expect(summaryLine({ key: "ehr.note.write", floorLoosened: true, justification: "Agreed with DPO", changes: { dataClass: { from: "phi", to: "none" } } })).toBe(
      "FLOOR LOOSENED — justification: Agreed with DPO; dataClass: phi → none; key: ehr.note.write",
    );
    expect(summaryLine({})).toBe("");
  });
});

describe("actorLabel and humanKey", () => {
  it("names members, keys and the system", () => {
    expect(actorLabel({ kind: "user", id: "u", name: "Avery Admin", email: "a@x.test" })).toBe("Avery Admin");
    expect(actorLabel({ kind: "user", id: "u", name: null, email: null })).toBe("Former member");
    expect(actorLabel({ kind: "key", id: "k", name: "Refund agent" })).toBe("API key “Refund agent”");
    expect(actorLabel({ kind: "system" })).toBe("System");
    expect(humanKey("readinessDefaults.minDecisions")).toBe("readiness defaults min decisions");
  });
});
