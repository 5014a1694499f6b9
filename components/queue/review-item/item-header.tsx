import Link from "next/link";
import { ArrowLeft, ChevronLeft, ChevronRight, Keyboard } from "lucide-react";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { priorityLabel } from "@/lib/views/queue-format";
import { ApprovalsBadge } from "../approvals";
import type { ReviewItemPosition, ReviewItemView } from "./view";

/** Back to the queue view, where this item sits in it (with previous/next), the title and what kind of item it is. */
export function ItemHeader({ item, backHref, position, viewQuery, onHelp }: { item: ReviewItemView; backHref: string; position: ReviewItemPosition | null; viewQuery: string; onHelp: () => void }) {
  const flags = [
    item.attributes.phi && { label: "PHI", variant: "destructive" as const },
    item.attributes.irreversible && { label: "Irreversible", variant: "destructive" as const },
    item.attributes.customerFacing && { label: "Customer-facing", variant: "warning" as const },
    item.attributes.flagged && { label: "Flagged by agent", variant: "warning" as const },
  ].filter(Boolean) as { label: string; variant: "destructive" | "warning" }[];
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Button variant="ghost" size="sm" asChild className="-ml-2">
          <Link href={backHref}>
            <ArrowLeft aria-hidden /> Queue
          </Link>
        </Button>
        {position ? (
          <nav aria-label="Items in this view" className="flex items-center gap-1 text-sm text-muted-foreground">
            <StepLink id={position.prevId} viewQuery={viewQuery} label="Previous item" shortcut="[">
              <ChevronLeft aria-hidden />
            </StepLink>
            <span className="tabular-nums" data-testid="item-position">
              {position.index} of {position.total} in this view
            </span>
            <StepLink id={position.nextId} viewQuery={viewQuery} label="Next item in this view" shortcut="]">
              <ChevronRight aria-hidden />
            </StepLink>
          </nav>
        ) : null}
      </div>
      <div className="flex flex-wrap items-start justify-between gap-4 border-b pb-5">
        <div className="min-w-0 space-y-2">
          <h1 className="text-2xl font-semibold tracking-tight text-balance break-words">{item.title}</h1>
          <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
            <span className="font-mono text-xs break-all text-foreground">{item.taskType.key}</span>
            <ModeBadge mode={item.mode} />
            <Badge variant={item.priority === "urgent" ? "destructive" : item.priority === "high" ? "warning" : "secondary"}>{priorityLabel[item.priority]} priority</Badge>
            {item.inQueue ? <ApprovalsBadge needed={item.approvals.needed} given={item.approvals.given.length} /> : null}
            {flags.map((f) => (
              <Badge key={f.label} variant={f.variant}>
                {f.label}
              </Badge>
            ))}
            <span>{item.workspaceName}</span>
            {item.externalId ? <span className="font-mono text-xs break-all">{item.externalId}</span> : null}
          </div>
        </div>
        <Button variant="ghost" size="sm" onClick={onHelp} aria-keyshortcuts="?" className="max-sm:hidden">
          <Keyboard aria-hidden /> Shortcuts
        </Button>
      </div>
    </div>
  );
}

function StepLink({ id, viewQuery, label, shortcut, children }: { id: string | null; viewQuery: string; label: string; shortcut: string; children: React.ReactNode }) {
  if (!id) {
    return (
      <Button variant="ghost" size="icon" className="size-8" disabled aria-label={label}>
        {children}
      </Button>
    );
  }
  return (
    <Button variant="ghost" size="icon" className="size-8" asChild>
      <Link href={`/queue/${id}${viewQuery}`} aria-label={label} aria-keyshortcuts={shortcut} title={`${label} (${shortcut})`}>
        {children}
      </Link>
    </Button>
  );
}
