import type { Metadata } from "next";
import { LineChart, Users } from "lucide-react";
import { getDb } from "@/db/client";
import { analyticsOverview } from "@/db/queries/analytics";
import { organizationSettings } from "@/db/queries/organizations";
import { visibleWorkspaces } from "@/db/queries/overview";
import { AutoStepDownSetting } from "@/components/analytics/auto-step-down";
import { AnalyticsFilters } from "@/components/analytics/analytics-filters";
import { OverviewTable } from "@/components/analytics/overview-table";
import { ReadinessSummary } from "@/components/analytics/readiness-summary";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { overviewRow } from "@/lib/views/analytics";
import { can } from "@/lib/security/permissions";
import { requirePageScope } from "@/lib/auth/session";
import { analyticsHref, parseAnalyticsParams, rangeFor, type AnalyticsParams } from "@/lib/validation/analytics";
import { reviewerDays, reviewerTotals } from "@/db/queries/reviewer-analytics";
import { ReviewerTable } from "@/components/analytics/reviewer-table";
import { ReviewerThroughputChart } from "@/components/charts/reviewer-charts";
import { reviewerRows, throughputSeries } from "@/lib/views/reviewers";
import Link from "next/link";
import type { Scope } from "@/db/scope";

export const metadata: Metadata = { title: "Analytics" };

const pct = (part: number, whole: number) => (whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`);

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("analytics.view");
  const params = parseAnalyticsParams(await searchParams);
  const now = new Date();
  const range = rangeFor(params, now);
  const db = getDb();
  const header = (
    <>
      <PageHeader
        title="Analytics"
        description={`How often people accept what the agents propose, and which task types have earned more autonomy. ${range.from} to ${range.to} (UTC).`}
        actions={<AnalyticsFilters params={params} range={range} workspaces={await visibleWorkspaces(db, scope)} />}
      />
      <ViewTabs params={params} />
    </>
  );
  if (params.view === "reviewers") {
    return (
      <div className="space-y-6">
        {header}
        <ReviewersView scope={scope} params={params} range={range} />
      </div>
    );
  }
  const [summaries, settings] = await Promise.all([
    analyticsOverview(db, scope, { ...range, workspaceId: params.workspace, now }),
    organizationSettings(db, scope),
  ]);
  const rows = summaries.map((s) => overviewRow(s, now));
  const decided = rows.reduce((n, r) => n + r.decided, 0);
  const accepted = summaries.reduce((n, s) => n + s.range.approved, 0);
  const automated = rows.reduce((n, r) => n + r.autoApproved, 0);
  const volume = rows.reduce((n, r) => n + r.volume, 0);
  const breaches = rows.reduce((n, r) => n + r.slaBreached, 0);
  const ready = rows.filter((r) => r.readiness.kind === "step_up").length;
  return (
    <div className="space-y-6">
      {header}
      {rows.length === 0 ? (
        <EmptyState
          icon={<LineChart className="size-8" aria-hidden />}
          title="No task types yet"
          description="When agents start sending work, each task type appears here with its acceptance rate, review load and readiness for more autonomy."
        />
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <Kpi label="Decided by a person" value={decided.toLocaleString("en-US")} hint={`of ${volume.toLocaleString("en-US")} items`} />
            <Kpi label="Accepted unchanged" value={pct(accepted, decided)} hint="approved as proposed ÷ decided" />
            <Kpi label="Ran without a person" value={pct(automated, volume)} hint={`${automated.toLocaleString("en-US")} auto-approved`} />
            <Kpi
              label="Readiness"
              value={`${ready} ready`}
              hint={`${breaches.toLocaleString("en-US")} SLA breaches in the period`}
            >
              <ReadinessSummary rows={rows.map((r) => ({ key: r.key, name: r.name, kind: r.readiness.kind }))} />
            </Kpi>
          </div>
          <OverviewTable rows={rows} filename={`countersign-analytics-${range.from}-to-${range.to}.csv`} />
          {can(scope.role, "settings.manage") ? <AutoStepDownSetting enabled={settings.autoStepDown === true} /> : null}
        </>
      )}
    </div>
  );
}

function ViewTabs({ params }: { params: AnalyticsParams }) {
  const views = [
    { view: "task-types", label: "Task types" },
    { view: "reviewers", label: "Reviewers" },
  ] as const;
  return (
    <nav aria-label="Analytics views" className="flex gap-1 border-b">
      {views.map((v) => {
        const current = params.view === v.view;
        return (
          <Link
            key={v.view}
            href={analyticsHref("/analytics", { ...params, view: v.view })}
            aria-current={current ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${current ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground"}`}
          >
            {v.label}
          </Link>
        );
      })}
    </nav>
  );
}

/** Who decided what and how fast: throughput per day and rubber-stamp signals per reviewer × task type. */
async function ReviewersView({ scope, params, range }: { scope: Scope; params: AnalyticsParams; range: { from: string; to: string } }) {
  const db = getDb();
  const filter = { ...range, workspaceId: params.workspace };
  const [totals, days] = await Promise.all([reviewerTotals(db, scope, filter), reviewerDays(db, scope, filter)]);
  if (totals.length === 0) {
    return (
      <EmptyState
        icon={<Users className="size-8" aria-hidden />}
        title="Nobody decided anything in this period"
        description="When people approve, edit or reject items, each reviewer appears here with what they decided and how quickly they approved."
      />
    );
  }
  const rows = reviewerRows(totals, params.fast);
  const names = new Map(totals.map((t) => [t.reviewerId, t.reviewerName]));
  const throughput = throughputSeries(days, names, range);
  const atRisk = rows.filter((r) => r.signal.atRisk);
  const decided = rows.reduce((n, r) => n + r.decided, 0);
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-3">
        <Kpi label="Reviewers" value={names.size.toLocaleString("en-US")} hint="who decided at least one item" />
        <Kpi label="Decisions" value={decided.toLocaleString("en-US")} hint="audit reviews and first approvals included" />
        <Kpi label="Rubber-stamp risk" value={`${atRisk.length}`} hint={`reviewer × task type pairs with most approvals under ${params.fast} s`} />
      </div>
      <ReviewerThroughputChart series={throughput.series} points={throughput.points} />
      <section aria-labelledby="reviewer-signals" className="space-y-2">
        <h2 id="reviewer-signals" className="text-lg font-semibold tracking-tight">
          Reviewer signals
        </h2>
        <p className="text-sm text-muted-foreground">
          A reviewer is flagged when at least half of at least 20 unchanged approvals of a task type took under {params.fast} seconds on the item: their
          approvals may not reflect a real look, and they inflate the acceptance that readiness relies on.
        </p>
        <ReviewerTable rows={rows} filename={`countersign-reviewers-${range.from}-to-${range.to}.csv`} />
      </section>
    </>
  );
}

function Kpi({ label, value, hint, children }: { label: string; value: string; hint: string; children?: React.ReactNode }) {
  return (
    <Card>
      <CardHeader>
        <CardDescription>{label}</CardDescription>
        <CardTitle as="div" className="text-3xl tabular-nums">
          {value}
        </CardTitle>
        {children ? <p className="text-sm">{children}</p> : null}
        <p className="text-xs text-muted-foreground">{hint}</p>
      </CardHeader>
    </Card>
  );
}
