"use client";

import { useSyncExternalStore } from "react";

const KEY = "countersign.queueView";

/** The queue URL (with its filters) the reviewer last looked at, so leaving an item returns to that view. */
export function rememberQueueView(url: string) {
  try {
    sessionStorage.setItem(KEY, url);
  } catch {
    // storage disabled: going back lands on the plain queue
  }
}

function read(): string {
  try {
    const saved = sessionStorage.getItem(KEY);
    return saved && /^\/queue(\?|$)/.test(saved) ? saved : "/queue";
  } catch {
    return "/queue";
  }
}

const noSubscription = () => () => {};

export function useRememberedQueueView(): string {
  return useSyncExternalStore(noSubscription, read, () => "/queue");
}
