import { sql } from "drizzle-orm";
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./tenancy";

/**
 * Append-only. Each row's hash covers its content and the previous row's hash in the same
 * organization, so editing or deleting any row breaks every link after it. Writers only insert; a
 * chainer links new rows moments later (`chainSeq`, `prevHash`, `hash`), so that writers never queue
 * behind one organization-wide lock. A trigger (migration 0003) refuses DELETE, and any UPDATE but
 * the chainer's one-time linking of an unchained row.
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
    // Set by the chainer, once: the row's position in its organization's chain and its links.
    chainSeq: bigint({ mode: "number" }),
    prevHash: text(),
    hash: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_log_org_idx").on(t.organizationId, t.id),
    index("audit_log_org_target_idx").on(t.organizationId, t.targetId),
    index("audit_log_org_actor_idx").on(t.organizationId, t.actorUserId, t.id),
    uniqueIndex("audit_log_org_chain_key").on(t.organizationId, t.chainSeq),
    index("audit_log_unchained_idx").on(t.id).where(sql`${t.hash} is null`),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
