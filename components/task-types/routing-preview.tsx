import { ArrowRight } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { RoutingPreview } from "@/lib/actions/task-types";
import { describeReason, modeLabel, type ReasonContext } from "@/lib/policy";
import { percentText } from "./labels";

function Reasons({ reasons, ctx }: { reasons: string[]; ctx: ReasonContext }) {
  if (reasons.length === 0) return <span className="text-sm text-muted-foreground">no reasons</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Reasons">
      {reasons.map((r) => (
        <li key={r}>
          <Badge variant={r.startsWith("floor:") ? "destructive" : "outline"}>{describeReason(r, ctx)}</Badge>
        </li>
      ))}
    </ul>
  );
}

/** How the chosen item was routed when it arrived, beside how the edited policy would route it. */
export function RoutingPreviewResult({ preview, threshold, limit, currency }: { preview: RoutingPreview; threshold: number; limit: number | null; currency: string | null }) {
  const ctx: ReasonContext = { confidence: preview.confidence, threshold, amount: preview.amount, limit, currency };
  const now = preview.now;
  const verdict = now.needsHuman ? "Goes to a person first" : "Runs automatically";
  return (
    <div className="grid gap-3 rounded-md border bg-muted/30 p-4 md:grid-cols-[1fr_auto_1fr]" data-testid="routing-preview" aria-live="polite">
      <div className="space-y-1.5">
        <p className="text-xs font-medium text-muted-foreground uppercase">When it arrived ({modeLabel[preview.then.mode]})</p>
        <p className="text-sm font-medium">{preview.then.needsHuman ? "Went to a person" : "Ran automatically"}</p>
        <Reasons reasons={preview.then.reasons} ctx={ctx} />
      </div>
      <ArrowRight className="hidden size-4 self-center text-muted-foreground md:block" aria-hidden />
      <div className="space-y-1.5">
        <p className="text-xs font-medium text-muted-foreground uppercase">Under this policy (unsaved)</p>
        <p className={now.needsHuman ? "text-sm font-medium" : "text-sm font-medium text-success"}>{verdict}</p>
        <Reasons reasons={now.reasons} ctx={ctx} />
        {!now.needsHuman && preview.auditSampleRate > 0 && (
          <p className="text-xs text-muted-foreground">{percentText(preview.auditSampleRate)} of items like it are sampled for an audit review afterwards.</p>
        )}
      </div>
    </div>
  );
}
