"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { ArrowRight } from "lucide-react";
import { toast } from "sonner";
import { nextItemAction } from "@/lib/actions/queue";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { useShortcuts } from "./use-shortcuts";

/** Claims the most urgent free item and opens it; `n` anywhere on the queue page. */
export function NextItemButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const claimNext = () =>
    startTransition(async () => {
      const result = await nextItemAction(null, new FormData());
      if (!result.ok) toast.error(result.message);
      else if (result.data.id) router.push(`/queue/${result.data.id}`);
      else toast.info(result.message ?? "Nothing is waiting right now.");
    });
  useShortcuts({ n: () => !pending && claimNext() });
  return (
    <Button onClick={claimNext} disabled={pending} aria-keyshortcuts="n">
      {pending ? <Spinner /> : null}
      Next item
      <ArrowRight aria-hidden />
      <kbd className="ml-1 rounded border border-primary-foreground/30 px-1 font-mono text-[10px]">n</kbd>
    </Button>
  );
}
