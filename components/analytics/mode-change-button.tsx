"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import { changeModeAction } from "@/lib/actions/analytics";

/** Apply a recommendation or roll back, after a confirmation that states the consequence. */
export function ModeChangeButton({ taskTypeKey, direction, label, title, consequence, variant = "default" }: { taskTypeKey: string; direction: "apply" | "rollback"; label: string; title: string; consequence: string; variant?: "default" | "outline" | "destructive" }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("taskTypeKey", taskTypeKey);
      form.set("direction", direction);
      const result = await changeModeAction(null, form);
      if (!result.ok) return setError(result.message);
      setOpen(false);
      toast.success(result.message ?? "Saved.");
      router.refresh();
    });
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), setError(null))}>
      <DialogTrigger asChild>
        <Button variant={variant}>{label}</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{consequence}</DialogDescription>
        </DialogHeader>
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button variant={variant === "outline" ? "default" : variant} onClick={confirm} disabled={pending} data-testid="confirm-mode-change">
            {pending ? <Spinner /> : null} {label}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
