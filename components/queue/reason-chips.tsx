import { Badge } from "@/components/ui/badge";
import { describeReason, type ReasonContext } from "@/lib/policy";

const tone = (reason: string) => (reason.startsWith("floor:") ? "destructive" : reason === "sampled_for_audit" ? "secondary" : reason.startsWith("mode:") ? "outline" : "warning");

/** Why an item needs a person, as readable chips ("PHI write", "Confidence 0.62 < 0.80", "Audit sample"). */
export function ReasonChips({ reasons, context }: { reasons: string[]; context: ReasonContext }) {
  if (reasons.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Why it is here">
      {reasons.map((r) => (
        <li key={r}>
          <Badge variant={tone(r)}>{describeReason(r, context)}</Badge>
        </li>
      ))}
    </ul>
  );
}
