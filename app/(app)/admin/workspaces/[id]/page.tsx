import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, ListChecks } from "lucide-react";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getWorkspace } from "@/db/queries/workspaces";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { ArchiveWorkspaceButton } from "@/components/workspaces/archive-workspace-button";
import { WorkspaceMembers } from "@/components/workspaces/workspace-members";
import { WorkspaceNameDialog } from "@/components/workspaces/workspace-name-dialog";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Workspace" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default async function WorkspacePage({ params }: { params: Promise<{ id: string }> }) {
  const scope = await requirePageScope("workspaces.manage");
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const w = await getWorkspace(getDb(), scope, id.data);
  if (!w) notFound();
  const reviewers = w.members.filter((m) => m.role === "reviewer").length;
  return (
    <div className="space-y-6">
      <Link href="/admin/workspaces" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden /> All workspaces
      </Link>
      <PageHeader
        title={w.name}
        description={`Created ${dateFormat.format(w.createdAt)} · ${w.taskTypes.length} task type${w.taskTypes.length === 1 ? "" : "s"} · ${w.members.length} member${w.members.length === 1 ? "" : "s"} · ${w.waiting} waiting for a person`}
        actions={
          <>
            <WorkspaceNameDialog mode={{ kind: "rename", workspaceId: w.id, name: w.name }} size="default" />
            {!w.isDefault && <ArchiveWorkspaceButton workspaceId={w.id} name={w.name} archived={Boolean(w.archivedAt)} size="default" />}
          </>
        }
      >
        <div className="flex gap-2">
          {w.isDefault && <Badge variant="secondary">Default — new task types register here</Badge>}
          {w.archivedAt && <Badge variant="outline">Archived {dateFormat.format(w.archivedAt)}</Badge>}
        </div>
      </PageHeader>
      {w.archivedAt && (
        <Alert>
          <AlertTitle>This workspace is archived</AlertTitle>
          <AlertDescription>It is hidden from the queue and from pickers, and nothing can be moved into it. Restore it to use it again.</AlertDescription>
        </Alert>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle as="h2" className="text-base">
              Task types
            </CardTitle>
            <CardDescription>Items of these task types land in this workspace. Move a task type to another workspace from its page.</CardDescription>
          </CardHeader>
          <CardContent>
            {w.taskTypes.length === 0 ? (
              <EmptyState
                titleAs="h3"
                icon={<ListChecks className="size-8" aria-hidden />}
                title="No task types"
                description={w.isDefault ? "Task types an agent sends for the first time register here." : "Choose this workspace on a task type's page to move it here."}
              >
                <Link href="/admin/task-types" className="text-sm font-medium text-primary hover:underline">
                  Go to task types
                </Link>
              </EmptyState>
            ) : (
              <ul className="divide-y" aria-label={`Task types in ${w.name}`}>
                {w.taskTypes.map((t) => (
                  <li key={t.key} className="flex items-center justify-between gap-4 py-2.5">
                    <div className="min-w-0">
                      <Link href={`/admin/task-types/${encodeURIComponent(t.key)}`} className="font-medium hover:underline">
                        {t.name}
                      </Link>
                      <div className="truncate font-mono text-xs text-muted-foreground">{t.key}</div>
                    </div>
                    <div className="flex shrink-0 items-center gap-2">
                      {!t.classified && <Badge variant="warning">Unclassified</Badge>}
                      <ModeBadge mode={t.mode} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle as="h2" className="text-base">
              Members
            </CardTitle>
            <CardDescription>
              {reviewers} reviewer{reviewers === 1 ? "" : "s"} work this workspace&apos;s queue. Managers and admins see every workspace&apos;s items whether or not they are
              members.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <WorkspaceMembers
              workspaceId={w.id}
              workspaceName={w.name}
              archived={Boolean(w.archivedAt)}
              members={w.members.map(({ userId, name, email, role, status }) => ({ userId, name, email, role, status }))}
              candidates={w.candidates}
            />
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
