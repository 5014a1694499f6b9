import { boolean, doublePrecision, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations, users, workspaces } from "./tenancy";

export const modes = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const;
export type Mode = (typeof modes)[number];
export const dataClasses = ["none", "pii", "phi", "financial"] as const;
export type DataClass = (typeof dataClasses)[number];

/** Per-task-type overrides of the org-wide readiness criteria (issue 5 reads these). */
export type ReadinessOverrides = {
  minDecisions?: number;
  targetAcceptance?: number;
  minDays?: number;
};

/** An exception rule for flag_on_exception (issue 3 validates these with zod). */
export type ExceptionRule = {
  name: string;
  path: string;
  op: "gt" | "gte" | "lt" | "lte" | "eq" | "neq" | "in" | "notIn" | "exists";
  value?: unknown;
};

export const taskTypes = pgTable(
  "task_types",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    key: text().notNull(),
    name: text().notNull(),
    workspaceId: uuid().notNull().references(() => workspaces.id),
    mode: text({ enum: modes }).notNull().default("approve_before_action"),
    previousMode: text({ enum: modes }),
    modeSince: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // Consequence profile
    reversible: boolean().notNull().default(true),
    dataClass: text({ enum: dataClasses }).notNull().default("none"),
    customerFacing: boolean().notNull().default(false),
    classified: boolean().notNull().default(false),
    // Thresholds
    confidenceThreshold: doublePrecision().notNull().default(0.8),
    amountLimit: numeric({ precision: 18, scale: 2 }),
    amountCurrency: text(),
    // Where an item's amount lives in its action (a JSON path such as `action.amount`), and its currency
    // (a path such as `action.currency`; unset: the limit's own currency). Unset path: the top-level `amount`.
    amountPath: text(),
    amountCurrencyPath: text(),
    auditSampleRate: doublePrecision().notNull().default(0.02),
    slaMinutes: integer().notNull().default(240),
    defaultExpirySeconds: integer(),
    twoPersonRule: jsonb().$type<{ always?: boolean; aboveAmount?: number } | null>(),
    readinessOverrides: jsonb().$type<ReadinessOverrides>().notNull().default({}),
    exceptionRules: jsonb().$type<ExceptionRule[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("task_types_org_key_key").on(t.organizationId, t.key), index("task_types_org_workspace_idx").on(t.organizationId, t.workspaceId)],
);

export const modeChangeReasons = ["recommendation", "rollback", "step_down", "automatic_step_down", "admin"] as const;
export type ModeChangeReason = (typeof modeChangeReasons)[number];

/**
 * How a task type earned (or lost) its autonomy: one row per mode change, with the numbers that
 * justified it. Each change starts a new counting period for readiness.
 */
export const taskTypeModeChanges = pgTable(
  "task_type_mode_changes",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    taskTypeId: uuid().notNull().references(() => taskTypes.id, { onDelete: "cascade" }),
    fromMode: text({ enum: modes }).notNull(),
    toMode: text({ enum: modes }).notNull(),
    reason: text({ enum: modeChangeReasons }).notNull(),
    confidenceThreshold: doublePrecision(),
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    actorUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("task_type_mode_changes_org_type_idx").on(t.organizationId, t.taskTypeId, t.createdAt)],
);

export type TaskType = typeof taskTypes.$inferSelect;
export type ModeChange = typeof taskTypeModeChanges.$inferSelect;
