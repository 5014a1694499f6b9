import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatAmount, formatDuration, formatTime, slaAfterDecision, slaState } from "@/lib/views/queue-format";
import { cn } from "@/lib/ui/cn";
import { ReasonChips } from "../reason-chips";
import type { ReviewItemView } from "./view";

/** Why a person sees this item (routing reasons against the task type's thresholds), and its clock. */
export function WhyCard({ item, now, decidedAt }: { item: ReviewItemView; now: Date; decidedAt: string | null }) {
  const sla = item.inQueue ? slaState(item.slaDueAt, now) : slaAfterDecision(item.slaDueAt, decidedAt);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-base">Why it is here</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        <ReasonChips
          reasons={item.reasons}
          context={{ confidence: item.confidence, threshold: item.taskType.confidenceThreshold, amount: item.amount, limit: item.taskType.amountLimit, currency: item.taskType.amountCurrency }}
        />
        <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
          <dt className="text-muted-foreground">Confidence</dt>
          <dd className="tabular-nums">
            {item.confidence === null ? "not given" : item.confidence.toFixed(2)}
            <span className="text-muted-foreground"> / {item.taskType.confidenceThreshold.toFixed(2)}</span>
          </dd>
          <dt className="text-muted-foreground">Amount</dt>
          <dd className="tabular-nums">
            {formatAmount(item.amount)}
            {item.taskType.amountLimit !== null ? <span className="block text-xs text-muted-foreground">limit {formatAmount({ value: item.taskType.amountLimit, currency: item.taskType.amountCurrency ?? "USD" })}</span> : null}
          </dd>
          {item.approvals.needed > 1 ? (
            <>
              <dt className="text-muted-foreground">Approvals</dt>
              <dd>
                {item.approvals.needed}, by different people
                <span className="block text-xs text-muted-foreground">the task type&apos;s rule when it arrived</span>
              </dd>
            </>
          ) : null}
          <dt className="text-muted-foreground">Waiting</dt>
          <dd>{formatDuration(now.getTime() - new Date(item.createdAt).getTime())}</dd>
          <dt className="text-muted-foreground">SLA</dt>
          <dd className={cn(sla.state === "overdue" && "font-medium text-destructive", sla.state === "due_soon" && "text-warning")} data-testid="sla">
            {sla.label}
          </dd>
          {item.expiresAt ? (
            <>
              <dt className="text-muted-foreground">Expires</dt>
              <dd>{formatTime(item.expiresAt)}</dd>
            </>
          ) : null}
        </dl>
      </CardContent>
    </Card>
  );
}
