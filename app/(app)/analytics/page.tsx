import type { Metadata } from "next";
import { LineChart } from "lucide-react";
import { getDb } from "@/db/client";
import { taskTypeActivity } from "@/db/queries/overview";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Analytics" };

const DAYS = 28;

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${((part / whole) * 100).toFixed(1)}%`;
}

export default async function AnalyticsPage() {
  const scope = await requirePageScope("analytics.view");
  const rows = await taskTypeActivity(getDb(), scope, { days: DAYS });
  const decided = rows.reduce((n, r) => n + r.decided, 0);
  const accepted = rows.reduce((n, r) => n + r.approved, 0);
  const automated = rows.reduce((n, r) => n + r.autoApproved, 0);
  return (
    <div className="space-y-6">
      <PageHeader title="Analytics" description={`How often people accept what the agents propose, over the last ${DAYS} days.`} />
      {rows.length === 0 ? (
        <EmptyState
          icon={<LineChart className="size-8" aria-hidden />}
          title="No task types yet"
          description="When agents start sending work, each task type appears here with its acceptance rate, review load and readiness for more autonomy."
        />
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-3">
            <Card>
              <CardHeader>
                <CardDescription>Decided by a person</CardDescription>
                <CardTitle as="div" className="text-3xl tabular-nums">{decided.toLocaleString("en-US")}</CardTitle>
              </CardHeader>
            </Card>
            <Card>
              <CardHeader>
                <CardDescription>Accepted unchanged</CardDescription>
                <CardTitle as="div" className="text-3xl tabular-nums">{percent(accepted, decided)}</CardTitle>
              </CardHeader>
            </Card>
            <Card>
              <CardHeader>
                <CardDescription>Auto-approved</CardDescription>
                <CardTitle as="div" className="text-3xl tabular-nums">{automated.toLocaleString("en-US")}</CardTitle>
              </CardHeader>
            </Card>
          </div>
          <Card>
            <CardContent className="pt-6">
              <Table>
                <TableCaption>Acceptance = approved unchanged ÷ decided by a person. An edit counts against it.</TableCaption>
                <TableHeader>
                  <TableRow>
                    <TableHead>Task type</TableHead>
                    <TableHead>Mode</TableHead>
                    <TableHead className="text-right">Decided</TableHead>
                    <TableHead className="text-right">Acceptance</TableHead>
                    <TableHead className="text-right">Edited</TableHead>
                    <TableHead className="text-right">Rejected</TableHead>
                    <TableHead className="text-right">Auto-approved</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {rows.map((r) => (
                    <TableRow key={r.key}>
                      <TableCell>
                        <div className="font-medium">{r.name}</div>
                        <div className="font-mono text-xs text-muted-foreground">{r.key}</div>
                      </TableCell>
                      <TableCell>
                        <ModeBadge mode={r.mode} />
                      </TableCell>
                      <TableCell className="text-right tabular-nums">{r.decided.toLocaleString("en-US")}</TableCell>
                      <TableCell className="text-right tabular-nums">{percent(r.approved, r.decided)}</TableCell>
                      <TableCell className="text-right tabular-nums">{percent(r.edited, r.decided)}</TableCell>
                      <TableCell className="text-right tabular-nums">{percent(r.rejected, r.decided)}</TableCell>
                      <TableCell className="text-right tabular-nums">{r.autoApproved.toLocaleString("en-US")}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </CardContent>
          </Card>
          <EmptyState
            icon={<LineChart className="size-8" aria-hidden />}
            title="Trends and autonomy readiness open here"
            description="Acceptance over time with its confidence interval, decisions per day by outcome, calibration by confidence, and for each task type how far it is from earning flag-on-exception."
          />
        </>
      )}
    </div>
  );
}
