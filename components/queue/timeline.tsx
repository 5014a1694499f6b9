import { formatDateTime } from "@/lib/views/queue-format";

const labels: Record<string, string> = {
  "review.submitted": "Submitted",
  "review.first_approval": "First approval",
  "review.decided": "Decided",
  "review.audited": "Audit review recorded",
  "review.cancelled": "Cancelled by the agent",
  "review.expired": "Expired",
};

function detail(action: string, data: Record<string, unknown>): string | null {
  if (action === "review.first_approval" && typeof data.outcome === "string" && typeof data.approvalsNeeded === "number") return `${data.outcome}, ${String(data.approvalsGiven ?? 1)} of ${data.approvalsNeeded}`;
  if (action === "review.submitted" && typeof data.status === "string") return data.status === "approved" ? "auto-approved" : "sent to a person";
  if ((action === "review.decided" || action === "review.audited" || action === "review.first_approval") && typeof data.outcome === "string") return [data.outcome, typeof data.reason === "string" ? data.reason.replace(/_/g, " ") : null].filter(Boolean).join(": ");
  return null;
}

export function Timeline({ entries }: { entries: { at: string; action: string; actor: string | null; data: Record<string, unknown> }[] }) {
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">Nothing recorded yet.</p>;
  return (
    <ol className="space-y-3 border-l pl-4 text-sm">
      {entries.map((e, i) => (
        <li key={i} className="relative">
          <span aria-hidden className="absolute top-1.5 -left-[1.3rem] size-2 rounded-full bg-primary" />
          <p className="font-medium">
            {labels[e.action] ?? e.action}
            {detail(e.action, e.data) ? <span className="font-normal text-muted-foreground"> — {detail(e.action, e.data)}</span> : null}
          </p>
          <p className="text-xs text-muted-foreground">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            {e.actor ? ` · ${e.actor}` : null}
          </p>
        </li>
      ))}
    </ol>
  );
}
