import type { Metadata } from "next";
import { LineChart } from "lucide-react";
import { getDb } from "@/db/client";
import { analyticsOverview } from "@/db/queries/analytics";
import { organizationSettings } from "@/db/queries/organizations";
import { visibleWorkspaces } from "@/db/queries/overview";
import { AutoStepDownSetting } from "@/components/analytics/auto-step-down";
import { AnalyticsFilters } from "@/components/analytics/analytics-filters";
import { OverviewTable } from "@/components/analytics/overview-table";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { overviewRow } from "@/lib/analytics-view";
import { can } from "@/lib/auth/permissions";
import { requirePageScope } from "@/lib/auth/session";
import { parseAnalyticsParams, rangeOf } from "@/lib/validation/analytics";

export const metadata: Metadata = { title: "Analytics" };

const pct = (part: number, whole: number) => (whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`);

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("analytics.view");
  const params = parseAnalyticsParams(await searchParams);
  const now = new Date();
  const range = rangeOf(params.days, now);
  const db = getDb();
  const [summaries, workspaces, settings] = await Promise.all([
    analyticsOverview(db, scope, { ...range, workspaceId: params.workspace }),
    visibleWorkspaces(db, scope),
    organizationSettings(db, scope),
  ]);
  const rows = summaries.map((s) => overviewRow(s, now));
  const decided = rows.reduce((n, r) => n + r.decided, 0);
  const accepted = summaries.reduce((n, s) => n + s.range.approved, 0);
  const automated = rows.reduce((n, r) => n + r.autoApproved, 0);
  const volume = rows.reduce((n, r) => n + r.volume, 0);
  const breaches = rows.reduce((n, r) => n + r.slaBreached, 0);
  const ready = rows.filter((r) => r.readiness.kind === "step_up").length;
  const stepBack = rows.filter((r) => r.readiness.kind === "step_down").length;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Analytics"
        description={`How often people accept what the agents propose, and which task types have earned more autonomy. ${range.from} to ${range.to} (UTC).`}
        actions={<AnalyticsFilters params={params} workspaces={workspaces} />}
      />
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
              hint={[stepBack ? `${stepBack} should step back` : null, `${breaches.toLocaleString("en-US")} SLA breaches`].filter(Boolean).join(" · ")}
            />
          </div>
          <OverviewTable rows={rows} filename={`countersign-analytics-${range.from}-to-${range.to}.csv`} />
          {can(scope.role, "settings.manage") ? <AutoStepDownSetting enabled={settings.autoStepDown === true} /> : null}
        </>
      )}
    </div>
  );
}

function Kpi({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <Card>
      <CardHeader>
        <CardDescription>{label}</CardDescription>
        <CardTitle as="div" className="text-3xl tabular-nums">
          {value}
        </CardTitle>
        <p className="text-xs text-muted-foreground">{hint}</p>
      </CardHeader>
    </Card>
  );
}
