/** A JSON object as readable label/value rows (nested objects as dotted paths), for actions and evidence. */

export function flatten(value: Record<string, unknown>, prefix = ""): [string, unknown][] {
  return Object.entries(value).flatMap(([key, v]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0 ? flatten(v as Record<string, unknown>, path) : [[path, v] as [string, unknown]];
  });
}

export function displayValue(v: unknown): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Turns `orderId` / `order_id` / `patient.mrn` into "Order id" / "Patient › mrn" for the label column. */
function label(path: string): string {
  return path
    .split(".")
    .map((part) => {
      const words = part.replace(/([a-z])([A-Z0-9])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
      return words.charAt(0).toUpperCase() + words.slice(1);
    })
    .join(" › ");
}

export function FieldsView({ value, testId }: { value: Record<string, unknown>; testId?: string }) {
  const rows = flatten(value);
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">No fields.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[minmax(8rem,auto)_1fr]" data-testid={testId}>
      {rows.map(([path, v]) => (
        <div key={path} className="contents">
          <dt className="text-muted-foreground" title={path}>
            {label(path)}
          </dt>
          <dd className="min-w-0 break-words whitespace-pre-wrap font-medium">{displayValue(v)}</dd>
        </div>
      ))}
    </dl>
  );
}
