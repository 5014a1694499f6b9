import { z } from "zod";
import { UUID_PATTERN } from "@/lib/data/uuid";
import { firstValues } from "./search-params";

/**
 * The audit log viewer's URL state, shared by the page, its CSV export and the tests. Tolerant on
 * purpose: a hand-edited or stale URL drops the bad filter instead of failing the page.
 */

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // Year 0000 is a date to JavaScript but not to PostgreSQL.
  .refine((s) => s >= "0001" && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

/** `user:<uuid>` (a member), `key:<uuid>` (an API key) or `system` (the worker: expiry, automatic step-down). */
export const AuditActor = z.union([z.string().regex(new RegExp(`^(user|key):${UUID_PATTERN}$`, "i")), z.literal("system")]);

/** An exact action (`member.invited`) or a prefix ending with a dot (`task_type.`). */
export const AuditActionFilter = z.string().regex(/^[a-z0-9_.:-]{1,100}$/);

export const AuditParams = z.object({
  actor: AuditActor.optional().catch(undefined),
  action: AuditActionFilter.optional().catch(undefined),
  targetType: z
    .string()
    .regex(/^[a-z0-9_.-]{1,60}$/)
    .optional()
    .catch(undefined),
  // Kept even when no entry could have it (see `isStorableTargetId`): a bad value finds nothing, it
  // doesn't widen the view to every entry.
  targetId: z.string().trim().min(1).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  /** Keyset cursors: entries older than `before`, or newer than `after` (the page before). */
  before: z.coerce.number().int().min(1).optional().catch(undefined),
  after: z.coerce.number().int().min(0).optional().catch(undefined),
});
export type AuditParams = z.output<typeof AuditParams>;
export type AuditFilter = Omit<AuditParams, "before" | "after">;

export function parseAuditParams(searchParams: Record<string, string | string[] | undefined>): AuditParams {
  return AuditParams.parse(firstValues(searchParams));
}

/** The URL query for a viewer state, leaving out what's empty so shared links stay short. */
export function auditQuery(params: Partial<AuditParams>): string {
  const q = new URLSearchParams();
  for (const key of ["actor", "action", "targetType", "targetId", "from", "to", "before", "after"] as const) {
    const value = params[key];
    if (value !== undefined && value !== "") q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The filter part of a viewer state (what an export covers), without the page cursors. */
export function filterOf(params: AuditParams): AuditFilter {
  return { actor: params.actor, action: params.action, targetType: params.targetType, targetId: params.targetId, from: params.from, to: params.to };
}

export const isFiltered = (f: AuditFilter) => Boolean(f.actor || f.action || f.targetType || f.targetId || f.from || f.to);

/** Rows a CSV export holds at most; the newest matching entries when there are more. */
export const AUDIT_EXPORT_CAP = 10_000;
export const AUDIT_PAGE_SIZE = 50;
/** The first cell of a CSV export's last line, which holds the chain head: `# audit chain head,<seq>,<hmac>`. */
export const AUDIT_ANCHOR_LABEL = "# audit chain head";

/**
 * Whether a target id filter could match a stored one: PostgreSQL text can't hold a NUL (a query with
 * one fails, and would be logged with its parameters), and ids are short and printable. Any other
 * value finds no entries without asking the database.
 */
export const isStorableTargetId = (id: string) => id.length <= 200 && !/[\u0000-\u001f\u007f]/.test(id);

/** The chain head as saved outside Countersign (verify page, CSV export, `GET /api/v1/audit/head`). */
export const AuditHead = z.object({
  seq: z.number().int().meta({ description: "Position of the newest linked entry in the organization's chain; 0 before the first link." }),
  hmac: z
    .string()
    .nullable()
    .meta({ description: "Its HMAC-SHA256 (hex) under the server's AUDIT_HMAC_KEY, covering its content and every entry before it; null before the first link." }),
  entryId: z.number().int().nullable().meta({ description: "The id of that entry in the audit log." }),
  createdAt: z.iso.datetime().nullable().meta({ description: "When that entry was recorded." }),
});
export type AuditHead = z.output<typeof AuditHead>;

/**
 * Verifying the chain, alone or against a saved anchor (its sequence number and HMAC, both or
 * neither): the anchor also catches entries removed from the end, or a chain rewritten since.
 */
export const VerifyAuditInput = z
  .object({
    seq: z.coerce
      .number({ error: "Give the anchor's sequence number." })
      .int("A sequence number is a whole number.")
      .min(1, "A sequence number starts at 1.")
      .max(Number.MAX_SAFE_INTEGER, "No chain is that long.")
      .optional(),
    hmac: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[0-9a-f]{64}$/, "An HMAC is 64 hexadecimal characters.")
      .optional(),
  })
  .refine((v) => (v.seq === undefined) === (v.hmac === undefined), { message: "Give both the sequence number and the HMAC of your anchor.", path: ["hmac"] })
  .transform((v) => ({ anchor: v.seq !== undefined && v.hmac !== undefined ? { seq: v.seq, hmac: v.hmac } : undefined }));
