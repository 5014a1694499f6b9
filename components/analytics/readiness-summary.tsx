import Link from "next/link";

type Row = { key: string; name: string; kind: "step_up" | "hold" | "step_down" | "none" };

/**
 * "1 ready to step up · 1 should step back", each linking to what it counts: the task type's page when
 * there is one, the analytics overview when there are several. Nothing when nothing needs a decision.
 */
export function ReadinessSummary({ rows }: { rows: Row[] }) {
  const parts = [
    { kind: "step_up" as const, word: "ready to step up", testId: "summary-step-up" },
    { kind: "step_down" as const, word: "should step back", testId: "summary-step-down" },
  ]
    .map((p) => ({ ...p, rows: rows.filter((r) => r.kind === p.kind) }))
    .filter((p) => p.rows.length > 0);
  if (parts.length === 0) return <span className="text-muted-foreground">No task type needs a decision about its autonomy.</span>;
  return (
    <span data-testid="readiness-summary">
      {parts.map((p, i) => (
        <span key={p.kind}>
          {i > 0 ? " · " : ""}
          <Link
            href={p.rows.length === 1 ? `/analytics/${p.rows[0].key}` : "/analytics"}
            className="font-medium underline-offset-4 hover:underline"
            data-testid={p.testId}
            title={p.rows.map((r) => r.name).join(", ")}
          >
            {p.rows.length} {p.word}
          </Link>
        </span>
      ))}
    </span>
  );
}
