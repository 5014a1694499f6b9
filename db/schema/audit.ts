import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./tenancy";

/**
 * Append-only. Each row's hash covers its content and the previous row's hash in the same
 * organization, so editing or deleting any row breaks every link after it.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    organizationId: uuid().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    actorUserId: uuid(),
    actorApiKeyId: uuid(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text(),
    hash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_org_idx").on(t.organizationId, t.id)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
