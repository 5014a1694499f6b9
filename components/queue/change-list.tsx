import { diffFields, diffLines } from "@/lib/data/diff";
import { cn } from "@/lib/ui/cn";
import { displayValue } from "./fields-view";

/** What differs between two versions of an action and its draft: the edit preview and the revision view share it. */
export function ChangeList({ before, after, beforeDraft, afterDraft }: { before: Record<string, unknown>; after: Record<string, unknown>; beforeDraft: string | null; afterDraft: string | null }) {
  const fields = diffFields(before, after);
  const draftChanged = (beforeDraft ?? "") !== (afterDraft ?? "");
  if (fields.length === 0 && !draftChanged) return <p className="text-sm text-muted-foreground">No changes.</p>;
  return (
    <div className="space-y-3 text-sm" data-testid="change-list">
      {fields.length > 0 ? (
        <table className="w-full text-left">
          <caption className="sr-only">Changed fields</caption>
          <thead className="text-xs text-muted-foreground">
            <tr>
              <th className="py-1 pr-3 font-medium">Field</th>
              <th className="py-1 pr-3 font-medium">Before</th>
              <th className="py-1 font-medium">After</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.path} className="border-t align-top">
                <td className="py-1 pr-3 font-mono text-xs">{f.path}</td>
                <td className="py-1 pr-3 break-all text-destructive line-through decoration-destructive/50">{displayValue(f.before)}</td>
                <td className="py-1 break-all font-medium text-success">{displayValue(f.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {draftChanged ? (
        <div>
          <p className="mb-1 text-xs font-medium text-muted-foreground">Draft</p>
          <pre className="max-h-80 overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs wrap-anywhere whitespace-pre-wrap">
            {diffLines(beforeDraft ?? "", afterDraft ?? "").map((l, i) => (
              <div key={i} className={cn(l.kind === "added" && "bg-success/15 text-success", l.kind === "removed" && "bg-destructive/10 text-destructive line-through")}>
                <span aria-hidden className="mr-2 select-none opacity-60">
                  {l.kind === "added" ? "+" : l.kind === "removed" ? "−" : " "}
                </span>
                <span className="sr-only">{l.kind === "added" ? "Added: " : l.kind === "removed" ? "Removed: " : ""}</span>
                {l.text || " "}
              </div>
            ))}
          </pre>
        </div>
      ) : null}
    </div>
  );
}
