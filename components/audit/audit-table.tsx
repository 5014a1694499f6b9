import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { actorLabel, formatValue, summarizeAudit, type AuditActorView } from "@/lib/views/audit";
import { relativeTime } from "@/lib/views/relative-time";
import { cn } from "@/lib/ui/cn";
import { auditQuery, type AuditFilter } from "@/lib/validation/audit";

export type AuditTableRow = {
  id: number;
  createdAt: Date;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  actor: AuditActorView;
};

const timeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

const actorFilter = (actor: AuditActorView) => (actor.kind === "user" ? `user:${actor.id}` : actor.kind === "key" ? `key:${actor.id}` : "system");

/** The page of entries, newest first. Actors and targets link to the log filtered by them. */
export function AuditTable({ rows, filter, now }: { rows: AuditTableRow[]; filter: AuditFilter; now: Date }) {
  return (
    <Table aria-label="Audit log entries">
      <TableHeader>
        <TableRow>
          <TableHead className="w-44">Time (UTC)</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead className="w-[40%]">What changed</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => {
          const summary = summarizeAudit(row.data);
          return (
            <TableRow key={row.id} data-testid="audit-row" data-floor-loosened={summary.floorLoosened ? "true" : undefined} className={cn(summary.floorLoosened && "bg-warning/10 hover:bg-warning/15")}>
              <TableCell className="align-top text-sm whitespace-nowrap">
                <time dateTime={row.createdAt.toISOString()} title={`${timeFormat.format(row.createdAt)} UTC`}>
                  {timeFormat.format(row.createdAt)}
                </time>
                <div className="text-xs text-muted-foreground">
                  #{row.id} · {relativeTime(row.createdAt, now)}
                </div>
              </TableCell>
              <TableCell className="min-w-44 align-top">
                <Link href={`/admin/audit${auditQuery({ ...filter, actor: actorFilter(row.actor) })}`} className="font-medium underline-offset-4 hover:underline" title="Show only this actor's entries">
                  {row.actor.kind === "key" ? (row.actor.name ?? "Deleted key") : actorLabel(row.actor)}
                </Link>
                {row.actor.kind === "user" && row.actor.email && row.actor.name ? <div className="max-w-56 truncate text-xs text-muted-foreground" title={row.actor.email}>
                    {row.actor.email}
                  </div> : null}
                {row.actor.kind === "key" ? <div className="text-xs text-muted-foreground">API key</div> : null}
                {row.actor.kind === "system" ? <div className="text-xs text-muted-foreground">Background worker</div> : null}
              </TableCell>
              <TableCell className="align-top">
                <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{row.action}</code>
              </TableCell>
              <TableCell className="align-top text-sm">
                <div>{row.targetType}</div>
                {row.targetId ? (
                  <Link
                    href={`/admin/audit${auditQuery({ ...filter, targetType: row.targetType, targetId: row.targetId })}`}
                    className="block max-w-48 truncate font-mono text-xs text-muted-foreground underline-offset-4 hover:underline"
                    title={`Show only entries about ${row.targetId}`}
                  >
                    {row.targetId}
                  </Link>
                ) : null}
              </TableCell>
              <TableCell className="align-top text-sm">
                <div className="space-y-1.5">
                  {summary.floorLoosened ? (
                    <div className="space-y-1 rounded-md border border-warning/40 bg-background/60 p-2">
                      <Badge variant="warning">
                        <ShieldAlert aria-hidden /> Floor loosened
                      </Badge>
                      {summary.floorLoosened.loosened.length > 0 ? <p className="text-xs">{summary.floorLoosened.loosened.join(" ")}</p> : null}
                      <p className="text-xs">
                        <span className="font-medium">Justification:</span> {summary.floorLoosened.justification ?? <span className="italic">none recorded</span>}
                      </p>
                    </div>
                  ) : null}
                  {summary.changes.length > 0 ? (
                    <ul className="space-y-0.5" aria-label="Changes">
                      {summary.changes.map((c) => (
                        <li key={c.path} className="break-words">
                          <span className="font-medium">{c.path}</span>: <span className="text-muted-foreground line-through decoration-muted-foreground/60">{formatValue(c.before)}</span> →{" "}
                          <span>{formatValue(c.after)}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {summary.facts.length > 0 ? <p className="break-words text-muted-foreground">{summary.facts.join(" · ")}</p> : null}
                  {summary.changes.length === 0 && summary.facts.length === 0 && !summary.floorLoosened ? <p className="text-muted-foreground">No details recorded.</p> : null}
                  {Object.keys(row.data).length > 0 ? (
                    <details className="group text-xs">
                      <summary className="cursor-pointer text-muted-foreground select-none hover:text-foreground focus-visible:rounded focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
                        Recorded data (JSON)
                      </summary>
                      <pre className="mt-1 max-h-64 max-w-xl overflow-auto rounded-md bg-muted p-2 font-mono text-xs whitespace-pre-wrap break-all">{JSON.stringify(row.data, null, 2)}</pre>
                    </details>
                  ) : null}
                </div>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
