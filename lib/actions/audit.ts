"use server";

import { auditEntryBrief, verifyAuditChain } from "@/db/queries/audit";
import { ok, scopedAction } from "@/lib/server-action";
import { VerifyAuditInput } from "@/lib/validation/audit";

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: { id: number; action: string | null; createdAt: string | null } };

/** Walks the organization's hash chain now and says whether it is intact, or where it first breaks. */
export const verifyAuditAction = scopedAction("audit.view", VerifyAuditInput, async (_input, { db, scope }) => {
  const verdict = await verifyAuditChain(db, scope);
  if (verdict.ok) return ok<VerifyResult>({ ok: true, entries: verdict.entries }, `Intact: ${verdict.entries} ${verdict.entries === 1 ? "entry" : "entries"}`);
  const entry = await auditEntryBrief(db, scope, verdict.brokenAtId);
  return ok<VerifyResult>(
    { ok: false, entries: verdict.entries, brokenAt: { id: verdict.brokenAtId, action: entry?.action ?? null, createdAt: entry?.createdAt.toISOString() ?? null } },
    `Broken at entry #${verdict.brokenAtId}`,
  );
});
