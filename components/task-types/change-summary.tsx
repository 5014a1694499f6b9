import { CircleCheck, ShieldAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fieldLabels, formatPolicyValue, type PolicyChanges, type PolicyField } from "@/lib/task-types/changes";

/** The before/after of the save that just happened, as the audit entry records it. */
export function ChangeSummary({ changes, floorLoosened, workspaceNames, ref }: { changes: PolicyChanges; floorLoosened: boolean; workspaceNames: Record<string, string>; ref?: React.Ref<HTMLDivElement> }) {
  const fields = (Object.keys(fieldLabels) as PolicyField[]).filter((f) => changes[f]);
  return (
    <div ref={ref} tabIndex={-1} className="scroll-mt-24 space-y-3 rounded-xl border border-success/40 bg-success/5 p-4 outline-none" data-testid="change-summary">
      <div className="flex items-center gap-2 font-semibold">
        <CircleCheck className="size-4 text-success" aria-hidden />
        <h2>
          Saved {fields.length} change{fields.length === 1 ? "" : "s"}
        </h2>
      </div>
      {floorLoosened && (
        <Alert variant="warning">
          <ShieldAlert aria-hidden />
          <AlertTitle>A floor was loosened</AlertTitle>
          <AlertDescription>The audit log highlights this change with your justification.</AlertDescription>
        </Alert>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Setting</TableHead>
            <TableHead>Before</TableHead>
            <TableHead>After</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {fields.map((f) => (
            <TableRow key={f}>
              <TableCell className="font-medium">{fieldLabels[f]}</TableCell>
              <TableCell className="text-muted-foreground line-through decoration-muted-foreground/50">{formatPolicyValue(f, changes[f]!.from, workspaceNames)}</TableCell>
              <TableCell>{formatPolicyValue(f, changes[f]!.to, workspaceNames)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
