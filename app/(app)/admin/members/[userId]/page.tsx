import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, History, Inbox } from "lucide-react";
import { z } from "zod";
import { getDb } from "@/db/client";
import { getMember, recentActivityOf, recentDecisionsOf } from "@/db/queries/members";
import { memberWorkspaces } from "@/db/queries/workspaces";
import { activityDetail, activityLabel } from "@/components/members/activity-label";
import { MemberRoleForm, MemberStatusForm } from "@/components/members/member-actions";
import { MemberWorkspacesForm } from "@/components/members/member-workspaces-form";
import { AvatarInitials } from "@/components/ui/avatar-initials";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageScope } from "@/lib/auth/session";
import { relativeTime } from "@/lib/views/relative-time";

export const metadata: Metadata = { title: "Member" };

const RECENT = 10;

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const outcomeBadge = {
  approved: { label: "Approved", variant: "success" },
  edited: { label: "Edited", variant: "warning" },
  rejected: { label: "Rejected", variant: "destructive" },
  changes_requested: { label: "Changes requested", variant: "destructive" },
  auto_approved: { label: "Auto-approved", variant: "secondary" },
} as const;

function When({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={`${dateTimeFormat.format(date)} UTC`}>
      {relativeTime(date, now)}
    </time>
  );
}

export default async function MemberPage({ params }: { params: Promise<{ userId: string }> }) {
  const scope = await requirePageScope("members.manage");
  const userId = z.uuid().safeParse((await params).userId);
  if (!userId.success) notFound();
  const db = getDb();
  const member = await getMember(db, scope, userId.data);
  if (!member) notFound();
  const [spaces, activity, decided] = await Promise.all([
    memberWorkspaces(db, scope, member.userId),
    recentActivityOf(db, scope, member.userId, RECENT),
    recentDecisionsOf(db, scope, member.userId, RECENT),
  ]);
  const now = new Date();
  const seesAll = member.role !== "reviewer";
  return (
    <div className="space-y-6">
      <Link href="/admin/members" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" aria-hidden /> All members
      </Link>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <AvatarInitials name={member.name} />
            {member.name}
            {member.userId === scope.userId && <span className="text-sm font-normal text-muted-foreground">(you)</span>}
          </span>
        }
        description={`${member.email} · joined ${dateFormat.format(member.joinedAt)}`}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle as="h2" className="text-base">
              Access
            </CardTitle>
            <CardDescription>Changes apply on their next request and are recorded in the audit log.</CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <div className="space-y-1.5">
              <p className="text-sm font-medium">Role</p>
              <MemberRoleForm userId={member.userId} name={member.name} role={member.role} />
            </div>
            <div className="space-y-1.5">
              <p className="text-sm font-medium">Status</p>
              <div className="flex items-start justify-between gap-2">
                {member.status === "active" ? <Badge variant="success">Active</Badge> : <Badge variant="destructive">Disabled</Badge>}
                <MemberStatusForm userId={member.userId} name={member.name} status={member.status} />
              </div>
            </div>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle as="h2" className="text-base">
              Workspaces
            </CardTitle>
            <CardDescription>
              {seesAll
                ? `As ${member.role === "admin" ? "an admin" : "a manager"}, ${member.name} sees every workspace's items anyway; membership matters only if their role is lowered to reviewer.`
                : `${member.name} works the queue of these workspaces only.`}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <MemberWorkspacesForm userId={member.userId} name={member.name} workspaces={spaces} />
            {member.status !== "active" && <p className="mt-2 text-xs text-muted-foreground">While disabled, {member.name} can be removed from workspaces but not added to one.</p>}
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle as="h2" className="text-base">
            Recent decisions
          </CardTitle>
          <CardDescription>The latest items {member.name} decided, newest first.</CardDescription>
        </CardHeader>
        <CardContent>
          {decided.length === 0 ? (
            <EmptyState titleAs="h3" icon={<Inbox className="size-8" aria-hidden />} title="No decisions yet" description="Items they approve, edit or reject appear here." />
          ) : (
            <Table>
              <caption className="sr-only">Recent decisions by {member.name}</caption>
              <TableHeader>
                <TableRow>
                  <TableHead>Item</TableHead>
                  <TableHead>Task type</TableHead>
                  <TableHead>Outcome</TableHead>
                  <TableHead>When</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {decided.map((d) => (
                  <TableRow key={d.id} data-testid="member-decision">
                    <TableCell>
                      <Link href={`/queue/${d.reviewId}`} className="font-medium hover:underline">
                        {d.title ?? `Untitled ${d.taskType.name}`}
                      </Link>
                      {d.reason && <div className="line-clamp-1 text-xs text-muted-foreground">{d.reason}</div>}
                    </TableCell>
                    <TableCell className="text-sm">
                      {d.taskType.name}
                      <div className="font-mono text-xs text-muted-foreground">{d.taskType.key}</div>
                    </TableCell>
                    <TableCell>
                      <Badge variant={outcomeBadge[d.outcome].variant}>{outcomeBadge[d.outcome].label}</Badge>
                      {!d.final && <span className="ml-2 text-xs text-muted-foreground">first of two</span>}
                    </TableCell>
                    <TableCell className="text-sm whitespace-nowrap text-muted-foreground">
                      <When date={d.createdAt} now={now} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h2" className="text-base">
            Recent activity
          </CardTitle>
          <CardDescription>
            What {member.name} did, from the audit log, newest first.{" "}
            <Link href={`/admin/audit?actor=user:${member.userId}`} className="font-medium text-primary hover:underline">
              See all their entries in the audit log
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {activity.length === 0 ? (
            <EmptyState titleAs="h3" icon={<History className="size-8" aria-hidden />} title="No activity yet" description="Changes they make in Countersign appear here." />
          ) : (
            <ol className="divide-y" aria-label={`Recent activity of ${member.name}`}>
              {activity.map((a) => {
                const detail = activityDetail(a.data);
                return (
                  <li key={a.id} className="flex items-start justify-between gap-4 py-2.5" data-testid="member-activity">
                    <div className="min-w-0">
                      <div className="text-sm font-medium">{activityLabel(a.action)}</div>
                      <div className="truncate text-xs text-muted-foreground">
                        <code className="font-mono">{a.action}</code>
                        {detail ? ` · ${detail}` : ""}
                      </div>
                    </div>
                    <span className="shrink-0 text-sm text-muted-foreground">
                      <When date={a.createdAt} now={now} />
                    </span>
                  </li>
                );
              })}
            </ol>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
