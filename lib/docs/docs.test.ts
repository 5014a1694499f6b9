import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { actionHashOf } from "@/lib/client/action-hash";
import { reasonCodes, RULE_ERROR_PREFIX, RULE_REASON_PREFIX } from "@/lib/policy";
import { BatchSubmission, IdempotencyKey, outcomeValues, Review, ReviewSubmission, Routing, statusValues } from "@/lib/validation/reviews";
import { exampleBatch, exampleDecidedReview, examplePendingReview, exampleProblem, exampleSubmission, exampleWebhook, outcomes, requestExamples, routingReasons, statuses } from "./examples";
import { constraintsOf, curlFor, fieldRows, operationsOf, pathVariable, typeLabel, type OpenApiDocument } from "./openapi-view";

const doc = openApiDocument() as unknown as OpenApiDocument;

describe("examples", () => {
  it("are valid under the schemas the server enforces", () => {
    expect(ReviewSubmission.safeParse(exampleSubmission).success).toBe(true);
    expect(BatchSubmission.safeParse(exampleBatch).success).toBe(true);
    for (const { idempotencyKey, ...item } of exampleBatch.items) {
      expect(ReviewSubmission.safeParse(item).success).toBe(true);
      expect(IdempotencyKey.safeParse(idempotencyKey).success).toBe(true);
    }
    for (const review of [examplePendingReview, exampleDecidedReview, exampleWebhook.data.review]) expect(Review.safeParse(review).error).toBeUndefined();
  });

  it("show a decision whose actionHash is that of its action", () => {
    expect(exampleDecidedReview.decision?.actionHash).toBe(actionHashOf(exampleDecidedReview.decision!.action));
  });

  it("show a problem whose field errors name real submission fields", () => {
    const fields = Object.keys(ReviewSubmission.shape);
    for (const path of Object.keys(exampleProblem.errors ?? {})) expect(fields).toContain(path.split(".")[0]);
  });

  it("exist for operations of the document only", () => {
    const ids = operationsOf(doc).map((op) => op.operationId);
    for (const id of Object.keys(requestExamples)) expect(ids).toContain(id);
  });

  it("explain, in plain words, every routing reason the contract names", () => {
    const description = Routing.shape.reasons.meta()?.description ?? "";
    const named = description
      .replace(/^[^:]*:\s*/, "")
      .replace(/\.$/, "")
      .split(/,\s*/)
      .filter(Boolean);
    expect(named.length).toBeGreaterThan(5);
    const explained = routingReasons.map((r) => r.reason);
    for (const reason of named) expect(explained).toContain(reason);
  });

  it("explain exactly the reasons the policy produces, in its order", () => {
    const fixed = routingReasons.map((r) => r.reason).filter((r) => !r.startsWith(RULE_REASON_PREFIX) && !r.startsWith(RULE_ERROR_PREFIX));
    expect(fixed).toEqual([...reasonCodes]);
    expect(routingReasons.some((r) => r.reason.startsWith(RULE_REASON_PREFIX))).toBe(true);
    expect(routingReasons.some((r) => r.reason.startsWith(RULE_ERROR_PREFIX))).toBe(true);
  });

  it("explain every status and outcome, in the contract's order", () => {
    expect(statuses.map((s) => s.status)).toEqual([...statusValues]);
    expect(outcomes.map((o) => o.outcome)).toEqual([...outcomeValues]);
  });
});

describe("operationsOf", () => {
  it("reads every path and method of the document, with its parameters and responses", () => {
    const ops = operationsOf(doc);
    const count = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(ops).toHaveLength(count);
    const submit = ops.find((op) => op.method === "post" && op.path === "/reviews")!;
    expect(submit.parameters.map((p) => p.name)).toContain("Idempotency-Key");
    expect(submit.requestBody?.schemaName).toBe("ReviewSubmission");
    expect(submit.responses.find((r) => r.status === "201")?.schemaName).toBe("Review");
    expect(submit.responses.find((r) => r.status === "422")?.contentType).toBe("application/problem+json");
    const get = ops.find((op) => op.method === "get" && op.path === "/reviews/{id}")!;
    expect(get.parameters.find((p) => p.name === "wait")?.constraints).toContain("0 to 30");
  });
});

describe("fieldRows", () => {
  it("lists every submission field with required, type and constraints", () => {
    const rows = fieldRows(doc, doc.components!.schemas!.ReviewSubmission);
    const top = rows.filter((r) => r.depth === 0).map((r) => r.name);
    expect(top).toEqual(Object.keys(ReviewSubmission.shape));
    const by = (path: string) => rows.find((r) => r.path === path)!;
    expect(by("taskType")).toMatchObject({ required: true, type: "string" });
    expect(by("taskType").constraints).toEqual(expect.arrayContaining(["Pattern `^[a-z0-9._-]+$`", "1–100 characters"]));
    expect(by("action")).toMatchObject({ required: true, type: "object" });
    expect(by("confidence")).toMatchObject({ required: false, constraints: ["0 to 1"] });
    expect(by("priority").constraints[0]).toBe("One of `low`, `normal`, `high`, `urgent`");
    expect(by("amount.currency")).toMatchObject({ depth: 1, required: true });
    expect(by("attributes.phi").description).toMatch(/protected health information/);
    expect(by("revisionOf").constraints).toEqual(["Format: uuid"]);
  });

  it("expands nullable nested objects of the review, such as its decision", () => {
    const rows = fieldRows(doc, { $ref: "#/components/schemas/Review" });
    const by = (path: string) => rows.find((r) => r.path === path)!;
    expect(by("decision").type).toBe("object | null");
    expect(by("decision.actionHash").description).toMatch(/SHA-256/);
    expect(by("decision.reviewer.email")).toMatchObject({ depth: 2, type: "string" });
    expect(by("title").type).toBe("string | null");
    expect(by("routing.reasons").type).toBe("string[]");
  });
});

describe("fieldRows of inline answers", () => {
  it("unfolds arrays of inline objects but only names referenced schemas", () => {
    const batch = operationsOf(doc).find((op) => op.path === "/reviews/batch")!;
    const rows = fieldRows(doc, batch.responses.find((r) => r.status === "200")!.schema);
    expect(rows.map((r) => [r.path, r.type])).toEqual([
      ["results", "object[]"],
      ["results[].index", "integer"],
      ["results[].status", "integer"],
      ["results[].review", "Review"],
      ["results[].problem", "Problem"],
    ]);
  });
});

describe("typeLabel and constraintsOf", () => {
  it("label refs, arrays and unions", () => {
    expect(typeLabel({ $ref: "#/components/schemas/Review" })).toBe("Review");
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/Review" } })).toBe("Review[]");
    expect(typeLabel({ anyOf: [{ type: "string" }, { type: "number" }] })).toBe("string | number");
    expect(constraintsOf({ type: "array", items: { type: "string", enum: ["phi"] } })).toEqual(["Each one of `phi`"]);
    expect(constraintsOf({ type: "integer", minimum: 1, maximum: 100, default: 50 })).toEqual(["1 to 100", "Default `50`"]);
  });
});

describe("curlFor", () => {
  it("writes a POST with the key, JSON body and extra headers", () => {
    expect(curlFor({ method: "post", path: "/reviews", serverUrl: "/api/v1", body: { a: "it's" }, headers: { "Idempotency-Key": "k1" } })).toBe(
      [
        `curl -sS -X POST "$COUNTERSIGN_URL/api/v1/reviews"`,
        `-H "Authorization: Bearer $COUNTERSIGN_API_KEY"`,
        `-H "Content-Type: application/json"`,
        `-H "Idempotency-Key: k1"`,
        `-d '{\n  "a": "it'\\''s"\n}'`,
      ].join(" \\\n  "),
    );
  });

  it("turns path parameters into shell variables and adds the query", () => {
    expect(pathVariable("/reviews/{id}/cancel", "id")).toBe("$REVIEW_ID");
    expect(curlFor({ method: "get", path: "/reviews/{id}", serverUrl: "/api/v1", query: { wait: 30 } })).toBe(
      `curl -sS "$COUNTERSIGN_URL/api/v1/reviews/$REVIEW_ID?wait=30" \\\n  -H "Authorization: Bearer $COUNTERSIGN_API_KEY"`,
    );
  });
});
