import type { Metadata } from "next";
import Link from "next/link";
import { ArrowRight, Boxes, KeyRound, ListChecks, Users } from "lucide-react";
import { getDb } from "@/db/client";
import { countActiveApiKeys } from "@/db/queries/api-keys";
import { organizationCounts } from "@/db/queries/overview";
import { analyticsOverview } from "@/db/queries/analytics";
import { recentAutomaticStepDowns } from "@/lib/jobs/step-down";
import { ReadinessSummary } from "@/components/analytics/readiness-summary";
import { readinessOf } from "@/lib/views/analytics";
import { rangeOf } from "@/lib/validation/analytics";
import { listEndpointsDisabledForFailing } from "@/db/queries/webhook-endpoints";
import { FailingEndpointsAlert } from "@/components/webhooks/failing-endpoints-alert";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { listTaskTypes } from "@/db/queries/task-types";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Admin" };

const dataClassLabel: Record<string, string> = { none: "No personal data", pii: "PII", phi: "PHI", financial: "Financial" };

export default async function AdminPage() {
  const scope = await requirePageScope("admin.view");
  const db = getDb();
  const now = new Date();
  const [counts, types, apiKeys, stepDowns, summaries] = await Promise.all([
    organizationCounts(db, scope),
    listTaskTypes(db, scope),
    countActiveApiKeys(db, scope),
    recentAutomaticStepDowns(db, scope),
    analyticsOverview(db, scope, { ...rangeOf(28, now), now }),
  ]);
  const readiness = summaries.map((s) => ({ key: s.taskType.key, name: s.taskType.name, kind: readinessOf(s, now).recommendation.kind }));
  const failingEndpoints = await listEndpointsDisabledForFailing(db, scope);
  return (
    <div className="space-y-6">
      <PageHeader title="Admin" description={`Who works in ${scope.organizationName}, and how much each task type lets the AI do on its own.`} />
      <FailingEndpointsAlert endpoints={failingEndpoints} />
      {stepDowns.map((s) => (
        <Alert key={`${s.key}-${s.at.toISOString()}`} variant="warning" data-testid="automatic-step-down">
          <AlertTitle>
            {s.name} was stepped back automatically on {s.at.toISOString().slice(0, 10)}
          </AlertTitle>
          <AlertDescription>
            {typeof s.evidence.sentence === "string" ? s.evidence.sentence : "Its audited decisions fell below target."}{" "}
            <Link href={`/analytics/${s.key}`} className="underline underline-offset-4">
              See its readiness
            </Link>
          </AlertDescription>
        </Alert>
      ))}
      <Card data-testid="autonomy-summary">
        <CardHeader>
          <CardDescription>Autonomy</CardDescription>
          <CardTitle as="div" className="text-base font-normal">
            <ReadinessSummary rows={readiness} />
          </CardTitle>
        </CardHeader>
      </Card>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <Users className="size-4" aria-hidden /> Members
            </CardDescription>
            <CardTitle as="div" className="text-3xl tabular-nums">{counts.members}</CardTitle>
          </CardHeader>
          <CardContent className="flex items-center justify-between text-sm text-muted-foreground">
            <span>{counts.disabled > 0 ? `${counts.disabled} disabled` : "All active"}</span>
            <Link href="/admin/members" className="inline-flex items-center gap-1 font-medium text-primary hover:underline">
              Manage<span className="sr-only"> members</span> <ArrowRight className="size-3" aria-hidden />
            </Link>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <Boxes className="size-4" aria-hidden /> Workspaces
            </CardDescription>
            <CardTitle as="div" className="text-3xl tabular-nums">{counts.workspaces}</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">Reviewers see the items of the workspaces they belong to.</CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <ListChecks className="size-4" aria-hidden /> Task types
            </CardDescription>
            <CardTitle as="div" className="text-3xl tabular-nums">{counts.taskTypes}</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            {counts.unclassified > 0 ? `${counts.unclassified} unclassified — classify their consequences` : "All classified"}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <KeyRound className="size-4" aria-hidden /> Active API keys
            </CardDescription>
            <CardTitle as="div" className="text-3xl tabular-nums">{apiKeys}</CardTitle>
          </CardHeader>
          <CardContent className="flex items-center justify-between text-sm text-muted-foreground">
            <span>{apiKeys === 0 ? "None yet" : "For your agents"}</span>
            <Link href="/admin/api-keys" className="inline-flex items-center gap-1 font-medium text-primary hover:underline">
              Manage<span className="sr-only"> API keys</span> <ArrowRight className="size-3" aria-hidden />
            </Link>
          </CardContent>
        </Card>
      </div>
      <section aria-labelledby="task-types-heading" className="space-y-3">
        <h2 id="task-types-heading" className="text-lg font-semibold">
          Task types and their policies
        </h2>
        {types.length === 0 ? (
          <EmptyState
            icon={<ListChecks className="size-8" aria-hidden />}
            title="No task types yet"
            description="A task type appears the first time an agent submits an item for it, strict by default (approve before action) until you classify it."
          />
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
                    <TableHead className="text-right">SLA</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {types.map((t) => (
                    <TableRow key={t.id}>
                      <TableCell>
                        <div className="font-medium">{t.name}</div>
                        <div className="font-mono text-xs text-muted-foreground">{t.key}</div>
                      </TableCell>
                      <TableCell>{t.workspace}</TableCell>
                      <TableCell>
                        <ModeBadge mode={t.mode} />
                      </TableCell>
                      <TableCell>
                        <div className="flex flex-wrap gap-1">
                          {!t.classified && <Badge variant="warning">Unclassified</Badge>}
                          {!t.reversible && <Badge variant="destructive">Irreversible</Badge>}
                          <Badge variant="outline">{dataClassLabel[t.dataClass] ?? t.dataClass}</Badge>
                          {t.customerFacing && <Badge variant="outline">Customer-facing</Badge>}
                          {t.amountLimit && (
                            <Badge variant="outline">
                              Limit {t.amountLimit} {t.amountCurrency}
                            </Badge>
                          )}
                          {t.mode === "flag_on_exception" && <Badge variant="outline">Confidence ≥ {t.confidenceThreshold.toFixed(2)}</Badge>}
                        </div>
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{t.slaMinutes} min</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
        )}
      </section>
    </div>
  );
}
