import type { Metadata } from "next";
import { Users } from "lucide-react";
import { getDb } from "@/db/client";
import { listMembers, listPendingInvites } from "@/db/queries/members";
import { InviteDialog } from "@/components/members/invite-dialog";
import { MemberRoleForm, MemberStatusForm } from "@/components/members/member-actions";
import { PendingInvites } from "@/components/members/pending-invites";
import { AvatarInitials } from "@/components/ui/avatar-initials";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Members" };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

export default async function MembersPage() {
  const scope = await requirePageScope("members.manage");
  const db = getDb();
  const [members, invites] = await Promise.all([listMembers(db, scope), listPendingInvites(db, scope)]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description="Roles nest: admins can do everything managers can, managers everything reviewers can. Changes apply on the member's next request."
        actions={<InviteDialog />}
      />
      {members.length === 0 ? (
        <EmptyState icon={<Users className="size-8" aria-hidden />} title="No members" description="Invite the people who will review your agents' work." />
      ) : (
        <Card>
          <CardContent className="pt-6">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Member</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Workspaces</TableHead>
                  <TableHead>Joined</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {members.map((m) => (
                  <TableRow key={m.userId} data-testid={`member-${m.email}`}>
                    <TableCell>
                      <div className="flex items-center gap-3">
                        <AvatarInitials name={m.name} />
                        <div>
                          <div className="font-medium">
                            {m.name}
                            {m.userId === scope.userId && <span className="ml-2 text-xs text-muted-foreground">(you)</span>}
                          </div>
                          <div className="text-xs text-muted-foreground">{m.email}</div>
                        </div>
                      </div>
                    </TableCell>
                    <TableCell>
                      <MemberRoleForm userId={m.userId} name={m.name} role={m.role} />
                    </TableCell>
                    <TableCell>{m.status === "active" ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Disabled</Badge>}</TableCell>
                    <TableCell className="text-sm text-muted-foreground">{m.workspaces.length ? m.workspaces.join(", ") : "—"}</TableCell>
                    <TableCell className="text-sm text-muted-foreground">{dateFormat.format(m.joinedAt)}</TableCell>
                    <TableCell className="text-right">
                      <MemberStatusForm userId={m.userId} name={m.name} status={m.status} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <PendingInvites invites={invites.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() }))} />
    </div>
  );
}
