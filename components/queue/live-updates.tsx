"use client";

import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";

type LiveEvent = { type: string; status?: string; reviewId?: string };

/**
 * Subscribes to the server-sent events of the queue (or of one item) and calls `onEvent`; the browser
 * reconnects by itself after a drop. `onOpen` runs each time the stream (re)connects: whatever changed
 * before that — between the page's render and the first connection, or while it was down — sent no
 * event here. Returns whether the stream is connected, for the indicator.
 */
export function useLiveEvents(url: string, onEvent: (e: LiveEvent) => void, onOpen?: () => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onEvent);
  const opened = useRef(onOpen);
  useEffect(() => {
    handler.current = onEvent;
    opened.current = onOpen;
  });
  useEffect(() => {
    const source = new EventSource(url);
    source.onopen = () => {
      setConnected(true);
      opened.current?.();
    };
    source.onerror = () => setConnected(false);
    source.onmessage = (m) => {
      try {
        handler.current(JSON.parse(m.data) as LiveEvent);
      } catch {
        // not one of ours
      }
    };
    return () => source.close();
  }, [url]);
  return connected;
}

/** Re-renders the page from the server when the queue changes, at most once a second. */
export function LiveQueueRefresh() {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const connected = useLiveEvents("/api/queue/events", () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      router.refresh();
    }, 1000);
  });
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return <LiveIndicator connected={connected} />;
}

export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground" role="status" data-testid="live-indicator" data-connected={connected}>
      <span aria-hidden className={connected ? "size-2 rounded-full bg-success" : "size-2 rounded-full bg-muted-foreground/50"} />
      {connected ? "Live" : "Reconnecting…"}
    </span>
  );
}
