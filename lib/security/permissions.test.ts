import { describe, expect, it } from "vitest";
import { can, capabilities, homePathFor, navFor, type Capability, type Role } from "./permissions";

// The whole matrix, written out by hand: a change to who may do what must change this table too.
const matrix: Record<Capability, Record<Role, boolean>> = {
  "queue.work": { reviewer: true, manager: true, admin: true },
  "reviews.decide": { reviewer: true, manager: true, admin: true },
  "workspaces.seeAll": { reviewer: false, manager: true, admin: true },
  "analytics.view": { reviewer: false, manager: true, admin: true },
  "admin.view": { reviewer: false, manager: false, admin: true },
  "members.manage": { reviewer: false, manager: false, admin: true },
  "workspaces.manage": { reviewer: false, manager: false, admin: true },
  "taskTypes.manage": { reviewer: false, manager: false, admin: true },
  "apiKeys.manage": { reviewer: false, manager: false, admin: true },
  "webhooks.manage": { reviewer: false, manager: false, admin: true },
  "settings.manage": { reviewer: false, manager: false, admin: true },
  "audit.view": { reviewer: false, manager: false, admin: true },
};

describe("permissions matrix", () => {
  it("covers every capability", () => {
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(capabilities).sort());
  });

  for (const [capability, byRole] of Object.entries(matrix) as [Capability, Record<Role, boolean>][]) {
    for (const [role, expected] of Object.entries(byRole) as [Role, boolean][]) {
      it(`${role} ${expected ? "may" : "may not"} ${capability}`, () => {
        expect(can(role, capability)).toBe(expected);
      });
    }
  }

  it("nests roles: whatever a reviewer may do, a manager may; whatever a manager may do, an admin may", () => {
    for (const capability of Object.keys(capabilities) as Capability[]) {
      if (can("reviewer", capability)) expect(can("manager", capability)).toBe(true);
      if (can("manager", capability)) expect(can("admin", capability)).toBe(true);
    }
  });
});

describe("landing and navigation", () => {
  it("sends each role to the area it works in", () => {
    expect(homePathFor("reviewer")).toBe("/queue");
    expect(homePathFor("manager")).toBe("/analytics");
    expect(homePathFor("admin")).toBe("/admin");
  });

  it("shows only what the role may use", () => {
    expect(navFor("reviewer").map((i) => i.href)).toEqual(["/queue"]);
    expect(navFor("manager").map((i) => i.href)).toEqual(["/queue", "/analytics"]);
    expect(navFor("admin").map((i) => i.href)).toEqual(["/queue", "/analytics", "/admin"]);
  });
});
