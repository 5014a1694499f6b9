import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, jsonb, doublePrecision, numeric, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { modes } from "./policies";
import { organizations, users, workspaces } from "./tenancy";
import { taskTypes } from "./policies";
import { apiKeys } from "./access";

export const reviewStatuses = ["pending", "approved", "rejected", "expired", "cancelled"] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];
export const priorities = ["low", "normal", "high", "urgent"] as const;
export type Priority = (typeof priorities)[number];
// `changes_requested`: sent back with an instruction to the agent; the item ends `rejected`.
export const outcomes = ["approved", "edited", "rejected", "changes_requested", "auto_approved"] as const;
export type Outcome = (typeof outcomes)[number];

export type ReviewAttributes = { irreversible?: boolean; phi?: boolean; customerFacing?: boolean };

export const reviews = pgTable(
  "reviews",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: uuid().notNull().references(() => workspaces.id),
    taskTypeId: uuid().notNull().references(() => taskTypes.id),
    apiKeyId: uuid().references(() => apiKeys.id, { onDelete: "set null" }),
    status: text({ enum: reviewStatuses }).notNull().default("pending"),
    // The mode the task type was in when the item was routed.
    mode: text({ enum: modes }).notNull(),
    needsHuman: boolean().notNull(),
    blocking: boolean().notNull(),
    routingReasons: text().array().notNull().default(sql`'{}'::text[]`),
    title: text(),
    action: jsonb().$type<Record<string, unknown>>().notNull(),
    draft: text(),
    context: jsonb().$type<Record<string, unknown>>(),
    confidence: doublePrecision(),
    amountValue: numeric({ precision: 18, scale: 2 }),
    amountCurrency: text(),
    attributes: jsonb().$type<ReviewAttributes>().notNull().default({}),
    priority: text({ enum: priorities }).notNull().default("normal"),
    // For ordering the queue by an index: urgent 3, high 2, normal 1, low 0.
    priorityRank: smallint()
      .notNull()
      .generatedAlwaysAs(sql`case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end`),
    externalId: text(),
    callbackUrl: text(),
    expiresAt: timestamp({ withTimezone: true }),
    slaDueAt: timestamp({ withTimezone: true }),
    revisionOf: uuid(),
    claimedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    leaseExpiresAt: timestamp({ withTimezone: true }),
    approvalsNeeded: integer().notNull().default(1),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp({ withTimezone: true }),
    // When a person decided it: the end of its time in the queue (an audit-sampled item is `approved`
    // from the start but waits here for its after-the-fact review).
    reviewedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("reviews_org_status_idx").on(t.organizationId, t.status, t.createdAt),
    index("reviews_org_workspace_status_idx").on(t.organizationId, t.workspaceId, t.status),
    index("reviews_org_task_type_idx").on(t.organizationId, t.taskTypeId, t.createdAt),
    index("reviews_org_external_idx").on(t.organizationId, t.externalId),
    // The queue: what a person still has to look at, in claim order (most urgent, oldest, then id, so
    // "next item" and the default page read the index in order instead of sorting the queue).
    index("reviews_queue_idx")
      .on(t.organizationId, t.priorityRank.desc().nullsLast(), t.createdAt, t.id)
      .where(sql`needs_human and reviewed_at is null and status in ('pending', 'approved')`),
    // The expiry sweep: pending items with a deadline, soonest first (across organizations).
    index("reviews_pending_expiry_idx").on(t.expiresAt).where(sql`status = 'pending' and expires_at is not null`),
  ],
);

/** Append-only: exactly one final decision per review (two-person items add an approval row first). */
export const decisions = pgTable(
  "decisions",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    reviewId: uuid().notNull().references(() => reviews.id, { onDelete: "cascade" }),
    // The item's outcome on its final decision (`edited` when any approver changed the action).
    outcome: text({ enum: outcomes }).notNull(),
    // What this person did (`approved` for a second approver who changed nothing); null on older rows, read as `outcome`.
    reviewerOutcome: text({ enum: outcomes }),
    // False for the first approval of a two-person item.
    final: boolean().notNull().default(true),
    action: jsonb().$type<Record<string, unknown>>().notNull(),
    draft: text(),
    reason: text(),
    note: text(),
    reviewerId: uuid().references(() => users.id, { onDelete: "set null" }),
    timeOnItemMs: integer(),
    actionHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("decisions_one_final_per_review").on(t.reviewId).where(sql`${t.final}`),
    index("decisions_org_created_idx").on(t.organizationId, t.createdAt),
    index("decisions_org_reviewer_idx").on(t.organizationId, t.reviewerId, t.createdAt),
    index("decisions_org_review_idx").on(t.organizationId, t.reviewId),
  ],
);

/** Daily per task type × mode, updated in the same transaction as each decision. */
export const dailyRollups = pgTable(
  "daily_rollups",
  {
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    taskTypeId: uuid().notNull().references(() => taskTypes.id, { onDelete: "cascade" }),
    mode: text({ enum: modes }).notNull(),
    day: date({ mode: "string" }).notNull(),
    submitted: integer().notNull().default(0),
    approved: integer().notNull().default(0),
    edited: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    autoApproved: integer().notNull().default(0),
    expired: integer().notNull().default(0),
    timeOnItemMsSum: bigint({ mode: "number" }).notNull().default(0),
    timeOnItemCount: integer().notNull().default(0),
    // Human decisions per confidence decile: [0-0.1), …, [0.9-1.0]; accepted counts beside them.
    confidenceDecided: integer().array().notNull().default(sql`'{0,0,0,0,0,0,0,0,0,0}'::int[]`),
    confidenceAccepted: integer().array().notNull().default(sql`'{0,0,0,0,0,0,0,0,0,0}'::int[]`),
    // Human decisions by time from arrival to decision (edges in lib/rollup-buckets.ts), for medians.
    latencyBuckets: integer().array().notNull().default(sql`'{0,0,0,0,0,0,0,0,0,0,0}'::int[]`),
    // Human decisions made after the item's SLA was due.
    slaBreached: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.taskTypeId, t.mode, t.day] })],
);

export type Review = typeof reviews.$inferSelect;
export type Decision = typeof decisions.$inferSelect;
export type DailyRollup = typeof dailyRollups.$inferSelect;

/**
 * Daily per reviewer × task type: what each person decided and how long they looked, for reviewer
 * throughput and rubber-stamp signals. Every decision a person makes counts here (audit reviews and the
 * first approval of a two-person item included), updated in the decision's transaction.
 */
export const reviewerDailyRollups = pgTable(
  "reviewer_daily_rollups",
  {
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    reviewerId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    taskTypeId: uuid().notNull().references(() => taskTypes.id, { onDelete: "cascade" }),
    day: date({ mode: "string" }).notNull(),
    approved: integer().notNull().default(0),
    edited: integer().notNull().default(0),
    rejected: integer().notNull().default(0),
    timeOnItemMsSum: bigint({ mode: "number" }).notNull().default(0),
    // Unchanged approvals by time on item (edges in lib/rollup-buckets.ts), so "approved in under N s" can be read for each N offered.
    approvalTimeBuckets: integer().array().notNull().default(sql`'{0,0,0,0,0}'::int[]`),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.reviewerId, t.taskTypeId, t.day] }), index("reviewer_daily_rollups_org_day_idx").on(t.organizationId, t.day)],
);

export type ReviewerDailyRollup = typeof reviewerDailyRollups.$inferSelect;
