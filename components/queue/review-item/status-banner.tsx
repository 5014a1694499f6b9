import { Lock, UsersRound } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { formatTime } from "@/lib/views/queue-format";
import { approvalSentence } from "../approvals";
import type { ReviewItemView } from "./view";

/** The line under the item's title: who holds it, whether it can still be decided, how far a two-person approval is. */
export function StatusBanner({ item, mine, lost, me }: { item: ReviewItemView; mine: boolean; lost: string | null; me: string }) {
  if (lost) {
    return (
      <Alert variant="destructive" data-testid="lost-banner">
        <AlertTitle>You can no longer decide this item</AlertTitle>
        <AlertDescription>{lost}</AlertDescription>
      </Alert>
    );
  }
  if (!item.inQueue) {
    const text: Record<string, string> = {
      approved: "This item has been decided; it is shown for reference.",
      rejected: "This item was rejected; it is shown for reference.",
      expired: "This item expired before anyone decided it; the agent was told it expired.",
      cancelled: "The agent cancelled this item.",
      pending: "This item isn't waiting for a person.",
    };
    return (
      <Alert>
        <AlertTitle>Read-only</AlertTitle>
        <AlertDescription>{text[item.status] ?? text.pending}</AlertDescription>
      </Alert>
    );
  }
  const given = item.approvals.given;
  if (given.some((a) => a.userId === me)) {
    return (
      <Alert data-testid="own-approval-banner">
        <UsersRound className="size-4" aria-hidden />
        <AlertTitle>
          You gave the first approval · {given.length} of {item.approvals.needed} approvals
        </AlertTitle>
        <AlertDescription>
          This item needs {item.approvals.needed} approvals from different people, so it stays in the queue for another reviewer and opens read-only for you. The agent hears nothing until the last approval, or a rejection.
        </AlertDescription>
      </Alert>
    );
  }
  const approvalNote =
    given.length > 0 ? (
      <Alert variant="warning" data-testid="approvals-banner">
        <UsersRound className="size-4" aria-hidden />
        <AlertTitle>
          {given.length} of {item.approvals.needed} approvals
        </AlertTitle>
        <AlertDescription>
          {given.map((a) => approvalSentence(a, me)).join("; ")}. A different reviewer gives the next approval; a rejection ends it.
        </AlertDescription>
      </Alert>
    ) : null;
  if (item.claim && !mine) {
    return (
      <div className="space-y-3">
        <Alert variant="warning" data-testid="claimed-banner">
          <Lock className="size-4" aria-hidden />
          <AlertTitle>
            {item.claim.name} is reviewing this item until {formatTime(item.claim.until)}
          </AlertTitle>
          <AlertDescription>It opens read-only for you. If they leave it or their claim runs out, it returns to the queue.</AlertDescription>
        </Alert>
        {approvalNote}
      </div>
    );
  }
  if (mine && item.claim) {
    return (
      <div className="space-y-3">
        {approvalNote}
        <p className="text-sm text-muted-foreground" data-testid="claim-note">
          <Lock className="mr-1 inline size-3.5" aria-hidden />
          You hold this item (kept while it is open; it returns to the queue when you leave it).
        </p>
      </div>
    );
  }
  return approvalNote;
}
