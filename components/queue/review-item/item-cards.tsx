import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatDateTime } from "@/lib/views/queue-format";
import { rejectionReasons } from "@/lib/validation/queue";
import { approvalSentence } from "../approvals";
import { ChangeList } from "../change-list";
import { FieldsView } from "../fields-view";
import type { ReviewItemView } from "./view";

/** The item page's main column, card by card: what the agent proposes, its draft, the decision, a revision's changes, the evidence. */

const outcomeLabel: Record<string, string> = { approved: "Approved", edited: "Edited and approved", rejected: "Rejected", changes_requested: "Changes requested", auto_approved: "Auto-approved" };
export const reasonLabel = (value: string | null) => rejectionReasons.find((r) => r.value === value)?.label ?? value;

export function ProposedActionCard({ item, me, rawOpen, onToggleRaw }: { item: ReviewItemView; me: string; rawOpen: boolean; onToggleRaw: () => void }) {
  const editor = item.approvals.given.findLast((a) => a.outcome === "edited");
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle className="text-base">{editor ? `Proposed action, as ${editor.userId === me ? "you edited it" : `edited by ${editor.name ?? "a former member"}`}` : "Proposed action"}</CardTitle>
        <Button variant="ghost" size="sm" onClick={onToggleRaw} aria-expanded={rawOpen}>
          {rawOpen ? "Show fields" : "Show raw JSON"}
        </Button>
      </CardHeader>
      <CardContent className="space-y-4">
        {rawOpen ? (
          <pre className="max-h-96 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs break-all whitespace-pre-wrap">{JSON.stringify(item.action, null, 2)}</pre>
        ) : (
          <FieldsView value={item.action} testId="action-fields" />
        )}
        {editor && item.inQueue ? (
          <div className="space-y-2 border-t pt-4">
            <p className="text-sm font-medium">Changed from what the agent proposed</p>
            <ChangeList before={item.proposed.action} after={item.action} beforeDraft={item.proposed.draft} afterDraft={item.draft} />
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function DraftCard({ draft }: { draft: string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Draft</CardTitle>
      </CardHeader>
      <CardContent>
        <div className="rounded-md border bg-muted/30 p-3 text-sm wrap-anywhere whitespace-pre-wrap" data-testid="draft">
          {draft}
        </div>
      </CardContent>
    </Card>
  );
}

export function DecisionCard({ item, decision, me }: { item: ReviewItemView; decision: NonNullable<ReviewItemView["decision"]>; me: string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Decision</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm">
        {item.approvals.given.map((a, i) => (
          <p key={i} data-testid="approval">
            {approvalSentence(a, me)} <span className="text-muted-foreground">(approval {i + 1} of {item.approvals.needed})</span>
          </p>
        ))}
        <p>
          <span className="font-medium">{outcomeLabel[decision.outcome] ?? decision.outcome}</span> by {decision.reviewerName ?? "a former member"} on {formatDateTime(decision.at)}
          {item.approvals.given.length > 0 && decision.outcome !== "rejected" && decision.outcome !== "changes_requested" ? <span className="text-muted-foreground"> (approval {item.approvals.given.length + 1} of {item.approvals.needed})</span> : null}
        </p>
        {decision.outcome === "changes_requested" ? <p className="font-medium">Instruction to the agent:</p> : null}
        {decision.reason ? <p>Reason: {reasonLabel(decision.reason)}</p> : null}
        {decision.note ? <p className="break-words text-muted-foreground">“{decision.note}”</p> : null}
        {decision.outcome === "edited" ? <ChangeList before={item.proposed.action} after={decision.action} beforeDraft={item.proposed.draft} afterDraft={decision.draft} /> : null}
      </CardContent>
    </Card>
  );
}

export function RevisionCard({ item, original }: { item: ReviewItemView; original: NonNullable<ReviewItemView["original"]> }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">What changed since the rejected version</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        {original.outcome === "changes_requested" ? (
          <div className="space-y-2 text-sm break-words" data-testid="revision-instruction">
            <p className="text-muted-foreground">
              This is a revision of{" "}
              <Link href={`/queue/${original.id}`} className="underline underline-offset-4">
                {original.title ?? "an earlier item"}
              </Link>
              , sent back to the agent with this instruction:
            </p>
            <blockquote className="border-l-2 border-primary pl-3 whitespace-pre-wrap">{original.note}</blockquote>
          </div>
        ) : (
          <p className="text-sm break-words text-muted-foreground">
            This is a revision of{" "}
            <Link href={`/queue/${original.id}`} className="underline underline-offset-4">
              {original.title ?? "an earlier item"}
            </Link>
            , rejected as “{reasonLabel(original.reason)}”{original.note ? `: ${original.note}` : "."}
          </p>
        )}
        <ChangeList before={original.action} after={item.action} beforeDraft={original.draft} afterDraft={item.draft} />
      </CardContent>
    </Card>
  );
}

export function EvidenceCard({ context }: { context: ReviewItemView["context"] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Evidence</CardTitle>
      </CardHeader>
      <CardContent>{context && Object.keys(context).length > 0 ? <FieldsView value={context} testId="evidence" /> : <p className="text-sm text-muted-foreground">The agent sent no evidence with this item.</p>}</CardContent>
    </Card>
  );
}
