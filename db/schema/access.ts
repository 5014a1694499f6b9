import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, users } from "./tenancy";

export const apiKeyScopes = ["reviews:write", "reviews:read", "audit:read"] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    // The first characters of the key, shown in lists; the key itself is stored only as SHA-256.
    prefix: text().notNull(),
    hash: text().notNull(),
    scopes: text({ enum: apiKeyScopes }).array().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.hash), index("api_keys_org_idx").on(t.organizationId, t.createdAt)],
);

/** Idempotency-Key records, scoped per organization and kept at least 24 hours. */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    key: text().notNull(),
    requestHash: text().notNull(),
    responseStatus: integer(),
    responseBody: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("idempotency_keys_org_key").on(t.organizationId, t.key)],
);

export const webhookEvents = ["review.created", "review.decided", "review.expired", "review.cancelled", "task_type.mode_changed"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    url: text().notNull(),
    description: text().notNull().default(""),
    events: text({ enum: webhookEvents }).array().notNull(),
    // Encrypted at rest (the signer needs the secret itself, so it cannot be a one-way hash).
    secretEncrypted: text().notNull(),
    previousSecretEncrypted: text(),
    previousSecretExpiresAt: timestamp({ withTimezone: true }),
    disabledAt: timestamp({ withTimezone: true }),
    // Why it was disabled: by an admin, or by the delivery worker after failing for days.
    disabledReason: text({ enum: ["admin", "failing"] }),
    // The first failed attempt since the last success; cleared by any success.
    failingSince: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.organizationId)],
);

/** The outbox: one row per (event, target); a delivery worker claims due rows with SKIP LOCKED. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    endpointId: uuid().references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    // Set for per-item callbacks instead of an endpoint.
    url: text().notNull(),
    messageId: text().notNull(),
    event: text({ enum: webhookEvents }).notNull(),
    payload: jsonb().notNull(),
    status: text({ enum: ["pending", "delivered", "failed"] }).notNull().default("pending"),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastResponseStatus: integer(),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt), index("webhook_deliveries_org_idx").on(t.organizationId, t.createdAt)],
);

/** Every delivery attempt, for the delivery log: what was sent when, and what came back. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    deliveryId: uuid().notNull().references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer(),
    durationMs: integer(),
    error: text(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.organizationId, t.deliveryId, t.attemptedAt)],
);

/** Fixed-window request counters per API key, in PostgreSQL so a limit holds across instances. */
export const rateLimitCounters = pgTable(
  "rate_limit_counters",
  {
    key: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export type ApiKey = typeof apiKeys.$inferSelect;
