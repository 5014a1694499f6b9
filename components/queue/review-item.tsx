"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ArrowLeft, Ban, Check, Keyboard, Lock, Pencil, SkipForward, UsersRound } from "lucide-react";
import { toast } from "sonner";
import { decideAction, nextItemAction, renewLeaseAction } from "@/lib/actions/queue";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import { rejectionReasons } from "@/lib/validation/queue";
import { cn } from "@/lib/ui/cn";
import { ActionEditor } from "./action-editor";
import { approvalSentence, ApprovalsBadge, type ApprovalView } from "./approvals";
import { ChangeList } from "./change-list";
import { FieldsView } from "./fields-view";
import { formatAmount, formatDateTime, formatDuration, formatTime, priorityLabel, slaState } from "@/lib/views/queue-format";
import { useLiveEvents } from "./live-updates";
import { useRememberedQueueView } from "./queue-view";
import { ReasonChips } from "./reason-chips";
import { RejectDialog } from "./reject-dialog";
import { itemShortcuts, ShortcutsDialog } from "./shortcuts-dialog";
import { Timeline } from "./timeline";
import { useShortcuts } from "./use-shortcuts";

export type ReviewItemView = {
  id: string;
  version: number;
  title: string;
  status: string;
  inQueue: boolean;
  auditSample: boolean;
  priority: string;
  externalId: string | null;
  reasons: string[];
  mode: string;
  taskType: { key: string; name: string; confidenceThreshold: number; amountLimit: number | null; amountCurrency: string | null };
  workspaceName: string;
  /** What a decision approves: the agent's proposal, or a previous approver's edit of it. */
  action: Record<string, unknown>;
  draft: string | null;
  /** The agent's proposal as sent. */
  proposed: { action: Record<string, unknown>; draft: string | null };
  context: Record<string, unknown> | null;
  confidence: number | null;
  amount: { value: number; currency: string } | null;
  attributes: { irreversible?: boolean; phi?: boolean; customerFacing?: boolean; flagged?: boolean };
  createdAt: string;
  slaDueAt: string | null;
  expiresAt: string | null;
  claim: { userId: string; name: string; until: string } | null;
  decision: { outcome: string; reviewerName: string | null; at: string; reason: string | null; note: string | null; action: Record<string, unknown>; draft: string | null } | null;
  /** Two-person items: how many approvals it needs and those given so far (before its final decision). */
  approvals: { needed: number; given: ApprovalView[] };
  original: { id: string; title: string | null; action: Record<string, unknown>; draft: string | null; reason: string | null; note: string | null } | null;
  timeline: { at: string; action: string; actor: string | null; data: Record<string, unknown> }[];
};

const RENEW_EVERY_MS = 60_000;
// Strict mode and fast re-renders unmount and remount at once; a release waits this long to be cancelled.
const RELEASE_DELAY_MS = 300;
const pendingReleases = new Map<string, ReturnType<typeof setTimeout>>();

const outcomeLabel: Record<string, string> = { approved: "Approved", edited: "Edited and approved", rejected: "Rejected", auto_approved: "Auto-approved" };
const reasonLabel = (value: string | null) => rejectionReasons.find((r) => r.value === value)?.label ?? value;

export function ReviewItem({ item, me, now: nowIso }: { item: ReviewItemView; me: { userId: string }; now: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [editing, setEditing] = useState(false);
  const [rejectOpen, setRejectOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [rawOpen, setRawOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lost, setLost] = useState<string | null>(null);
  const backHref = useRememberedQueueView();
  const decided = useRef(false);
  const openedAt = useRef(0);
  const now = new Date(nowIso);

  const mine = item.claim?.userId === me.userId;
  const editor = item.approvals.given.findLast((a) => a.outcome === "edited");
  const editedBefore = Boolean(editor);
  const iApproved = item.approvals.given.some((a) => a.userId === me.userId);
  const canAct = item.inQueue && mine && !lost;

  useEffect(() => {
    openedAt.current = Date.now();
  }, [item.id]);

  // Keep the lease while the item is open; hand it back when the reviewer leaves undecided.
  useEffect(() => {
    if (!mine || !item.inQueue) return;
    const held = pendingReleases.get(item.id);
    if (held) clearTimeout(held);
    const renew = setInterval(async () => {
      const form = new FormData();
      form.set("reviewId", item.id);
      form.set("version", String(item.version));
      const result = await renewLeaseAction(null, form);
      if (!result.ok) setLost(result.message);
    }, RENEW_EVERY_MS);
    const release = () => {
      if (!decided.current) navigator.sendBeacon(`/api/queue/items/${item.id}/release`);
    };
    window.addEventListener("pagehide", release);
    return () => {
      clearInterval(renew);
      window.removeEventListener("pagehide", release);
      pendingReleases.set(
        item.id,
        setTimeout(() => {
          pendingReleases.delete(item.id);
          release();
        }, RELEASE_DELAY_MS),
      );
    };
  }, [item.id, item.version, item.inQueue, mine]);

  const following = !(mine && item.inQueue);
  useLiveEvents(
    `/api/queue/events?review=${item.id}`,
    (e) => {
      if (decided.current) return;
      if (!following) {
        if (e.type === "cancelled") setLost("The agent cancelled this item while you had it open. Nothing you do here will be saved.");
        if (e.type === "expired") setLost("This item expired while you had it open; the agent was told it expired.");
        if (e.type === "decided") setLost("Someone else decided this item. Your decision would not be saved.");
      } else {
        // Read-only: follow what happens to it (it may come free, or be decided).
        router.refresh();
      }
    },
    // Read-only, the page catches up on what happened before the stream was open (it may be decided already).
    () => {
      if (following && !decided.current) router.refresh();
    },
  );

  const timeOnItem = () => String(Math.max(0, Date.now() - openedAt.current));

  const decide = (outcome: "approved" | "edited" | "rejected", extra: Record<string, string> = {}) => {
    setError(null);
    startTransition(async () => {
      const form = new FormData();
      form.set("outcome", outcome);
      form.set("reviewId", item.id);
      form.set("version", String(item.version));
      form.set("timeOnItemMs", timeOnItem());
      for (const [k, v] of Object.entries(extra)) form.set(k, v);
      const result = await decideAction(null, form);
      if (!result.ok) {
        // The edit dialog has no field for the whole action: name what the server refused in it.
        const refused = result.fieldErrors?.action?.[0] ?? result.fieldErrors?.draft?.[0];
        const message = refused ? `Not saved: ${refused}.` : result.message;
        setError(message);
        toast.error(message);
        if (result.code === "conflict") setLost(result.message);
        return;
      }
      decided.current = true;
      toast.success(result.message ?? "Saved.");
      router.push(result.data.nextId ? `/queue/${result.data.nextId}` : backHref);
    });
  };

  const skip = () =>
    startTransition(async () => {
      const form = new FormData();
      if (mine) form.set("from", item.id);
      const result = await nextItemAction(null, form);
      if (!result.ok) return void toast.error(result.message);
      decided.current = mine; // already released by the action
      if (result.data.id && result.data.id !== item.id) router.push(`/queue/${result.data.id}`);
      else {
        toast.info(result.message ?? "Nothing else is waiting.");
        router.push(backHref);
      }
    });

  useShortcuts(
    {
      a: () => canAct && !pending && decide("approved"),
      e: () => canAct && setEditing(true),
      r: () => canAct && setRejectOpen(true),
      n: () => !pending && skip(),
      Escape: () => router.push(backHref),
      "?": () => setHelpOpen(true),
    },
    !editing,
  );

  const sla = slaState(item.slaDueAt, now);
  const flags = [
    item.attributes.phi && { label: "PHI", variant: "destructive" as const },
    item.attributes.irreversible && { label: "Irreversible", variant: "destructive" as const },
    item.attributes.customerFacing && { label: "Customer-facing", variant: "warning" as const },
    item.attributes.flagged && { label: "Flagged by agent", variant: "warning" as const },
  ].filter(Boolean) as { label: string; variant: "destructive" | "warning" }[];

  return (
    <div className="space-y-6">
      <div className="space-y-3">
        <Button variant="ghost" size="sm" asChild className="-ml-2">
          <Link href={backHref}>
            <ArrowLeft aria-hidden /> Queue
          </Link>
        </Button>
        <div className="flex flex-wrap items-start justify-between gap-4 border-b pb-5">
          <div className="min-w-0 space-y-2">
            <h1 className="text-2xl font-semibold tracking-tight text-balance">{item.title}</h1>
            <div className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
              <span className="font-mono text-xs text-foreground">{item.taskType.key}</span>
              <ModeBadge mode={item.mode} />
              <Badge variant={item.priority === "urgent" ? "destructive" : item.priority === "high" ? "warning" : "secondary"}>{priorityLabel[item.priority]} priority</Badge>
              {item.inQueue ? <ApprovalsBadge needed={item.approvals.needed} given={item.approvals.given.length} /> : null}
              {flags.map((f) => (
                <Badge key={f.label} variant={f.variant}>
                  {f.label}
                </Badge>
              ))}
              <span>{item.workspaceName}</span>
              {item.externalId ? <span className="font-mono text-xs">{item.externalId}</span> : null}
            </div>
          </div>
          <Button variant="ghost" size="sm" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            <Keyboard aria-hidden /> Shortcuts
          </Button>
        </div>
      </div>

      <StatusBanner item={item} mine={mine} lost={lost} me={me.userId} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="min-w-0 space-y-6">
          {item.auditSample && item.inQueue ? (
            <Alert>
              <AlertTitle>Audit sample: this action already ran</AlertTitle>
              <AlertDescription>The task type runs on its own; a small share of its items is checked after the fact so acceptance keeps being measured. Record whether it was right.</AlertDescription>
            </Alert>
          ) : null}

          {editing && canAct ? (
            <Card>
              <CardContent className="pt-6">
                <ActionEditor
                  action={item.action}
                  draft={item.draft}
                  pending={pending}
                  onCancel={() => setEditing(false)}
                  onConfirm={(action, draft) => decide("edited", { action: JSON.stringify(action), ...(draft !== null ? { draft } : {}) })}
                />
                {error ? (
                  <p role="alert" className="mt-3 text-sm text-destructive">
                    {error}
                  </p>
                ) : null}
              </CardContent>
            </Card>
          ) : (
            <>
              <Card>
                <CardHeader className="flex flex-row items-center justify-between gap-2">
                  <CardTitle className="text-base">{editor ? `Proposed action, as ${editor.userId === me.userId ? "you edited it" : `edited by ${editor.name ?? "a former member"}`}` : "Proposed action"}</CardTitle>
                  <Button variant="ghost" size="sm" onClick={() => setRawOpen((o) => !o)} aria-expanded={rawOpen}>
                    {rawOpen ? "Show fields" : "Show raw JSON"}
                  </Button>
                </CardHeader>
                <CardContent className="space-y-4">
                  {rawOpen ? <pre className="max-h-96 overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs">{JSON.stringify(item.action, null, 2)}</pre> : <FieldsView value={item.action} testId="action-fields" />}
                  {editedBefore && item.inQueue ? (
                    <div className="space-y-2 border-t pt-4">
                      <p className="text-sm font-medium">Changed from what the agent proposed</p>
                      <ChangeList before={item.proposed.action} after={item.action} beforeDraft={item.proposed.draft} afterDraft={item.draft} />
                    </div>
                  ) : null}
                </CardContent>
              </Card>
              {item.draft !== null ? (
                <Card>
                  <CardHeader>
                    <CardTitle className="text-base">Draft</CardTitle>
                  </CardHeader>
                  <CardContent>
                    <div className="rounded-md border bg-muted/30 p-3 text-sm whitespace-pre-wrap" data-testid="draft">
                      {item.draft}
                    </div>
                  </CardContent>
                </Card>
              ) : null}
            </>
          )}

          {item.decision ? (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">Decision</CardTitle>
              </CardHeader>
              <CardContent className="space-y-3 text-sm">
                {item.approvals.given.map((a, i) => (
                  <p key={i} data-testid="approval">
                    {approvalSentence(a, me.userId)} <span className="text-muted-foreground">(approval {i + 1} of {item.approvals.needed})</span>
                  </p>
                ))}
                <p>
                  <span className="font-medium">{outcomeLabel[item.decision.outcome] ?? item.decision.outcome}</span> by {item.decision.reviewerName ?? "a former member"} on {formatDateTime(item.decision.at)}
                  {item.approvals.given.length > 0 && item.decision.outcome !== "rejected" ? <span className="text-muted-foreground"> (approval {item.approvals.given.length + 1} of {item.approvals.needed})</span> : null}
                </p>
                {item.decision.reason ? <p>Reason: {reasonLabel(item.decision.reason)}</p> : null}
                {item.decision.note ? <p className="text-muted-foreground">“{item.decision.note}”</p> : null}
                {item.decision.outcome === "edited" ? <ChangeList before={item.proposed.action} after={item.decision.action} beforeDraft={item.proposed.draft} afterDraft={item.decision.draft} /> : null}
              </CardContent>
            </Card>
          ) : null}

          {item.original ? (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">What changed since the rejected version</CardTitle>
              </CardHeader>
              <CardContent className="space-y-3">
                <p className="text-sm text-muted-foreground">
                  This is a revision of{" "}
                  <Link href={`/queue/${item.original.id}`} className="underline underline-offset-4">
                    {item.original.title ?? "an earlier item"}
                  </Link>
                  , rejected as “{reasonLabel(item.original.reason)}”{item.original.note ? `: ${item.original.note}` : "."}
                </p>
                <ChangeList before={item.original.action} after={item.action} beforeDraft={item.original.draft} afterDraft={item.draft} />
              </CardContent>
            </Card>
          ) : null}

          <Card>
            <CardHeader>
              <CardTitle className="text-base">Evidence</CardTitle>
            </CardHeader>
            <CardContent>{item.context && Object.keys(item.context).length > 0 ? <FieldsView value={item.context} testId="evidence" /> : <p className="text-sm text-muted-foreground">The agent sent no evidence with this item.</p>}</CardContent>
          </Card>
        </div>

        <aside className="space-y-6 lg:sticky lg:top-20 lg:self-start" aria-label="Decision">
          <Card>
            <CardHeader>
              <CardTitle className="text-base">Why it is here</CardTitle>
            </CardHeader>
            <CardContent className="space-y-4">
              <ReasonChips
                reasons={item.reasons}
                context={{ confidence: item.confidence, threshold: item.taskType.confidenceThreshold, amount: item.amount, limit: item.taskType.amountLimit, currency: item.taskType.amountCurrency }}
              />
              <dl className="grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
                <dt className="text-muted-foreground">Confidence</dt>
                <dd className="tabular-nums">
                  {item.confidence === null ? "not given" : item.confidence.toFixed(2)}
                  <span className="text-muted-foreground"> / {item.taskType.confidenceThreshold.toFixed(2)}</span>
                </dd>
                <dt className="text-muted-foreground">Amount</dt>
                <dd className="tabular-nums">
                  {formatAmount(item.amount)}
                  {item.taskType.amountLimit !== null ? <span className="block text-xs text-muted-foreground">limit {formatAmount({ value: item.taskType.amountLimit, currency: item.taskType.amountCurrency ?? "USD" })}</span> : null}
                </dd>
                {item.approvals.needed > 1 ? (
                  <>
                    <dt className="text-muted-foreground">Approvals</dt>
                    <dd>
                      {item.approvals.needed}, by different people
                      <span className="block text-xs text-muted-foreground">the task type&apos;s rule when it arrived</span>
                    </dd>
                  </>
                ) : null}
                <dt className="text-muted-foreground">Waiting</dt>
                <dd>{formatDuration(now.getTime() - new Date(item.createdAt).getTime())}</dd>
                <dt className="text-muted-foreground">SLA</dt>
                <dd className={cn(sla.state === "overdue" && "font-medium text-destructive", sla.state === "due_soon" && "text-warning")}>{sla.label}</dd>
                {item.expiresAt ? (
                  <>
                    <dt className="text-muted-foreground">Expires</dt>
                    <dd>{formatTime(item.expiresAt)}</dd>
                  </>
                ) : null}
              </dl>
            </CardContent>
          </Card>

          {item.inQueue ? (
            <Card>
              <CardHeader>
                <CardTitle className="text-base">{item.auditSample ? "Was it right?" : "Decide"}</CardTitle>
              </CardHeader>
              <CardContent className="grid gap-2">
                {iApproved ? (
                  <p className="text-sm text-muted-foreground" data-testid="approval-step">
                    You gave an approval already; a different reviewer must give the next.
                  </p>
                ) : null}
                {item.approvals.needed > 1 && canAct ? (
                  <p className="text-sm text-muted-foreground" data-testid="approval-step">
                    {item.approvals.given.length === 0
                      ? `Your approval is the first of ${item.approvals.needed}: a different reviewer must approve it before the agent is told.`
                      : `Your approval is ${item.approvals.given.length + 1} of ${item.approvals.needed} and completes it. A rejection ends it.`}
                  </p>
                ) : null}
                <Button onClick={() => decide("approved")} disabled={!canAct || pending} aria-keyshortcuts="a" data-testid="approve">
                  {pending ? <Spinner /> : <Check aria-hidden />} {item.auditSample ? "Looks right" : "Approve"} <Kbd>a</Kbd>
                </Button>
                <Button variant="outline" onClick={() => setEditing(true)} disabled={!canAct || pending || editing} aria-keyshortcuts="e" data-testid="edit">
                  <Pencil aria-hidden /> Edit, then approve <Kbd>e</Kbd>
                </Button>
                <Button variant="outline" onClick={() => setRejectOpen(true)} disabled={!canAct || pending} aria-keyshortcuts="r" className="text-destructive" data-testid="reject">
                  <Ban aria-hidden /> Reject <Kbd>r</Kbd>
                </Button>
                <Button variant="ghost" onClick={skip} disabled={pending} aria-keyshortcuts="n">
                  <SkipForward aria-hidden /> {mine ? "Skip to next" : "Next item"} <Kbd>n</Kbd>
                </Button>
                {error && !editing ? (
                  <p role="alert" className="text-sm text-destructive">
                    {error}
                  </p>
                ) : null}
              </CardContent>
            </Card>
          ) : null}

          <Card>
            <CardHeader>
              <CardTitle className="text-base">Timeline</CardTitle>
            </CardHeader>
            <CardContent>
              <Timeline entries={item.timeline} />
            </CardContent>
          </Card>
        </aside>
      </div>

      <RejectDialog open={rejectOpen} onOpenChange={setRejectOpen} pending={pending} error={error} onReject={(reason, note) => decide("rejected", { reason, note })} />
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} shortcuts={itemShortcuts} />
    </div>
  );
}

function Kbd({ children }: { children: React.ReactNode }) {
  return <kbd className="ml-auto rounded border border-current/30 px-1 font-mono text-[10px] opacity-70">{children}</kbd>;
}

function StatusBanner({ item, mine, lost, me }: { item: ReviewItemView; mine: boolean; lost: string | null; me: string }) {
  if (lost) {
    return (
      <Alert variant="destructive" data-testid="lost-banner">
        <AlertTitle>You can no longer decide this item</AlertTitle>
        <AlertDescription>{lost}</AlertDescription>
      </Alert>
    );
  }
  if (!item.inQueue) {
    const text: Record<string, string> = {
      approved: "This item has been decided; it is shown for reference.",
      rejected: "This item was rejected; it is shown for reference.",
      expired: "This item expired before anyone decided it; the agent was told it expired.",
      cancelled: "The agent cancelled this item.",
      pending: "This item isn't waiting for a person.",
    };
    return (
      <Alert>
        <AlertTitle>Read-only</AlertTitle>
        <AlertDescription>{text[item.status] ?? text.pending}</AlertDescription>
      </Alert>
    );
  }
  const given = item.approvals.given;
  if (given.some((a) => a.userId === me)) {
    return (
      <Alert data-testid="own-approval-banner">
        <UsersRound className="size-4" aria-hidden />
        <AlertTitle>
          You gave the first approval · {given.length} of {item.approvals.needed} approvals
        </AlertTitle>
        <AlertDescription>
          This item needs {item.approvals.needed} approvals from different people, so it stays in the queue for another reviewer and opens read-only for you. The agent hears nothing until the last approval, or a rejection.
        </AlertDescription>
      </Alert>
    );
  }
  const approvalNote =
    given.length > 0 ? (
      <Alert variant="warning" data-testid="approvals-banner">
        <UsersRound className="size-4" aria-hidden />
        <AlertTitle>
          {given.length} of {item.approvals.needed} approvals
        </AlertTitle>
        <AlertDescription>
          {given.map((a) => approvalSentence(a, me)).join("; ")}. A different reviewer gives the next approval; a rejection ends it.
        </AlertDescription>
      </Alert>
    ) : null;
  if (item.claim && !mine) {
    return (
      <div className="space-y-3">
        <Alert variant="warning" data-testid="claimed-banner">
          <Lock className="size-4" aria-hidden />
          <AlertTitle>
            {item.claim.name} is reviewing this item until {formatTime(item.claim.until)}
          </AlertTitle>
          <AlertDescription>It opens read-only for you. If they leave it or their claim runs out, it returns to the queue.</AlertDescription>
        </Alert>
        {approvalNote}
      </div>
    );
  }
  if (mine && item.claim) {
    return (
      <div className="space-y-3">
        {approvalNote}
        <p className="text-sm text-muted-foreground" data-testid="claim-note">
          <Lock className="mr-1 inline size-3.5" aria-hidden />
          You hold this item (kept while it is open; it returns to the queue when you leave it).
        </p>
      </div>
    );
  }
  return approvalNote;
}
