import type { Metadata } from "next";
import { Users } from "lucide-react";
import { getDb } from "@/db/client";
import { listMembers, listPendingInvites } from "@/db/queries/members";
import { InviteDialog } from "@/components/members/invite-dialog";
import { MembersTable } from "@/components/members/members-table";
import { PendingInvites } from "@/components/members/pending-invites";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const scope = await requirePageScope("members.manage");
  const db = getDb();
  const [members, invites] = await Promise.all([listMembers(db, scope), listPendingInvites(db, scope)]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description="Roles nest: admins can do everything managers can, managers everything reviewers can. Changes apply on the member's next request. Select several members to change their role together; open a member to see their workspaces and recent activity."
        actions={<InviteDialog />}
      />
      {members.length === 0 ? (
        <EmptyState icon={<Users className="size-8" aria-hidden />} title="No members" description="Invite the people who will review your agents' work." />
      ) : (
        <Card>
          <CardContent className="pt-6">
            <MembersTable
              members={members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString(), isYou: m.userId === scope.userId }))}
            />
          </CardContent>
        </Card>
      )}
      <PendingInvites invites={invites.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString() }))} />
    </div>
  );
}
