"use client";

import { useId, useRef, useState } from "react";
import { Ban } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { rejectionReasons } from "@/lib/validation/queue";

/**
 * Reject with a reason from the list (required) and an optional note the agent receives. The reasons are
 * numbered: 1–9 pick one and move to the note; Ctrl/⌘+Enter rejects; Esc closes without deciding.
 */
export function RejectDialog({
  open,
  onOpenChange,
  pending,
  error,
  initial,
  notice,
  onReject,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  pending: boolean;
  error: string | null;
  /** A reject note brought back after it couldn't be saved (see decision-draft.ts). */
  initial?: { reason: string; note: string };
  notice?: string | null;
  onReject: (reason: string, note: string) => void;
}) {
  const id = useId();
  const [reason, setReason] = useState<string>(initial?.reason ?? "");
  const [note, setNote] = useState(initial?.note ?? "");
  const [missing, setMissing] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form
          className="space-y-4"
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.currentTarget.requestSubmit();
              return;
            }
            // A digit picks a reason, except while typing the note.
            const n = Number(e.key);
            if (e.ctrlKey || e.metaKey || e.altKey || !Number.isInteger(n) || n < 1 || n > rejectionReasons.length) return;
            if ((e.target as HTMLElement).closest("textarea")) return;
            e.preventDefault();
            setReason(rejectionReasons[n - 1].value);
            setMissing(false);
            noteRef.current?.focus();
          }}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason) {
              setMissing(true);
              e.currentTarget.querySelector<HTMLInputElement>("input[name=reason]")?.focus();
              return;
            }
            onReject(reason, note);
          }}
        >
          <DialogHeader>
            <DialogTitle>Reject this item</DialogTitle>
            <DialogDescription>The agent is told not to perform the action, with your reason and note. Press a reason&apos;s number to pick it; Ctrl+Enter rejects.</DialogDescription>
          </DialogHeader>
          {notice ? (
            <p className="rounded-md border border-warning/50 bg-warning/10 px-3 py-2 text-sm" data-testid="draft-restored-notice">
              {notice}
            </p>
          ) : null}
          <fieldset className="space-y-2" aria-describedby={missing ? `${id}-missing` : undefined}>
            <legend className="mb-2 text-sm font-medium">Reason</legend>
            {rejectionReasons.map((r, i) => (
              <label key={r.value} className="flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/5">
                <input
                  type="radio"
                  name="reason"
                  value={r.value}
                  checked={reason === r.value}
                  onChange={() => {
                    setReason(r.value);
                    setMissing(false);
                  }}
                  autoFocus={i === 0}
                  aria-keyshortcuts={String(i + 1)}
                  className="accent-primary"
                />
                <kbd className="rounded border bg-muted px-1.5 font-mono text-xs text-muted-foreground" aria-hidden>
                  {i + 1}
                </kbd>
                {r.label}
              </label>
            ))}
            {missing ? (
              <p id={`${id}-missing`} role="alert" className="text-sm text-destructive">
                Choose a reason.
              </p>
            ) : null}
          </fieldset>
          <div className="space-y-1">
            <Label htmlFor={`${id}-note`}>Note for the agent (optional)</Label>
            <Textarea ref={noteRef} id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} placeholder="What was wrong, or what would make it acceptable" />
          </div>
          {error ? (
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={pending} data-testid="confirm-reject">
              {pending ? <Spinner /> : <Ban aria-hidden />} Reject item
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
