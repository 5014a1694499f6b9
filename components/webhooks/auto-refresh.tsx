"use client";

import { useEffect, useTransition } from "react";
import { useRouter } from "next/navigation";

/**
 * Re-renders the page from the server every few seconds while `active` (deliveries about to be sent).
 * One refresh at a time: the next is scheduled only once the last has rendered, so a slow server
 * isn't sent a pile of them.
 */
export function AutoRefresh({ active, everyMs = 2000 }: { active: boolean; everyMs?: number }) {
  const router = useRouter();
  const [refreshing, startTransition] = useTransition();
  useEffect(() => {
    if (!active || refreshing) return;
    const timer = setTimeout(() => startTransition(() => router.refresh()), everyMs);
    return () => clearTimeout(timer);
  }, [active, refreshing, everyMs, router]);
  return null;
}
