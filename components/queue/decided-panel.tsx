import { CircleCheck, CircleX } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/views/queue-format";
import { rejectionReasons } from "@/lib/validation/queue";
import { approvalSentence, type ApprovalView } from "./approvals";

export const outcomeLabels: Record<string, string> = {
  approved: "Approved",
  edited: "Edited and approved",
  rejected: "Rejected",
  changes_requested: "Sent back with changes requested",
  auto_approved: "Auto-approved",
};

type Decision = { outcome: string; reviewerName: string | null; at: string; reason: string | null; note: string | null };

/**
 * A decided item, read-only: who decided what and when (each approval of a two-person item too),
 * at the top of the page so nobody mistakes it for one still to decide. `justNow` is a decision made
 * in this tab that the server's answer hasn't caught up with yet (Back to a cached page).
 */
export function DecidedPanel({
  decision,
  approvals,
  me,
  justNow,
}: {
  decision: Decision | null;
  approvals: ApprovalView[];
  me: string;
  justNow?: { outcome: string; at: string };
}) {
  const outcome = decision?.outcome ?? justNow?.outcome ?? "approved";
  const refused = outcome === "rejected" || outcome === "changes_requested";
  const Icon = refused ? CircleX : CircleCheck;
  const reason = decision?.reason ? (rejectionReasons.find((r) => r.value === decision.reason)?.label ?? decision.reason) : null;
  return (
    <Alert data-testid="decided-panel">
      <Icon className="size-4" aria-hidden />
      <AlertTitle>Decided · read-only</AlertTitle>
      <AlertDescription className="space-y-1">
        {decision ? (
          <p data-testid="decided-line">
            <span className="font-medium text-foreground">{outcomeLabels[outcome] ?? outcome}</span> by {decision.reviewerName ?? "a former member"} on {formatDateTime(decision.at)}.
          </p>
        ) : justNow ? (
          <p data-testid="decided-line">
            <span className="font-medium text-foreground">{outcomeLabels[outcome] ?? outcome}</span> by you on {formatDateTime(justNow.at)}.
          </p>
        ) : null}
        {approvals.map((a, i) => (
          <p key={i}>{approvalSentence(a, me)} (approval {i + 1}).</p>
        ))}
        {reason ? <p>Reason: {reason}</p> : null}
        {decision?.outcome === "changes_requested" && decision.note ? <p>Instruction to the agent: “{decision.note}”</p> : null}
        <p>{refused ? "This item was rejected; it is shown for reference." : "This item has been decided; it is shown for reference."} Nothing more can be decided on it.</p>
      </AlertDescription>
    </Alert>
  );
}
