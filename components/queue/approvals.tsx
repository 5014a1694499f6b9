import { UsersRound } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/lib/views/queue-format";

/** One approval of a two-person item that still waits for the next. */
export type ApprovalView = { userId: string | null; name: string | null; outcome: string; at: string };

const who = (a: ApprovalView, me: string) => (a.userId === me ? "you" : (a.name ?? "a former member"));

/** "Needs 2 approvals" before any, "1 of 2 approvals" after the first; nothing for a one-approval item. */
export function ApprovalsBadge({ needed, given }: { needed: number; given: number }) {
  if (needed <= 1) return null;
  return (
    <Badge variant={given > 0 ? "warning" : "outline"} data-testid="approvals-badge">
      <UsersRound aria-hidden />
      {given > 0 ? `${given} of ${needed} approvals` : `Needs ${needed} approvals`}
    </Badge>
  );
}

/** Who gave the approvals so far, in a phrase: "approved by Morgan Manager", "edited and approved by you". */
export function approvedBy(given: ApprovalView[], me: string): string | null {
  if (given.length === 0) return null;
  return given.map((a) => `${a.outcome === "edited" ? "edited and approved" : "approved"} by ${who(a, me)}`).join(", ");
}

/** The same, with when, for the item page. */
export function approvalSentence(a: ApprovalView, me: string): string {
  return `${a.outcome === "edited" ? "Edited and approved" : "Approved"} by ${who(a, me)} on ${formatDateTime(a.at)}`;
}
