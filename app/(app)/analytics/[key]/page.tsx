import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, Check, X } from "lucide-react";
import { getDb } from "@/db/client";
import { taskTypeDays, taskTypeSummary } from "@/db/queries/analytics";
import { listModeChanges } from "@/db/queries/mode-changes";
import { AnalyticsFilters } from "@/components/analytics/analytics-filters";
import { ModeChangeButton } from "@/components/analytics/mode-change-button";
import { AcceptanceChart, CalibrationChart, LatencyChart, OutcomesChart } from "@/components/charts/analytics-charts";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import {
  calibrationPoints,
  dailyOutcomes,
  latencyPoints,
  periodLine,
  readinessOf,
  readinessWindowLines,
  stepUpSavingsLines,
  thresholdAtLowestSeen,
  weeklyAcceptance,
} from "@/lib/views/analytics";
import { can } from "@/lib/security/permissions";
import { modeLabel } from "@/lib/policy";
import { requirePageScope } from "@/lib/auth/session";
import { formatDateTime, formatDuration } from "@/lib/views/queue-format";
import { medianLatencyMs } from "@/lib/data/rollup-buckets";
import { parseAnalyticsParams, rangeFor } from "@/lib/validation/analytics";

export const metadata: Metadata = { title: "Task type readiness" };

const reasonLabel: Record<string, string> = { recommendation: "Recommendation applied", rollback: "Rolled back", step_down: "Stepped down", automatic_step_down: "Stepped down automatically", admin: "Changed by an admin" };

export default async function TaskTypeAnalyticsPage({ params, searchParams }: { params: Promise<{ key: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("analytics.view");
  const { key } = await params;
  const filters = parseAnalyticsParams(await searchParams);
  const now = new Date();
  const range = rangeFor(filters, now);
  const db = getDb();
  const summary = /^[a-z0-9._-]{1,100}$/.test(key) ? await taskTypeSummary(db, scope, key, { ...range, now }) : null;
  if (!summary) notFound();
  const t = summary.taskType;
  const [days, history] = await Promise.all([taskTypeDays(db, scope, t.id, range), listModeChanges(db, scope, t.id)]);
  const readiness = readinessOf(summary, now);
  const rec = readiness.recommendation;
  const admin = can(scope.role, "taskTypes.manage");
  const threshold = readiness.threshold && readiness.threshold.reason === null ? readiness.threshold : null;
  const median = medianLatencyMs(summary.range.latencyBuckets);
  const since = t.modeSince.toISOString().slice(0, 10);
  const modeAgeDays = Math.max(0, Math.floor((now.getTime() - t.modeSince.getTime()) / 86_400_000));
  const hasRecommendation = rec.kind === "step_up" || rec.kind === "step_down";
  // One button per direction: a rollback that lands where the recommendation goes would be the same button twice.
  const rollbackTo = t.previousMode && t.previousMode !== t.mode && !(hasRecommendation && rec.toMode === t.previousMode) ? t.previousMode : null;
  const lowestSeen = thresholdAtLowestSeen(summary.sinceMode, threshold?.threshold ?? null);

  return (
    <div className="space-y-6">
      <Button variant="ghost" size="sm" asChild className="-ml-2">
        <Link href="/analytics">
          <ArrowLeft aria-hidden /> Analytics
        </Link>
      </Button>
      <PageHeader title={t.name} description={`${t.key} · ${t.workspace.name} · in ${modeLabel[t.mode]} since ${since}`} actions={<AnalyticsFilters params={filters} range={range} />}>
        <div className="flex flex-wrap gap-2">
          <ModeBadge mode={t.mode} />
          {!t.reversible ? <Badge variant="destructive">Irreversible</Badge> : null}
          {t.dataClass === "phi" ? <Badge variant="destructive">PHI write</Badge> : null}
          {t.amountLimit !== null ? <Badge variant="warning">Amount limit {Number(t.amountLimit).toFixed(2)} {t.amountCurrency}</Badge> : null}
          {!t.classified ? <Badge variant="secondary">Unclassified</Badge> : null}
        </div>
      </PageHeader>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Readiness</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <Alert variant={rec.kind === "step_up" ? "success" : rec.kind === "step_down" ? "destructive" : "default"} data-testid="readiness-sentence">
            <AlertTitle>{readiness.status.word}</AlertTitle>
            <AlertDescription>{readiness.sentence}</AlertDescription>
          </Alert>
          <div className="space-y-1 text-sm text-muted-foreground" data-testid="readiness-window">
            {readinessWindowLines(readiness, t.mode, modeAgeDays).map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
          {readiness.rubberStamp ? (
            <Alert variant="warning" data-testid="rubber-stamp-warning">
              <AlertTitle>{readiness.rubberStamp.sentence}</AlertTitle>
              <AlertDescription>
                At least half of their approvals of this task type took under 5 seconds on the item.{" "}
                {readiness.rubberStamp.excluded
                  ? "Your organization leaves those approvals out of acceptance."
                  : "Those approvals still count toward acceptance; a step up asks you to acknowledge them."}{" "}
                <Link href={`/analytics?view=reviewers`} className="underline underline-offset-4">
                  See the reviewers
                </Link>
              </AlertDescription>
            </Alert>
          ) : null}
          <ul className="grid gap-2 sm:grid-cols-2" aria-label="Criteria">
            {readiness.checks.map((c) => (
              <li key={c.key} className="flex items-center gap-2 rounded-md border px-3 py-2 text-sm">
                {c.met ? <Check className="size-4 text-success" aria-label="met" /> : <X className="size-4 text-destructive" aria-label="not met" />}
                {c.label}
              </li>
            ))}
          </ul>
          {admin ? (
            <div className="flex flex-wrap gap-2">
              {rec.kind === "step_up" ? (
                <ModeChangeButton
                  taskTypeKey={t.key}
                  direction="apply"
                  label="Step to flag on exception"
                  title="Let this task type run on exception?"
                  consequence={`Items will run without a person${rec.confidenceThreshold !== null ? ` when the agent's confidence is at least ${rec.confidenceThreshold.toFixed(2)}` : ""}; low confidence, exception rules, agent flags and any floor still send an item to a person, and a sample is audited. Readiness counting starts again from now.`}
                  details={stepUpSavingsLines(readiness, range, summary.range)}
                  acknowledge={readiness.rubberStamp && !readiness.rubberStamp.excluded ? readiness.rubberStamp.sentence : null}
                />
              ) : null}
              {rec.kind === "step_down" ? (
                <ModeChangeButton
                  taskTypeKey={t.key}
                  direction="apply"
                  variant="destructive"
                  label={`Step back to ${modeLabel[rec.toMode]}`}
                  title="Step this task type back?"
                  consequence={`Every item will wait for a person again (${modeLabel[rec.toMode]}). Counting starts again from now.`}
                />
              ) : null}
              {rollbackTo ? (
                <ModeChangeButton
                  taskTypeKey={t.key}
                  direction="rollback"
                  variant="outline"
                  label={`Roll back to ${modeLabel[rollbackTo]}`}
                  title="Roll back the last mode change?"
                  consequence={`The task type returns to ${modeLabel[rollbackTo]}; agents are told by the task_type.mode_changed webhook, and readiness counting starts again from now.`}
                />
              ) : null}
            </div>
          ) : hasRecommendation ? (
            <p className="text-sm text-muted-foreground">An admin can apply this recommendation.</p>
          ) : null}
        </CardContent>
      </Card>

      <section aria-labelledby="period-heading" className="space-y-1">
        <h2 id="period-heading" className="text-lg font-semibold tracking-tight">
          The chosen period
        </h2>
        <p className="text-sm text-muted-foreground" data-testid="period-figures">
          {periodLine(range, summary.range)} Readiness above counts its own window, not this period.
        </p>
      </section>

      <div className="grid gap-6 xl:grid-cols-2">
        <AcceptanceChart data={weeklyAcceptance(days, now.toISOString().slice(0, 10))} target={readiness.criteria.targetAcceptance} />
        <OutcomesChart data={dailyOutcomes(days)} />
        <CalibrationChart
          data={calibrationPoints(summary.sinceMode, readiness.criteria.targetAcceptance)}
          threshold={threshold?.threshold ?? null}
          target={readiness.criteria.targetAcceptance}
          caption={[
            "Decisions per confidence bucket since the current mode began (bars; red below the target) and their acceptance (line).",
            threshold
              ? `At ≥ ${threshold.threshold.toFixed(1)}, about ${(threshold.automatedShare * 100).toFixed(0)}% of items would pass without a person.`
              : "No threshold meets the target with enough decisions yet.",
            lowestSeen ? "The suggested threshold is the lowest confidence reviewed so far: the data can't tell yet where acceptance would fall below target." : null,
          ]
            .filter(Boolean)
            .join(" ")}
        />
        <LatencyChart data={latencyPoints(summary.range)} median={median === null ? "—" : formatDuration(median).replace("just now", "under a minute")} />
      </div>

      <Card>
        <CardHeader>
          <CardTitle className="text-base">Mode history</CardTitle>
        </CardHeader>
        <CardContent>
          {history.length === 0 ? (
            <p className="text-sm text-muted-foreground">Still in the mode it started in ({modeLabel[t.mode]}) since {since}.</p>
          ) : (
            <ol className="space-y-3 border-l pl-4 text-sm" data-testid="mode-history">
              {history.map(({ change, actorName }) => (
                <li key={change.id}>
                  <p className="font-medium">
                    {reasonLabel[change.reason] ?? change.reason}: {modeLabel[change.fromMode]} → {modeLabel[change.toMode]}
                    {change.confidenceThreshold !== null ? ` (confidence ≥ ${change.confidenceThreshold.toFixed(2)})` : ""}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {formatDateTime(change.createdAt.toISOString())} · {actorName ?? "Countersign"}
                    {typeof change.evidence.sentence === "string" ? ` · ${change.evidence.sentence}` : ""}
                  </p>
                </li>
              ))}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
