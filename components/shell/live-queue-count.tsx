"use client";

import { useState } from "react";
import { useLiveEvents } from "@/components/queue/live-updates";

/**
 * The header's count of items waiting, kept current by the live stream (as the queue table is): the
 * layout's count is only as fresh as the last full render, which client navigation doesn't redo.
 */
export function LiveQueueCount({ initial, label }: { initial: number; label?: string }) {
  const [live, setLive] = useState<{ waiting: number; from: number } | null>(null);
  useLiveEvents("/api/queue/events?count=1", (e) => {
    const waiting = (e as { waiting?: unknown }).waiting;
    if (e.type === "count" && typeof waiting === "number") setLive({ waiting, from: initial });
  });
  // A newer server render (router.refresh) counts as fresh as the stream's last word.
  const count = live && live.from === initial ? live.waiting : initial;
  return (
    <span className="ml-1.5 rounded-full bg-primary px-1.5 py-0.5 text-[10px] font-semibold text-primary-foreground tabular-nums" title={label} data-testid="nav-count">
      {count}
      {label ? <span className="sr-only"> ({label})</span> : null}
    </span>
  );
}
