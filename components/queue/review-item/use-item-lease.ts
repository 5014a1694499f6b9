"use client";

import { useEffect, type RefObject } from "react";
import { useRouter } from "next/navigation";
import { renewLeaseAction } from "@/lib/actions/queue";
import { useLiveEvents } from "../live-updates";

const RENEW_EVERY_MS = 60_000;
// Strict mode and fast re-renders unmount and remount at once; a release waits this long to be cancelled.
const RELEASE_DELAY_MS = 300;
const pendingReleases = new Map<string, ReturnType<typeof setTimeout>>();

/**
 * Keeps the lease while the item is open and hands it back when the reviewer leaves undecided; follows
 * what happens to the item meanwhile (cancelled, expired, decided by someone else) and says so with `onLost`
 * (a state setter: stable, so it doesn't restart the lease).
 */
export function useItemLease({ id, version, inQueue, mine, decided, onLost }: { id: string; version: number; inQueue: boolean; mine: boolean; decided: RefObject<boolean>; onLost: (message: string) => void }) {
  const router = useRouter();

  useEffect(() => {
    if (!mine || !inQueue) return;
    const held = pendingReleases.get(id);
    if (held) clearTimeout(held);
    const renew = setInterval(async () => {
      const form = new FormData();
      form.set("reviewId", id);
      form.set("version", String(version));
      const result = await renewLeaseAction(null, form);
      if (!result.ok) onLost(result.message);
    }, RENEW_EVERY_MS);
    const release = () => {
      if (!decided.current) navigator.sendBeacon(`/api/queue/items/${id}/release`);
    };
    window.addEventListener("pagehide", release);
    return () => {
      clearInterval(renew);
      window.removeEventListener("pagehide", release);
      pendingReleases.set(
        id,
        setTimeout(() => {
          pendingReleases.delete(id);
          release();
        }, RELEASE_DELAY_MS),
      );
    };
  }, [id, version, inQueue, mine, decided, onLost]);

  const following = !(mine && inQueue);
  useLiveEvents(
    `/api/queue/events?review=${id}`,
    (e) => {
      if (decided.current) return;
      if (!following) {
        if (e.type === "cancelled") onLost("The agent cancelled this item while you had it open. Nothing you do here will be saved.");
        if (e.type === "expired") onLost("This item expired while you had it open; the agent was told it expired.");
        if (e.type === "decided") onLost("Someone else decided this item. Your decision would not be saved.");
      } else {
        // Read-only: follow what happens to it (it may come free, or be decided).
        router.refresh();
      }
    },
    // Read-only, the page catches up on what happened before the stream was open (it may be decided already).
    () => {
      if (following && !decided.current) router.refresh();
    },
  );
}
