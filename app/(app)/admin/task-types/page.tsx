import type { Metadata } from "next";
import Link from "next/link";
import { ListChecks, TriangleAlert } from "lucide-react";
import { getDb } from "@/db/client";
import { listTaskTypes, type TaskTypeListRow } from "@/db/queries/task-types";
import { dataClassLabel, minutesText, percentText } from "@/components/task-types/labels";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Task types" };

const numberFormat = new Intl.NumberFormat("en-US");

function Consequences({ t }: { t: TaskTypeListRow }) {
  return (
    <div className="flex flex-wrap gap-1">
      {t.reversible ? <Badge variant="outline">Reversible</Badge> : <Badge variant="destructive">Irreversible</Badge>}
      <Badge variant={t.dataClass === "phi" ? "destructive" : "outline"}>{dataClassLabel[t.dataClass] ?? t.dataClass}</Badge>
      <Badge variant="outline">{t.customerFacing ? "Customer-facing" : "Internal"}</Badge>
    </div>
  );
}

function Thresholds({ t }: { t: TaskTypeListRow }) {
  const rule = t.twoPersonRule;
  const lines = [
    `Confidence ≥ ${t.confidenceThreshold.toFixed(2)}`,
    t.amountLimit === null ? "No amount limit" : `Limit ${t.amountLimit} ${t.amountCurrency ?? ""}`.trim(),
    t.amountPath ? `Amount read from ${t.amountPath}` : null,
    `Audit ${percentText(t.auditSampleRate)} · SLA ${minutesText(t.slaMinutes)}`,
    rule?.always ? "Two people approve, always" : typeof rule?.aboveAmount === "number" ? `Two people approve above ${rule.aboveAmount}` : null,
    t.exceptionRuleCount > 0 ? `${t.exceptionRuleCount} exception rule${t.exceptionRuleCount === 1 ? "" : "s"}` : null,
  ].filter(Boolean);
  return (
    <ul className="space-y-0.5 text-xs text-muted-foreground tabular-nums">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

export default async function TaskTypesPage() {
  const scope = await requirePageScope("taskTypes.manage");
  const types = await listTaskTypes(getDb(), scope);
  const unclassified = types.filter((t) => !t.classified).length;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Task types"
        description="Each kind of action an agent proposes, what it can break, and how much it may do without a person. Irreversible and PHI-writing task types always wait for a person."
      />
      {unclassified > 0 && (
        <Alert variant="warning" data-testid="unclassified-banner">
          <TriangleAlert aria-hidden />
          <AlertTitle>
            {unclassified === 1 ? "1 task type is unclassified: it stays" : `${unclassified} task types are unclassified: they stay`} in approve-before-action until you classify{" "}
            {unclassified === 1 ? "it" : "them"}.
          </AlertTitle>
          <AlertDescription>Agents registered them by submitting items. Open each one, say what its actions can break, and save.</AlertDescription>
        </Alert>
      )}
      {types.length === 0 ? (
        <EmptyState
          icon={<ListChecks className="size-8" aria-hidden />}
          title="No task types yet"
          description="A task type appears the first time an agent submits an item for it, strict by default (approve before action) until you classify it."
        >
          <Link href="/admin/api-keys" className="text-sm font-medium text-primary hover:underline">
            Create an API key for your agent
          </Link>
        </EmptyState>
      ) : (
        <Card>
          <CardContent className="pt-6">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Task type</TableHead>
                  <TableHead>Workspace</TableHead>
                  <TableHead>Mode</TableHead>
                  <TableHead>Consequences</TableHead>
                  <TableHead>Thresholds</TableHead>
                  <TableHead className="text-right">
                    Items <span className="font-normal">(30 days)</span>
                  </TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {types.map((t) => (
                  <TableRow key={t.id} data-testid={`task-type-${t.key}`}>
                    <TableCell>
                      <div className="flex flex-wrap items-center gap-2">
                        <Link href={`/admin/task-types/${t.key}`} className="font-medium hover:underline">
                          {t.name}
                        </Link>
                        {!t.classified && <Badge variant="warning">Unclassified</Badge>}
                      </div>
                      <div className="font-mono text-xs text-muted-foreground">{t.key}</div>
                    </TableCell>
                    <TableCell>
                      {t.workspace}
                      {t.workspaceArchived && <div className="text-xs text-muted-foreground">archived</div>}
                    </TableCell>
                    <TableCell>
                      <ModeBadge mode={t.mode} />
                    </TableCell>
                    <TableCell>
                      {t.classified ? <Consequences t={t} /> : <span className="text-sm text-muted-foreground">Not classified yet</span>}
                    </TableCell>
                    <TableCell>
                      <Thresholds t={t} />
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{numberFormat.format(t.itemsLast30Days)}</TableCell>
                    <TableCell className="text-right">
                      <Link href={`/admin/task-types/${t.key}`} className="text-sm font-medium text-primary hover:underline">
                        {t.classified ? "Edit" : "Classify"}
                        <span className="sr-only"> {t.name}</span>
                      </Link>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
