"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { flushSync } from "react-dom";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { decideAction, nextItemAction } from "@/lib/actions/queue";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { ActionEditor } from "./action-editor";
import { DecidedPanel } from "./decided-panel";
import { clearDecisionDraft, decidedHere, rememberDecided, saveDecisionDraft, sessionEnded, useRestoredDecisionDraft, type DecisionDraft } from "./decision-draft";
import { rememberLeftItem, useRememberedQueueView } from "./queue-view";
import { RejectDialog } from "./reject-dialog";
import { RequestChangesDialog } from "./request-changes-form";
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

const NOTHING_DECIDED = "Nothing was decided yet: what you entered is restored here. Check it and submit it when you're ready.";

/**
 * The item page: what the agent proposes and why a person sees it, and the decision. The parts live in
 * ./review-item/ (header, cards, decision panel, lease); this file holds the state and the decisions.
 */
export function ReviewItem({
  item: served,
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
  const [changesOpen, setChangesOpen] = useState(false);
  // Decided in this tab: a Back navigation restores the page as it was before, so show it decided.
  const [justDecided] = useState(() => decidedHere(served.id));
  const restored = useRestoredDecisionDraft(served.id);
  const [restoredSeen, setRestoredSeen] = useState<DecisionDraft | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [rawOpen, setRawOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lost, setLost] = useState<string | null>(null);
  const backHref = useRememberedQueueView();
  const decided = useRef(false);
  const openedAt = useRef(0);
  const now = new Date(nowIso);

  // A page the router cached before this tab decided the item shows it decided until the server's answer arrives.
  const item = justDecided && served.inQueue ? { ...served, inQueue: false } : served;
  const mine = item.claim?.userId === me.userId;
  const iApproved = item.approvals.given.some((a) => a.userId === me.userId);
  const canAct = item.inQueue && mine && !lost;
  // Bring back what was entered before a sign-in round trip (or a lost lease): open the same form with it.
  if (restored && restored !== restoredSeen) {
    setRestoredSeen(restored);
    if (canAct) {
      if (restored.outcome === "edited") setEditing(true);
      if (restored.outcome === "rejected") setRejectOpen(true);
      if (restored.outcome === "changes_requested") setChangesOpen(true);
    }
  }
  const restoredDraft = restoredSeen && canAct ? restoredSeen : null;

  useEffect(() => {
    openedAt.current = Date.now();
  }, [item.id]);

  useEffect(() => {
    // The cached page predates this tab's decision: ask the server for the item as it is now.
    if (justDecided && served.inQueue) router.refresh();
  }, [justDecided, served.inQueue, router]);

  useItemLease({ id: item.id, version: item.version, inQueue: item.inQueue, mine, decided, onLost: setLost });

  const timeOnItem = () => String(Math.max(0, Date.now() - openedAt.current));

  const decide = (outcome: "approved" | "edited" | "rejected" | "changes_requested", extra: Record<string, string> = {}) => {
    setError(null);
    startTransition(async () => {
      const form = new FormData();
      form.set("outcome", outcome);
      form.set("reviewId", item.id);
      form.set("version", String(item.version));
      form.set("timeOnItemMs", timeOnItem());
      for (const [k, v] of Object.entries(extra)) form.set(k, v);
      const keep = () => saveDecisionDraft(item.id, { version: item.version, outcome, fields: extra });
      let result: Awaited<ReturnType<typeof decideAction>>;
      try {
        result = await decideAction(null, form);
      } catch {
        // Signed out, the sign-in redirect answers the call instead of the action: it throws here.
        result = (await sessionEnded())
          ? { ok: false, code: "unauthorized", message: "Your session has ended." }
          : { ok: false, code: "internal", message: "The server couldn't be reached. Nothing was decided yet; try again." };
      }
      if (!result.ok && result.code === "unauthorized") {
        // Keep what was typed, sign in again, and come back to this item with it.
        keep();
        decided.current = true; // nothing to give back: the session that held the claim is gone
        setRejectOpen(false);
        setChangesOpen(false);
        // A full load, not a client navigation: the router's cache holds pages rendered for the ended
        // session, which "Try again" or Back would otherwise show as if still signed in.
        // eslint-disable-next-line @next/next/no-location-assign-relative-destination
        window.location.assign(`/login?reason=decision-kept&next=${encodeURIComponent(`/queue/${item.id}`)}`);
        return;
      }
      if (!result.ok) {
        // The edit dialog has no field for the whole action: name what the server refused in it.
        const refused = result.fieldErrors?.action?.[0] ?? result.fieldErrors?.draft?.[0];
        const message = refused ? `Not saved: ${refused}.` : result.message;
        setError(message);
        toast.error(message);
        if (result.code === "conflict") {
          keep();
          setLost(result.message);
        }
        return;
      }
      decided.current = true;
      // Closed (and committed) before moving on: the next item's page must not open under a dialog of this one.
      flushSync(() => {
        setRejectOpen(false);
        setChangesOpen(false);
        setEditing(false);
      });
      clearDecisionDraft(item.id);
      rememberDecided(item.id, result.data.outcome);
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
      // While an edit is open, Approve would approve the original: only the editor's confirm approves.
      a: () => canAct && !pending && !editing && decide("approved"),
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

      {!item.inQueue && (item.decision || justDecided) && !lost ? (
        <DecidedPanel decision={item.decision} approvals={item.approvals.given} me={me.userId} justNow={item.decision ? undefined : justDecided} />
      ) : (
        <StatusBanner item={item} mine={mine} lost={lost} me={me.userId} />
      )}
      {lost && !item.decision ? (
        <p className="text-sm text-muted-foreground" data-testid="nothing-decided">
          Nothing was decided yet. What you entered is kept in this tab and comes back if you open this item again.
        </p>
      ) : null}
      {restoredDraft ? (
        <Alert variant="warning" data-testid="draft-restored">
          <AlertTitle>Nothing was decided yet</AlertTitle>
          <AlertDescription>
            {restoredDraft.outcome === "approved" ? "Your approval wasn't sent before you had to sign in again. Approve it again when you're ready." : NOTHING_DECIDED}
            {restoredDraft.version !== item.version ? " The item changed since you wrote it: check it again before deciding." : ""}
          </AlertDescription>
        </Alert>
      ) : null}

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
                  key={restoredDraft?.outcome === "edited" ? "restored" : "fresh"}
                  action={item.action}
                  draft={item.draft}
                  pending={pending}
                  initial={restoredDraft?.outcome === "edited" ? restoredDraft.fields : undefined}
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
          <WhyCard item={item} now={now} decidedAt={item.decision?.at ?? justDecided?.at ?? null} />

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
              onRequestChanges={() => setChangesOpen(true)}
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

      <RejectDialog
        key={restoredDraft?.outcome === "rejected" ? "reject-restored" : "reject"}
        open={rejectOpen}
        onOpenChange={setRejectOpen}
        pending={pending}
        error={error}
        initial={restoredDraft?.outcome === "rejected" ? { reason: restoredDraft.fields.reason ?? "", note: restoredDraft.fields.note ?? "" } : undefined}
        notice={restoredDraft?.outcome === "rejected" ? NOTHING_DECIDED : null}
        onReject={(reason, note) => decide("rejected", { reason, note })}
      />
      <RequestChangesDialog
        key={restoredDraft?.outcome === "changes_requested" ? "changes-restored" : "changes"}
        open={changesOpen}
        onOpenChange={setChangesOpen}
        pending={pending}
        error={error}
        initial={restoredDraft?.outcome === "changes_requested" ? restoredDraft.fields.instruction : undefined}
        notice={restoredDraft?.outcome === "changes_requested" ? NOTHING_DECIDED : null}
        onSubmit={(instruction) => decide("changes_requested", { instruction })}
      />
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} shortcuts={itemShortcuts} />
    </div>
  );
}
