import { sql } from "drizzle-orm";
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { organizations } from "./tenancy";

/**
 * Append-only. Each row's `hash` is an HMAC (key outside the database, AUDIT_HMAC_KEY) of its content,
 * id, position and the previous row's hash in the same organization, so editing or deleting any row
 * breaks every link after it. Writers only insert (holding the organization's chain lock shared); a
 * chainer links new rows moments later (`chainSeq`, `prevHash`, `hash`), so that writers never queue
 * behind each other. A trigger (migration 0003) refuses DELETE, and any UPDATE but the chainer's
 * one-time linking of an unchained row. `id` comes from a sequence without a per-session cache, so ids
 * are handed out in time order across connections, which the chainer's "below the last linked one"
 * relies on.
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
