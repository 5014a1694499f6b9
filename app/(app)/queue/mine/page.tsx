import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft, History } from "lucide-react";
import { getDb } from "@/db/client";
import { listMyDecisions, queueFacets } from "@/db/queries/queue";
import { formatDateTime, formatDuration } from "@/lib/views/queue-format";
import { MyDecisionsFilters } from "@/components/queue/my-decisions-filters";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";
import { MyDecisionsParams, rejectionReasons } from "@/lib/validation/queue";
import { firstValues } from "@/lib/validation/search-params";

export const metadata: Metadata = { title: "My decisions" };

const outcomeBadge = { approved: ["Approved", "success"], edited: ["Edited", "warning"], rejected: ["Rejected", "destructive"], changes_requested: ["Changes requested", "destructive"] } as const;

export default async function MyDecisionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("queue.work");
  const params = MyDecisionsParams.parse(firstValues(await searchParams));
  const db = getDb();
  const [page, facets] = await Promise.all([listMyDecisions(db, scope, params), queueFacets(db, scope)]);
  const pages = Math.max(1, Math.ceil(page.total / page.size));
  const link = (p: number) => `/queue/mine?${new URLSearchParams({ ...(params.outcome ? { outcome: params.outcome } : {}), ...(params.taskType ? { taskType: params.taskType } : {}), days: String(params.days), page: String(p) })}`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="My decisions"
        description={`Everything you decided in the last ${params.days} days: ${page.total} decision${page.total === 1 ? "" : "s"}.`}
        actions={
          <Button variant="outline" asChild>
            <Link href="/queue">
              <ArrowLeft aria-hidden /> Back to the queue
            </Link>
          </Button>
        }
      />
      <MyDecisionsFilters params={params} taskTypes={facets.taskTypes} />
      {page.rows.length === 0 ? (
        <EmptyState icon={<History className="size-8" aria-hidden />} title="No decisions here" description="Decisions you make in the queue show up here, newest first." />
      ) : (
        <Card>
          <CardContent className="pt-6">
            <Table aria-label="Your decisions">
              <TableHeader>
                <TableRow>
                  <TableHead>Decided</TableHead>
                  <TableHead>Item</TableHead>
                  <TableHead>Task type</TableHead>
                  <TableHead>Outcome</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead>Time on item</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.rows.map((d) => {
                  const [label, variant] = outcomeBadge[d.outcome as keyof typeof outcomeBadge] ?? [d.outcome, "secondary"];
                  // A first approval of a two-person item: the item waited for (or got) a second reviewer's decision.
                  const first = d.firstApproval ? (d.outcome === "edited" ? "Edited, first approval" : "First approval") : null;
                  return (
                    <TableRow key={d.id}>
                      <TableCell className="whitespace-nowrap">{formatDateTime(d.decidedAt)}</TableCell>
                      <TableCell>
                        <Link href={`/queue/${d.reviewId}`} prefetch={false} className="font-medium underline-offset-4 hover:underline">
                          {d.title ?? `Untitled ${d.taskTypeName}`}
                        </Link>
                      </TableCell>
                      <TableCell className="font-mono text-xs">{d.taskTypeKey}</TableCell>
                      <TableCell>
                        <Badge variant={first ? "outline" : variant}>{first ?? label}</Badge>
                      </TableCell>
                      <TableCell className="max-w-64 text-muted-foreground">{d.reason ? (rejectionReasons.find((r) => r.value === d.reason)?.label ?? d.reason) : d.outcome === "changes_requested" && d.note ? `“${d.note}”` : "—"}</TableCell>
                      <TableCell className="tabular-nums">{d.timeOnItemMs === null ? "—" : formatDuration(d.timeOnItemMs).replace("just now", "< 1 min")}</TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      {pages > 1 ? (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          {params.page > 1 ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={link(params.page - 1)}>Previous</Link>
            </Button>
          ) : null}
          <span className="text-muted-foreground tabular-nums">
            Page {params.page} of {pages}
          </span>
          {params.page < pages ? (
            <Button variant="outline" size="sm" asChild>
              <Link href={link(params.page + 1)}>Next</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
