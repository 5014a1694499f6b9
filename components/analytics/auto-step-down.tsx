"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { ShieldAlert } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { setAutoStepDownAction } from "@/lib/actions/analytics";

/** The organization setting, where admins read the recommendations it would act on. */
export function AutoStepDownSetting({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const toggle = () =>
    startTransition(async () => {
      const form = new FormData();
      form.set("enabled", enabled ? "off" : "on");
      const result = await setAutoStepDownAction(null, form);
      if (!result.ok) return void toast.error(result.message);
      toast.success(result.message ?? "Saved.");
      router.refresh();
    });
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-xl border bg-card px-4 py-3 text-sm" data-testid="auto-step-down">
      <p className="flex items-center gap-2">
        <ShieldAlert className="size-4 text-muted-foreground" aria-hidden />
        <span>
          <span className="font-medium">Automatic step-down is {enabled ? "on" : "off"}.</span>{" "}
          <span className="text-muted-foreground">When on, a task type running on exception whose audited decisions fall conclusively below target goes back to its previous mode by itself, and admins are told.</span>
        </span>
      </p>
      <Button variant="outline" size="sm" onClick={toggle} disabled={pending}>
        {pending ? <Spinner /> : null} Turn {enabled ? "off" : "on"}
      </Button>
    </div>
  );
}
