import type { Metadata } from "next";
import Link from "next/link";
import { Boxes } from "lucide-react";
import { getDb } from "@/db/client";
import { listWorkspaces } from "@/db/queries/workspaces";
import { ArchiveWorkspaceButton } from "@/components/workspaces/archive-workspace-button";
import { WorkspaceNameDialog } from "@/components/workspaces/workspace-name-dialog";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Workspaces" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default async function WorkspacesPage() {
  const scope = await requirePageScope("workspaces.manage");
  const spaces = await listWorkspaces(getDb(), scope);
  const open = spaces.filter((w) => !w.archivedAt);
  const archived = spaces.filter((w) => w.archivedAt);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Workspaces"
        description="A workspace groups task types. Reviewers see only the items of the workspaces they are members of; managers and admins see every workspace."
        actions={<WorkspaceNameDialog mode={{ kind: "create" }} />}
      />
      {open.length === 0 ? (
        <EmptyState icon={<Boxes className="size-8" aria-hidden />} title="No workspaces" description="Create a workspace for each team that reviews a group of task types." />
      ) : (
        <WorkspaceTable spaces={open} caption="Open workspaces" />
      )}
      {archived.length > 0 && (
        <section className="space-y-3" aria-labelledby="archived-workspaces">
          <div>
            <h2 id="archived-workspaces" className="text-base font-semibold">
              Archived
            </h2>
            <p className="text-sm text-muted-foreground">Hidden from the queue and from pickers. Members keep access to their decided items; restore one to use it again.</p>
          </div>
          <WorkspaceTable spaces={archived} caption="Archived workspaces" />
        </section>
      )}
      <p className="text-sm text-muted-foreground">
        Archiving closes a workspace for new work. The default workspace can&apos;t be archived, and a workspace can be archived only once no task type belongs to it
        (move them on their{" "}
        <Link href="/admin/task-types" className="font-medium text-primary hover:underline">
          task type pages
        </Link>
        ) and nothing in it waits for a person.
      </p>
    </div>
  );
}

function WorkspaceTable({ spaces, caption }: { spaces: Awaited<ReturnType<typeof listWorkspaces>>; caption: string }) {
  return (
    <Card>
      <CardContent className="pt-6">
        <Table>
          <caption className="sr-only">{caption}</caption>
          <TableHeader>
            <TableRow>
              <TableHead>Workspace</TableHead>
              <TableHead className="text-right">Task types</TableHead>
              <TableHead className="text-right">Members</TableHead>
              <TableHead className="text-right">Waiting</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {spaces.map((w) => (
              <TableRow key={w.id} data-testid={`workspace-${w.name}`}>
                <TableCell>
                  <div className="flex items-center gap-2">
                    <Link href={`/admin/workspaces/${w.id}`} className={w.archivedAt ? "font-medium text-muted-foreground hover:underline" : "font-medium hover:underline"}>
                      {w.name}
                    </Link>
                    {w.isDefault && (
                      <Badge variant="secondary" title="New task types register here. It can't be archived.">
                        Default
                      </Badge>
                    )}
                    {w.archivedAt && <Badge variant="outline">Archived {dateFormat.format(w.archivedAt)}</Badge>}
                  </div>
                </TableCell>
                <TableCell className="text-right tabular-nums">{w.taskTypes}</TableCell>
                <TableCell className="text-right tabular-nums">{w.members}</TableCell>
                <TableCell className="text-right tabular-nums">{w.waiting}</TableCell>
                <TableCell className="text-sm text-muted-foreground">{dateFormat.format(w.createdAt)}</TableCell>
                <TableCell>
                  <div className="flex justify-end gap-2">
                    <WorkspaceNameDialog mode={{ kind: "rename", workspaceId: w.id, name: w.name }} />
                    {!w.isDefault && <ArchiveWorkspaceButton workspaceId={w.id} name={w.name} archived={Boolean(w.archivedAt)} />}
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
