"use server";

import { auditEntryBrief, verifyAuditChain } from "@/db/queries/audit";
import { chainBreakTitle, type AuditAnchor, type ChainBreak } from "@/lib/security/audit-chain";
import { auditHmacKey } from "@/lib/security/audit-key";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { VerifyAuditInput } from "@/lib/validation/audit";

export type VerifyResult = {
  ok: boolean;
  entries: number;
  unlinked: number;
  head: AuditAnchor | null;
  /** The anchor it was verified against, if any. */
  anchor: AuditAnchor | null;
  broken: ChainBreak | null;
  /** The entry a break names, to say when it was recorded and what it was. */
  brokenEntry: { id: number; action: string; createdAt: string } | null;
};

/**
 * Walks the organization's chain now, alone or against an anchor the admin saved, and says whether it
 * holds or where it first breaks. Reads only: linking is the worker's.
 */
export const verifyAuditAction = scopedAction("audit.view", VerifyAuditInput, async ({ anchor }, { db, scope }) => {
  const verdict = await verifyAuditChain(db, scope, { key: auditHmacKey(), anchor });
  const brokenId = verdict.broken && "id" in verdict.broken ? verdict.broken.id : null;
  const entry = brokenId === null ? null : await auditEntryBrief(db, scope, brokenId);
  const result: VerifyResult = {
    ...verdict,
    anchor: anchor ?? null,
    brokenEntry: entry && { id: entry.id, action: entry.action, createdAt: entry.createdAt.toISOString() },
  };
  return ok(result, verdict.broken ? chainBreakTitle(verdict.broken) : `Intact: ${verdict.entries} ${verdict.entries === 1 ? "entry" : "entries"}`);
});
