"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { decideAction, nextItemAction } from "@/lib/actions/queue";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ActionEditor } from "./action-editor";
import { rememberLeftItem, useRememberedQueueView } from "./queue-view";
import { RejectDialog } from "./reject-dialog";
import { DecisionPanel } from "./review-item/decision-panel";
import { ItemHeader } from "./review-item/item-header";
import { DecisionCard, DraftCard, EvidenceCard, ProposedActionCard, RevisionCard } from "./review-item/item-cards";
import { StatusBanner } from "./review-item/status-banner";
import { useItemLease } from "./review-item/use-item-lease";
import type { ReviewItemPosition, ReviewItemView } from "./review-item/view";
import { WhyCard } from "./review-item/why-card";
import { itemShortcuts, ShortcutsDialog } from "./shortcuts-dialog";
import { Timeline } from "./timeline";
import { useShortcuts } from "./use-shortcuts";

export type { ReviewItemView } from "./review-item/view";

/**
 * The item page: what the agent proposes and why a person sees it, and the decision. The parts live in
 * ./review-item/ (header, cards, decision panel, lease); this file holds the state and the decisions.
 */
export function ReviewItem({
  item,
  me,
  now: nowIso,
  position = null,
  viewQuery = "",
}: {
  item: ReviewItemView;
  me: { userId: string };
  now: string;
  /** Where the item sits in the queue view it was opened from, and that view's query string. */
  position?: ReviewItemPosition | null;
  viewQuery?: string;
}) {
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
  const iApproved = item.approvals.given.some((a) => a.userId === me.userId);
  const canAct = item.inQueue && mine && !lost;

  useEffect(() => {
    openedAt.current = Date.now();
  }, [item.id]);

  useItemLease({ id: item.id, version: item.version, inQueue: item.inQueue, mine, decided, onLost: setLost });

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
      router.push(result.data.nextId ? `/queue/${result.data.nextId}${viewQuery}` : backHref);
    });
  };

  const skip = () =>
    startTransition(async () => {
      const form = new FormData();
      if (mine) form.set("from", item.id);
      const result = await nextItemAction(null, form);
      if (!result.ok) return void toast.error(result.message);
      decided.current = mine; // already released by the action
      if (result.data.id && result.data.id !== item.id) router.push(`/queue/${result.data.id}${viewQuery}`);
      else {
        toast.info(result.message ?? "Nothing else is waiting.");
        router.push(backHref);
      }
    });

  const step = (id: string | null | undefined) => id && router.push(`/queue/${id}${viewQuery}`);

  useShortcuts(
    {
      a: () => canAct && !pending && decide("approved"),
      e: () => canAct && setEditing(true),
      r: () => canAct && setRejectOpen(true),
      n: () => !pending && skip(),
      "[": () => step(position?.prevId),
      "]": () => step(position?.nextId),
      Escape: () => {
        // The queue selects this item's row again when it opens.
        rememberLeftItem(item.id);
        router.push(backHref);
      },
      "?": () => setHelpOpen(true),
    },
    !editing,
  );

  return (
    <div className="space-y-6 max-lg:pb-20">
      <ItemHeader item={item} backHref={backHref} position={position} viewQuery={viewQuery} onHelp={() => setHelpOpen(true)} />

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
              <ProposedActionCard item={item} me={me.userId} rawOpen={rawOpen} onToggleRaw={() => setRawOpen((o) => !o)} />
              {item.draft !== null ? <DraftCard draft={item.draft} /> : null}
            </>
          )}

          {item.decision ? <DecisionCard item={item} decision={item.decision} me={me.userId} /> : null}
          {item.original ? <RevisionCard item={item} original={item.original} /> : null}
          <EvidenceCard context={item.context} />
        </div>

        <aside className="min-w-0 space-y-6 lg:sticky lg:top-20 lg:self-start" aria-label="Decision">
          <WhyCard item={item} now={now} />

          {item.inQueue ? (
            <DecisionPanel
              item={item}
              mine={mine}
              canAct={canAct}
              pending={pending}
              editing={editing}
              iApproved={iApproved}
              error={error}
              onApprove={() => decide("approved")}
              onEdit={() => setEditing(true)}
              onReject={() => setRejectOpen(true)}
              onSkip={skip}
            />
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
