import { cn } from "@/lib/ui/cn";

const tone: Record<string, string> = {
  get: "border-success/30 bg-success/10 text-success",
  post: "border-primary/30 bg-primary/10 text-primary",
  delete: "border-destructive/30 bg-destructive/10 text-destructive",
};

export function MethodBadge({ method, className }: { method: string; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex w-14 shrink-0 justify-center rounded-md border px-1.5 py-0.5 font-mono text-xs font-semibold tracking-wide uppercase",
        tone[method] ?? "border-warning/30 bg-warning/10 text-warning",
        className,
      )}
    >
      {method}
    </span>
  );
}

/** An HTTP status code, coloured by its class. */
export function StatusCode({ status }: { status: string }) {
  const cls = status.startsWith("2") ? "text-success" : status.startsWith("5") ? "text-destructive" : "text-warning";
  return <span className={cn("font-mono text-sm font-semibold", cls)}>{status}</span>;
}
