"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { changeModeAction } from "@/lib/actions/analytics";

/**
 * Apply a recommendation or roll back, after a confirmation that states the consequence, what it would
 * save (`details`), and — when there is a warning the manager must weigh — a required acknowledgement.
 */
export function ModeChangeButton({
  taskTypeKey,
  direction,
  label,
  title,
  consequence,
  details = [],
  acknowledge,
  variant = "default",
}: {
  taskTypeKey: string;
  direction: "apply" | "rollback";
  label: string;
  title: string;
  consequence: string;
  details?: string[];
  /** The warning to acknowledge before confirming; the server asks for the same acknowledgement. */
  acknowledge?: string | null;
  variant?: "default" | "outline" | "destructive";
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [acknowledged, setAcknowledged] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("taskTypeKey", taskTypeKey);
      form.set("direction", direction);
      if (acknowledge && acknowledged) form.set("acknowledged", "on");
      const result = await changeModeAction(null, form);
      if (!result.ok) return setError(result.message);
      setOpen(false);
      toast.success(result.message ?? "Saved.");
      router.refresh();
    });
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null), setAcknowledged(false))}>
      <DialogTrigger asChild>
        <Button variant={variant}>{label}</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{consequence}</DialogDescription>
        </DialogHeader>
        {details.length > 0 ? (
          <ul className="list-disc space-y-1 pl-5 text-sm" data-testid="step-up-savings" aria-label="What it would save">
            {details.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        ) : null}
        {acknowledge ? (
          <div className="space-y-2 rounded-md border border-warning/50 bg-warning/10 p-3 text-sm" data-testid="step-up-acknowledgement">
            <p className="font-medium">{acknowledge}</p>
            <label className="flex items-start gap-2">
              <input type="checkbox" className="mt-0.5 size-4" checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
              <span>I have looked at these approvals and still want to step up.</span>
            </label>
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant={variant === "outline" ? "default" : variant} onClick={confirm} disabled={pending || (Boolean(acknowledge) && !acknowledged)} data-testid="confirm-mode-change">
            {pending ? <Spinner /> : null} {label}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
