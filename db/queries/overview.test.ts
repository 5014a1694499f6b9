import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb } from "@/test/test-db";
import { createTenant, scopeByEmail, testPasswordHash, type TestOrganization } from "@/test/fixtures";
import type { Scope } from "@/db/scope";
import type { Db } from "../client";
import { seedDemo } from "../seed";
import { organizationCounts, visibleWorkspaces } from "./overview";
import { queueFacets } from "./queue";
import { listTaskTypes } from "./task-types";

const NOW = new Date("2025-03-12T10:30:00.000Z");

let db: Db;
let dispose: () => Promise<void>;
const acme: Record<"admin" | "manager" | "reviewer" | "clinician", Scope> = {} as never;
let other: TestOrganization;

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  await seedDemo(db, { now: NOW, passwordHash: await testPasswordHash() });
  for (const who of ["admin", "manager", "reviewer", "clinician"] as const) acme[who] = await scopeByEmail(db, `${who}@acme.test`);
  other = await createTenant(db, "Other");
});
afterAll(async () => dispose?.());

describe("visibleWorkspaces", () => {
  it("shows managers and admins every workspace, reviewers only their own", async () => {
    const names = async (s: Scope) => (await visibleWorkspaces(db, s)).map((w) => w.name);
    expect(await names(acme.admin)).toEqual(["Clinical", "Customer operations"]);
    expect(await names(acme.manager)).toEqual(["Clinical", "Customer operations"]);
    expect(await names(acme.reviewer)).toEqual(["Clinical", "Customer operations"]);
    expect(await names(acme.clinician)).toEqual(["Clinical"]);
  });

  it("never shows another organization's workspaces", async () => {
    expect((await visibleWorkspaces(db, other.admin)).map((w) => w.name)).toEqual(["General"]);
  });
});

describe("queueFacets", () => {
  it("counts what waits in the visible workspaces, with SLA breaches", async () => {
    const all = (await queueFacets(db, acme.manager, NOW)).workspaces;
    expect(all.map((w) => w.name)).toEqual(["Clinical", "Customer operations"]);
    const total = all.reduce((n, w) => n + w.waiting, 0);
    expect(total).toBeGreaterThan(0);
    for (const w of all) expect(w.overdue).toBeLessThanOrEqual(w.waiting);

    const clinician = (await queueFacets(db, acme.clinician, NOW)).workspaces;
    expect(clinician).toEqual([all.find((w) => w.name === "Clinical")]);
  });

  it("shows another organization nothing of the demo's queue", async () => {
    expect((await queueFacets(db, other.admin, NOW)).workspaces).toEqual([expect.objectContaining({ name: "General", waiting: 0, overdue: 0 })]);
  });
});

describe("organizationCounts and listTaskTypes", () => {
  it("count and list only the scope's organization", async () => {
    expect(await organizationCounts(db, acme.admin)).toEqual({ members: 7, disabled: 0, workspaces: 2, taskTypes: 8, unclassified: 0 });
    expect(await organizationCounts(db, other.admin)).toEqual({ members: 1, disabled: 0, workspaces: 1, taskTypes: 0, unclassified: 0 });
    const types = await listTaskTypes(db, acme.admin);
    expect(types.map((t) => t.key)).toEqual([
      "crm.contact.update",
      "delivery.reschedule",
      "ehr.note.write",
      "email.reply.send",
      "refund.issue",
      "route.adjust",
      "supplies.order.place",
      "ticket.tag",
    ]);
    expect(types.find((t) => t.key === "ehr.note.write")).toMatchObject({ dataClass: "phi", reversible: false, mode: "approve_before_action", workspace: "Clinical" });
    expect(await listTaskTypes(db, other.admin)).toEqual([]);
  });
});
