import { z } from "zod";
import { AuditHead } from "@/lib/validation/audit";
import { BatchSubmission, Review, ReviewSubmission, TaskTypeResource, Decision, statusValues, outcomeValues } from "@/lib/validation/reviews";

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests, so the
 * contract agents read is the contract the server enforces.
 */

function schemaOf(schema: z.ZodType, io: "input" | "output") {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });
  void _dialect; // OpenAPI 3.1 documents declare the dialect once, not per schema
  return rest;
}

const problem = {
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", format: "uri" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string" },
    requestId: { type: "string" },
    errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "Messages per field, keyed by its dotted path." },
  },
};

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });
const jsonResponse = (description: string, ref: string) => ({ description, content: { "application/json": { schema: { $ref: ref } } } });

const commonErrors = {
  "401": problemResponse("No API key, or an unknown or revoked one."),
  "403": problemResponse("The key lacks the scope this endpoint needs."),
  "429": problemResponse("The key is over its rate; see the Retry-After header."),
  "503": problemResponse("The database is briefly unavailable; retry (with the same Idempotency-Key) after Retry-After."),
};

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const idempotencyHeader = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  schema: { type: "string", maxLength: 255 },
  description: "Same key and body → the first response again and no second review; same key, other body → 422; while the first is in flight → 409 (a request arriving while the first writes its result waits the moment that takes and gets the same response). Kept for at least 24 hours.",
};

export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Countersign Agent API",
      version: "1.0.0",
      description:
        "AI agents propose; people countersign. Submit a proposed action or draft, then wait, poll or receive a signed webhook with the decision. Execute only `decision.action` (its `actionHash` is the SHA-256 of its RFC 8785 canonical JSON), and only when `status` is `approved`.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    paths: {
      "/reviews": {
        post: {
          operationId: "submitReview",
          summary: "Submit a proposed action or draft",
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/ReviewSubmission" } } } },
          responses: {
            "201": jsonResponse("The review: `pending` when a person must look first, `approved` when the policy auto-approved it.", "#/components/schemas/Review"),
            "400": problemResponse("The body is not JSON."),
            "409": problemResponse("A request with this Idempotency-Key is still in flight."),
            "413": problemResponse("The body is over 256 KiB."),
            "415": problemResponse("The body is not `application/json`."),
            "422": problemResponse("Invalid fields (see `errors`), an unknown task type when auto-registration is off, or an Idempotency-Key reused with another body."),
            ...commonErrors,
          },
        },
        get: {
          operationId: "listReviews",
          summary: "List reviews, newest first",
          parameters: [
            { name: "status", in: "query", schema: { type: "string", enum: statusValues } },
            { name: "taskType", in: "query", schema: { type: "string" } },
            { name: "externalId", in: "query", schema: { type: "string" } },
            { name: "cursor", in: "query", schema: { type: "string" }, description: "`nextCursor` of the previous page." },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 } },
          ],
          responses: {
            "200": {
              description: "A page of reviews.",
              content: {
                "application/json": {
                  schema: { type: "object", properties: { data: { type: "array", items: { $ref: "#/components/schemas/Review" } }, nextCursor: { type: ["string", "null"] } } },
                },
              },
            },
            "422": problemResponse("Invalid query parameters."),
            ...commonErrors,
          },
        },
      },
      "/reviews/batch": {
        post: {
          operationId: "submitReviews",
          summary: "Submit up to 100 items; one result per item, in order",
          requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/BatchSubmission" } } } },
          responses: {
            "200": {
              description: "Each item's own status with its review or its problem; a bad item does not sink the others.",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    properties: {
                      results: {
                        type: "array",
                        items: { type: "object", properties: { index: { type: "integer" }, status: { type: "integer" }, review: { $ref: "#/components/schemas/Review" }, problem: { $ref: "#/components/schemas/Problem" } } },
                      },
                    },
                  },
                },
              },
            },
            "400": problemResponse("The body is not JSON."),
            "413": problemResponse("The body is over 256 KiB."),
            "415": problemResponse("The body is not `application/json`."),
            "422": problemResponse("The batch itself is invalid (not 1–100 items)."),
            ...commonErrors,
          },
        },
      },
      "/reviews/{id}": {
        get: {
          operationId: "getReview",
          summary: "A review and, once decided, its decision",
          parameters: [idParam, { name: "wait", in: "query", schema: { type: "integer", minimum: 0, maximum: 30 }, description: "Hold the request open up to this many seconds until the review is decided." }],
          responses: {
            "200": jsonResponse("The review.", "#/components/schemas/Review"),
            "404": problemResponse("No such review (an id of another organization answers the same)."),
            "422": problemResponse("Invalid `wait`."),
            ...commonErrors,
          },
        },
      },
      "/reviews/{id}/cancel": {
        post: {
          operationId: "cancelReview",
          summary: "Withdraw a pending review",
          parameters: [idParam],
          responses: {
            "200": jsonResponse("The review, now `cancelled`.", "#/components/schemas/Review"),
            "404": problemResponse("No such review."),
            "409": problemResponse("The review is already decided (or expired, or cancelled)."),
            ...commonErrors,
          },
        },
      },
      "/task-types": {
        get: {
          operationId: "listTaskTypes",
          summary: "Task types, their modes and hard floors",
          responses: {
            "200": { description: "The organization's task types.", content: { "application/json": { schema: { type: "object", properties: { data: { type: "array", items: { $ref: "#/components/schemas/TaskType" } } } } } } },
            ...commonErrors,
          },
        },
      },
      "/audit/head": {
        get: {
          operationId: "getAuditHead",
          summary: "The audit chain's head, to keep as an anchor",
          description:
            "Needs the `audit:read` scope. The newest linked entry's position in the organization's audit chain and its HMAC. Save it outside Countersign (say, daily): an admin who verifies the chain against it later sees whether entries were removed from the end (the chain ends before `seq`) or the chain was rewritten (the entry at `seq` has another HMAC).",
          responses: {
            "200": jsonResponse("The chain head now.", "#/components/schemas/AuditHead"),
            ...commonErrors,
          },
        },
      },
    },
    webhooks: {
      "review.decided": {
        post: {
          summary: "A review was decided (approved, edited, rejected, changes requested, or auto-approved). Also review.expired and review.cancelled.",
          description:
            "`data.review.decision.outcome` is `approved`, `edited`, `rejected`, `changes_requested` (status `rejected`; `decision.instruction` says what to change before resubmitting with `revisionOf`) or `auto_approved`. Standard Webhooks: headers `webhook-id` (stable across retries), `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>` with your organization's `whsec_` secret. Only a 2xx answer counts; redirects are not followed; retries back off over about a day.",
          requestBody: {
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: { type: { type: "string", enum: ["review.decided", "review.expired", "review.cancelled"] }, timestamp: { type: "string", format: "date-time" }, data: { type: "object", properties: { review: { $ref: "#/components/schemas/Review" } } } },
                },
              },
            },
          },
          responses: { "2XX": { description: "Received." } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key from Admin › API keys (`cs_live_…`)." } },
      schemas: {
        ReviewSubmission: schemaOf(ReviewSubmission, "input"),
        BatchSubmission: schemaOf(BatchSubmission, "input"),
        Review: schemaOf(Review, "output"),
        Decision: schemaOf(Decision, "output"),
        TaskType: schemaOf(TaskTypeResource, "output"),
        AuditHead: schemaOf(AuditHead, "output"),
        Problem: problem,
        Outcome: { type: "string", enum: outcomeValues },
      },
    },
  };
}
