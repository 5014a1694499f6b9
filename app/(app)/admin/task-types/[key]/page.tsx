import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft, TriangleAlert } from "lucide-react";
import { getDb } from "@/db/client";
import { getTaskTypeForEdit, listRecentReviews, listWorkspaceChoices } from "@/db/queries/task-types";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { TaskTypeEditor, type RecentItem } from "@/components/task-types/task-type-editor";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/views/queue-format";
import { DEFAULT_CRITERIA } from "@/lib/readiness/criteria";
import { TaskTypeKey } from "@/lib/validation/reviews";

export const metadata: Metadata = { title: "Task type policy" };

function itemLabel(r: Awaited<ReturnType<typeof listRecentReviews>>[number]): string {
  const parts = [r.title ?? `Item ${r.id.slice(0, 8)}`, formatDateTime(r.createdAt.toISOString()), r.status];
  if (r.confidence !== null) parts.push(`confidence ${r.confidence.toFixed(2)}`);
  if (r.amountValue !== null) parts.push(`${r.amountValue} ${r.amountCurrency ?? ""}`.trim());
  return parts.join(" · ");
}

export default async function TaskTypeEditorPage({ params }: { params: Promise<{ key: string }> }) {
  const scope = await requirePageScope("taskTypes.manage");
  const { key } = await params;
  if (!TaskTypeKey.safeParse(key).success) notFound();
  const db = getDb();
  const t = await getTaskTypeForEdit(db, scope, key);
  if (!t) notFound();
  const [workspaces, recent] = await Promise.all([listWorkspaceChoices(db, scope, t.policy.workspaceId), listRecentReviews(db, scope, t.id)]);
  const recentItems: RecentItem[] = recent.map((r) => ({ id: r.id, label: itemLabel(r) }));
  return (
    <div className="space-y-6">
      <PageHeader
        title={t.policy.name}
        description="Change what this task type may do on its own. Floors are checked when you save; loosening one needs a written justification."
        actions={
          <Link href={`/analytics/${t.key}`} className="text-sm font-medium text-primary hover:underline">
            Readiness and history
          </Link>
        }
      >
        <div className="flex flex-wrap items-center gap-2 pt-1">
          <Link href="/admin/task-types" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
            <ArrowLeft className="size-3.5" aria-hidden /> Task types
          </Link>
          <span aria-hidden className="text-muted-foreground">
            /
          </span>
          <code className="font-mono text-xs">{t.key}</code>
          <ModeBadge mode={t.mode} />
          {!t.classified && <Badge variant="warning">Unclassified</Badge>}
        </div>
      </PageHeader>
      {!t.classified && (
        <Alert variant="warning">
          <TriangleAlert aria-hidden />
          <AlertTitle>Registered automatically, not classified yet</AlertTitle>
          <AlertDescription>
            An agent submitted the first item for this key, so it started strict: approve before action, in the default workspace. Say what its actions can break and save to
            classify it.
          </AlertDescription>
        </Alert>
      )}
      <TaskTypeEditor
        taskTypeKey={t.key}
        version={t.version}
        classified={t.classified}
        saved={t.policy}
        workspaces={workspaces}
        recentItems={recentItems}
        readinessDefaults={{ minDecisions: DEFAULT_CRITERIA.minDecisions, targetAcceptance: DEFAULT_CRITERIA.targetAcceptance, minDays: DEFAULT_CRITERIA.minDays }}
      />
    </div>
  );
}
