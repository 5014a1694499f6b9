import type { Metadata } from "next";
import { Inbox, Keyboard, Timer } from "lucide-react";
import { getDb } from "@/db/client";
import { queueSummary } from "@/db/queries/overview";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Queue" };

export default async function QueuePage() {
  const scope = await requirePageScope("queue.work");
  const spaces = await queueSummary(getDb(), scope);
  const total = spaces.reduce((n, s) => n + s.pending, 0);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Queue"
        description={
          spaces.length === 0
            ? "You aren't a member of any workspace yet."
            : `${total} item${total === 1 ? "" : "s"} waiting for a person across ${spaces.length === 1 ? "your workspace" : `${spaces.length} workspaces`}.`
        }
      />
      {spaces.length === 0 ? (
        <EmptyState
          icon={<Inbox className="size-8" aria-hidden />}
          title="No workspaces yet"
          description="An admin adds reviewers to workspaces. Once you're in one, the items its agents send for review appear here."
        />
      ) : (
        <>
          <section aria-labelledby="workspaces-heading" className="space-y-3">
            <h2 id="workspaces-heading" className="text-sm font-medium text-muted-foreground">
              Waiting by workspace
            </h2>
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {spaces.map((s) => (
                <li key={s.id}>
                  <Card>
                    <CardHeader>
                      <CardTitle as="h3" className="text-base">
                        {s.name}
                      </CardTitle>
                      <CardDescription>
                        <span className="text-2xl font-semibold text-foreground tabular-nums">{s.pending}</span> pending
                      </CardDescription>
                    </CardHeader>
                    <CardContent>
                      {s.overdue > 0 ? (
                        <Badge variant="warning">
                          <Timer className="size-3" aria-hidden /> {s.overdue} past SLA
                        </Badge>
                      ) : (
                        <Badge variant="success">All within SLA</Badge>
                      )}
                    </CardContent>
                  </Card>
                </li>
              ))}
            </ul>
          </section>
          <EmptyState
            icon={<Keyboard className="size-8" aria-hidden />}
            title="The review table opens here"
            description="Every pending item of your workspaces, sorted by priority and age, with why it needs a person. Claim the next item, read the evidence, then approve, edit or reject — all from the keyboard (j/k, a, e, r, n)."
          />
        </>
      )}
    </div>
  );
}
