import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, installAsAppDb } from "@/test/test-db";
import { createTenant, TEST_AUDIT_KEY, type TestOrganization } from "@/test/fixtures";
import type { Db } from "@/db/client";
import { createApiKey } from "@/db/queries/api-keys";
import { auditChainHead, chainAuditLog } from "@/db/queries/audit";
import * as headRoute from "@/app/api/v1/audit/head/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";

let db: Db;
let dispose: () => Promise<void>;
let a: TestOrganization;
let b: TestOrganization;
const keys: Record<"audit" | "reviews" | "other", string> = { audit: "", reviews: "", other: "" };

const get = (key?: string) =>
  headRoute.GET(new Request("http://countersign.test/api/v1/audit/head", { headers: key ? { authorization: `Bearer ${key}` } : {} }), { params: Promise.resolve({} as never) });

beforeAll(async () => {
  const test = await createTestDb();
  db = test.handle.db;
  dispose = test.dispose;
  installAsAppDb(test.handle);
  a = await createTenant(db, "Head A");
  b = await createTenant(db, "Head B");
  keys.audit = (await createApiKey(db, a.admin, { name: "anchor keeper", scopes: ["audit:read"] })).key;
  keys.reviews = (await createApiKey(db, a.admin, { name: "agent", scopes: ["reviews:read", "reviews:write"] })).key;
  keys.other = (await createApiKey(db, b.admin, { name: "other's anchor keeper", scopes: ["audit:read"] })).key;
  await chainAuditLog(db, { key: TEST_AUDIT_KEY });
});
afterAll(async () => dispose?.());

describe("GET /api/v1/audit/head", () => {
  it("answers 401 without a key and 403 for a key without audit:read", async () => {
    for (const [key, status] of [[undefined, 401], ["cs_live_not_a_real_key_0123456789abcdefghijklmnop", 401], [keys.reviews, 403]] as const) {
      const res = await get(key);
      expect(res.status).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.text()).not.toMatch(/[0-9a-f]{64}/);
    }
  });

  it("gives a key with audit:read its own organization's chain head, never another's", async () => {
    const [ownHead, otherHead] = [await auditChainHead(db, a.admin), await auditChainHead(db, b.admin)];
    expect(ownHead.hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(ownHead.hmac).not.toBe(otherHead.hmac);
    const res = await get(keys.audit);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(ownHead);
    expect(ownHead).toMatchObject({ seq: 3 }); // created, key created ×2
    expect(await (await get(keys.other)).json()).toEqual(otherHead);
  });

  it("is in the OpenAPI document, under its scope", async () => {
    const doc = await openapiRoute.GET().json();
    expect(doc.paths["/audit/head"].get).toMatchObject({ operationId: "getAuditHead", description: expect.stringContaining("audit:read") });
    expect(doc.components.schemas.AuditHead.required).toEqual(expect.arrayContaining(["seq", "hmac"]));
  });
});
