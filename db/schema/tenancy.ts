import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const roles = ["admin", "manager", "reviewer"] as const;
export type Role = (typeof roles)[number];
export const memberStatuses = ["active", "disabled"] as const;
export type MemberStatus = (typeof memberStatuses)[number];

/** Org-wide settings; later issues add readiness defaults and step-down here. */
export type OrganizationSettings = {
  autoRegisterTaskTypes?: boolean;
  leaseMinutes?: number;
  /** Step a regressing flag_on_exception task type back on its own (and tell the admins). Off by default. */
  autoStepDown?: boolean;
  /** Leave the approvals of reviewers flagged as rubber-stamping out of readiness acceptance. Off by default. */
  excludeFlaggedApprovals?: boolean;
};

export const organizations = pgTable("organizations", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  settings: jsonb().$type<OrganizationSettings>().notNull().default({}),
  // The organization's Standard Webhooks signing secret (`whsec_…`), encrypted at rest with a key derived
  // from AUTH_SECRET: the signer needs the secret itself, so it can't be a one-way hash.
  webhookSecretEncrypted: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    // Stored lower-cased; the unique index is the one source of truth for "email taken".
    email: text().notNull(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    // Bumped by sign-out, a password or role change and disabling: every session issued before it ends.
    sessionVersion: integer().notNull().default(0),
    // Set once the person has shown they control the address (an accepted invite); an unverified
    // account does not own its email against a later invite.
    emailVerifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

export const memberships = pgTable(
  "memberships",
  {
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text({ enum: roles }).notNull(),
    status: text({ enum: memberStatuses }).notNull().default("active"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invites = pgTable(
  "invites",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: text({ enum: roles }).notNull(),
    // SHA-256 of the one-time token; the token itself is shown once to the inviting admin.
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("invites_token_hash_key").on(t.tokenHash), index("invites_org_idx").on(t.organizationId, t.createdAt)],
);

export const workspaces = pgTable(
  "workspaces",
  {
    id: uuid().primaryKey().defaultRandom(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    isDefault: boolean().notNull().default(false),
    archivedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("workspaces_org_name_key").on(t.organizationId, t.name),
    uniqueIndex("workspaces_org_default_key").on(t.organizationId).where(sql`${t.isDefault}`),
  ],
);

export const workspaceMembers = pgTable(
  "workspace_members",
  {
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: uuid().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid().notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.workspaceId, t.userId] }), index("workspace_members_user_idx").on(t.organizationId, t.userId)],
);

/** Failed sign-ins, one row each; the throttle counts rows per key inside its window. */
export const loginFailures = pgTable(
  "login_failures",
  {
    id: uuid().primaryKey().defaultRandom(),
    // "email:<address>" or "ip:<address>"
    key: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("login_failures_key_idx").on(t.key, t.createdAt)],
);

export type Organization = typeof organizations.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type Workspace = typeof workspaces.$inferSelect;
