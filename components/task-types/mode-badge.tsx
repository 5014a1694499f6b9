import { Badge } from "@/components/ui/badge";

const labels: Record<string, { label: string; variant: "default" | "secondary" | "success" }> = {
  approve_before_action: { label: "Approve before action", variant: "default" },
  review_after_draft: { label: "Review after draft", variant: "secondary" },
  flag_on_exception: { label: "Flag on exception", variant: "success" },
};

export function ModeBadge({ mode }: { mode: string }) {
  const m = labels[mode] ?? { label: mode, variant: "secondary" as const };
  return <Badge variant={m.variant}>{m.label}</Badge>;
}
