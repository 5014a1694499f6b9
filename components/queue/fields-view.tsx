import { fieldRows } from "@/lib/views/queue-format";
import { cn } from "@/lib/ui/cn";

/** A JSON object as readable label/value rows (nested objects as paths), for actions and evidence. */

export function displayValue(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export function FieldsView({ value, testId }: { value: Record<string, unknown>; testId?: string }) {
  const rows = fieldRows(value);
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">No fields.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[minmax(8rem,auto)_1fr]" data-testid={testId}>
      {rows.map((row) => (
        <div key={row.key} className="contents">
          <dt className={cn("text-muted-foreground", row.raw && "font-mono text-xs break-all")} title={row.path} data-raw-path={row.raw || undefined}>
            {row.label}
          </dt>
          <dd className="min-w-0 wrap-anywhere whitespace-pre-wrap font-medium">{displayValue(row.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
