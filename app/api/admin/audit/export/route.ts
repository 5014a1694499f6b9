// GET /api/admin/audit/export?actor=&action=&targetType=&targetId=&from=&to= — the audit log viewer's
// filtered view as CSV, newest first, at most AUDIT_EXPORT_CAP rows (the response says when it was cut),
// ending with the chain head as an anchor: a last line `# audit chain head,<seq>,<hmac>` (spreadsheets
// show it as a short row; pandas skips it with comment="#"), also sent as X-Audit-Chain-Seq/-Hmac.
import { auditChainHead, exportAuditLog } from "@/db/queries/audit";
import { withSession } from "@/lib/api/session-route";
import { actorLabel, summaryLine } from "@/lib/views/audit";
import { toCsv } from "@/lib/data/csv";
import { AUDIT_ANCHOR_LABEL, AUDIT_EXPORT_CAP, filterOf, parseAuditParams } from "@/lib/validation/audit";

export async function GET(request: Request) {
  return withSession("audit.view", async ({ db, scope }) => {
    const filter = filterOf(parseAuditParams(Object.fromEntries(new URL(request.url).searchParams)));
    const [{ rows, truncated }, head] = await Promise.all([exportAuditLog(db, scope, filter, AUDIT_EXPORT_CAP), auditChainHead(db, scope)]);
    const csv = toCsv(
      ["id", "time_utc", "actor", "actor_type", "actor_id", "actor_email", "action", "target_type", "target_id", "summary", "data_json"],
      [
        ...rows.map((r) => [
          r.id,
          r.createdAt.toISOString(),
          actorLabel(r.actor),
          r.actor.kind,
          r.actor.kind === "system" ? null : r.actor.id,
          r.actor.kind === "user" ? r.actor.email : null,
          r.action,
          r.targetType,
          r.targetId,
          summaryLine(r.data),
          JSON.stringify(r.data),
        ]),
        [AUDIT_ANCHOR_LABEL, head.seq, head.hmac],
      ],
    );
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    return new Response(csv, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="audit-log-${stamp}.csv"`,
        "cache-control": "no-store",
        "x-audit-rows": String(rows.length),
        "x-audit-truncated": truncated ? "true" : "false",
        "x-audit-chain-seq": String(head.seq),
        "x-audit-chain-hmac": head.hmac ?? "",
      },
    });
  });
}
