import type { Metadata } from "next";
import Link from "next/link";
import { History, Inbox } from "lucide-react";
import { getDb } from "@/db/client";
import { listQueue } from "@/db/queries/queue";
import { LiveQueueRefresh } from "@/components/queue/live-updates";
import { QueueTable } from "@/components/queue/queue-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";
import { parseQueueParams } from "@/lib/validation/queue";
import { queueFacetsForRequest } from "../queue-facets";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("queue.work");
  const params = parseQueueParams(await searchParams);
  const db = getDb();
  const now = new Date();
  const [facets, page] = await Promise.all([queueFacetsForRequest(scope), listQueue(db, scope, params, now)]);
  const waiting = facets.workspaces.reduce((n, w) => n + w.waiting, 0);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Queue"
        description={
          facets.workspaces.length === 0
            ? "You aren't a member of any workspace yet."
            : `${waiting} item${waiting === 1 ? "" : "s"} waiting for a person across ${facets.workspaces.length === 1 ? "your workspace" : `${facets.workspaces.length} workspaces`}, most urgent and oldest first.`
        }
        actions={
          <>
            <LiveQueueRefresh />
            <Button variant="outline" asChild>
              <Link href="/queue/mine">
                <History aria-hidden /> My decisions
              </Link>
            </Button>
          </>
        }
      />
      {facets.workspaces.length === 0 ? (
        <EmptyState
          icon={<Inbox className="size-8" aria-hidden />}
          title="No workspaces yet"
          description="An admin adds reviewers to workspaces. Once you're in one, the items its agents send for review appear here."
        />
      ) : (
        <QueueTable rows={page.rows} total={page.total} params={params} facets={facets} userId={scope.userId} now={now.toISOString()} />
      )}
    </div>
  );
}
