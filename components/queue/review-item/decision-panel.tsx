import { Ban, Check, MessageSquareReply, Pencil, SkipForward } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import type { ReviewItemView } from "./view";

/**
 * Approve / Edit / Reject / Skip. Beside the item on wide screens; on a phone the three decisions sit in a
 * bar fixed to the bottom of the screen (the same buttons, so tests and shortcuts find one of each).
 */
export function DecisionPanel({
  item,
  mine,
  canAct,
  pending,
  editing,
  iApproved,
  error,
  onApprove,
  onEdit,
  onReject,
  onRequestChanges,
  onSkip,
}: {
  item: ReviewItemView;
  mine: boolean;
  canAct: boolean;
  pending: boolean;
  editing: boolean;
  iApproved: boolean;
  error: string | null;
  onApprove: () => void;
  onEdit: () => void;
  onReject: () => void;
  onRequestChanges: () => void;
  onSkip: () => void;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">{item.auditSample ? "Was it right?" : "Decide"}</CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2">
        {iApproved ? (
          <p className="text-sm text-muted-foreground" data-testid="approval-step">
            You gave an approval already; a different reviewer must give the next.
          </p>
        ) : null}
        {item.approvals.needed > 1 && canAct ? (
          <p className="text-sm text-muted-foreground" data-testid="approval-step">
            {item.approvals.given.length === 0
              ? `Your approval is the first of ${item.approvals.needed}: a different reviewer must approve it before the agent is told.`
              : `Your approval is ${item.approvals.given.length + 1} of ${item.approvals.needed} and completes it. A rejection ends it.`}
          </p>
        ) : null}
        <div
          className="grid gap-2 max-lg:fixed max-lg:inset-x-0 max-lg:bottom-0 max-lg:z-30 max-lg:grid-cols-3 max-lg:border-t max-lg:bg-background/95 max-lg:px-4 max-lg:py-3 max-lg:shadow-[0_-4px_12px_rgb(0_0_0/0.06)] max-lg:backdrop-blur"
          data-testid="decision-bar"
        >
          <Button
            onClick={onApprove}
            disabled={!canAct || pending || editing}
            aria-keyshortcuts="a"
            aria-describedby={editing && canAct ? "approve-while-editing" : undefined}
            data-testid="approve"
          >
            {pending ? <Spinner /> : <Check aria-hidden />} {item.auditSample ? "Looks right" : "Approve"} <Kbd>a</Kbd>
          </Button>
          <Button variant="outline" onClick={onEdit} disabled={!canAct || pending || editing} aria-keyshortcuts="e" data-testid="edit">
            <Pencil aria-hidden />
            <span>
              Edit<span className="max-lg:hidden">, then approve</span>
            </span>
            <Kbd>e</Kbd>
          </Button>
          <Button variant="outline" onClick={onReject} disabled={!canAct || pending} aria-keyshortcuts="r" className="text-destructive" data-testid="reject">
            <Ban aria-hidden /> Reject <Kbd>r</Kbd>
          </Button>
        </div>
        {editing && canAct ? (
          <p id="approve-while-editing" className="text-sm text-muted-foreground" data-testid="approve-disabled-reason">
            Approve is off while you edit, so the original is never approved by mistake: review your changes and confirm them, or cancel the edit.
          </p>
        ) : null}
        {item.auditSample ? null : (
          <Button variant="outline" onClick={onRequestChanges} disabled={!canAct || pending} data-testid="request-changes">
            <MessageSquareReply aria-hidden /> Request changes
          </Button>
        )}
        <Button variant="ghost" onClick={onSkip} disabled={pending} aria-keyshortcuts="n">
          <SkipForward aria-hidden /> {mine ? "Skip to next" : "Next item"} <Kbd>n</Kbd>
        </Button>
        {error && !editing ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className="ml-auto rounded border border-current/30 px-1 font-mono text-[10px] opacity-70 max-lg:hidden">{children}</kbd>;
}
