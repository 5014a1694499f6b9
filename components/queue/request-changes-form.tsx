"use client";

import { useId, useState } from "react";
import { MessageSquareReply } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";

/**
 * Send back with instructions: the item ends rejected (outcome `changes_requested`) and the agent gets
 * the instruction, which it can follow and resubmit as a revision. The instruction is required.
 */
export function RequestChangesDialog({
  open,
  onOpenChange,
  pending,
  error,
  initial,
  notice,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  pending: boolean;
  error: string | null;
  initial?: string;
  notice?: string | null;
  onSubmit: (instruction: string) => void;
}) {
  const id = useId();
  const [instruction, setInstruction] = useState(initial ?? "");
  const [missing, setMissing] = useState(false);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!instruction.trim()) {
              setMissing(true);
              e.currentTarget.querySelector<HTMLTextAreaElement>("textarea")?.focus();
              return;
            }
            onSubmit(instruction.trim());
          }}
        >
          <DialogHeader>
            <DialogTitle>Request changes</DialogTitle>
            <DialogDescription>The agent is told not to perform it as proposed, and gets your instruction. When it resubmits, you see its changes beside your instruction.</DialogDescription>
          </DialogHeader>
          {notice ? (
            <p className="rounded-md border border-warning/50 bg-warning/10 px-3 py-2 text-sm" data-testid="draft-restored-notice">
              {notice}
            </p>
          ) : null}
          <div className="space-y-1">
            <Label htmlFor={`${id}-instruction`}>Instruction to the agent (required)</Label>
            <Textarea
              id={`${id}-instruction`}
              value={instruction}
              onChange={(e) => {
                setInstruction(e.target.value);
                setMissing(false);
              }}
              maxLength={2000}
              rows={4}
              aria-required
              autoFocus
              aria-invalid={missing || undefined}
              aria-describedby={missing ? `${id}-missing` : undefined}
              placeholder="What to change, e.g. “Refund only the item, not the shipping fee”"
            />
            {missing ? (
              <p id={`${id}-missing`} role="alert" className="text-sm text-destructive">
                Tell the agent what to change.
              </p>
            ) : null}
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
            <Button type="submit" disabled={pending} data-testid="confirm-request-changes">
              {pending ? <Spinner /> : <MessageSquareReply aria-hidden />} Send back to the agent
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
