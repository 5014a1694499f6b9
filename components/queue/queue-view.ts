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

const LEFT_KEY = "countersign.leftItem";

/** The item the reviewer just left with Esc: the queue selects its row again. */
export function rememberLeftItem(id: string) {
  try {
    sessionStorage.setItem(LEFT_KEY, id);
  } catch {
    // storage disabled: the queue selects its first row
  }
}

/** The item left last, once: reading it forgets it. */
export function takeLeftItem(): string | null {
  try {
    const id = sessionStorage.getItem(LEFT_KEY);
    sessionStorage.removeItem(LEFT_KEY);
    return id;
  } catch {
    return null;
  }
}
