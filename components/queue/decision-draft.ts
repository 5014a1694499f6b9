"use client";

import { useEffect, useState } from "react";

/**
 * What a reviewer entered for a decision that wasn't saved (the session ended, or the lease was lost),
 * kept in this tab's sessionStorage under the item (with the version it was written against) so a
 * sign-in round trip or a reload brings it back. Nothing here is ever sent without the reviewer
 * submitting it again.
 */
export type DecisionDraft = {
  version: number;
  outcome: "approved" | "edited" | "rejected" | "changes_requested";
  /** The form's fields as they would be sent: `action` (JSON text), `draft`, `reason`, `note`, `instruction`. */
  fields: Record<string, string>;
  savedAt: string;
};

const keyOf = (reviewId: string) => `countersign:decision-draft:${reviewId}`;

export function saveDecisionDraft(reviewId: string, draft: Omit<DecisionDraft, "savedAt">): void {
  try {
    sessionStorage.setItem(keyOf(reviewId), JSON.stringify({ ...draft, savedAt: new Date().toISOString() }));
  } catch {
    // storage full or switched off: the form still holds what was typed while the page stays open
  }
}

export function clearDecisionDraft(reviewId: string): void {
  try {
    sessionStorage.removeItem(keyOf(reviewId));
  } catch {
    // nothing kept
  }
}

function readDecisionDraft(reviewId: string): DecisionDraft | null {
  try {
    const text = sessionStorage.getItem(keyOf(reviewId));
    if (!text) return null;
    const value = JSON.parse(text) as Partial<DecisionDraft>;
    const outcomes = ["approved", "edited", "rejected", "changes_requested"];
    if (typeof value.version !== "number" || !outcomes.includes(value.outcome as string) || !value.fields || typeof value.fields !== "object") return null;
    const fields = Object.fromEntries(Object.entries(value.fields).filter((e): e is [string, string] => typeof e[1] === "string"));
    return { version: value.version, outcome: value.outcome as DecisionDraft["outcome"], fields, savedAt: String(value.savedAt ?? "") };
  } catch {
    return null;
  }
}

/** The unsaved decision kept for this item, read once the page is in the browser; null when there is none. */
export function useRestoredDecisionDraft(reviewId: string): DecisionDraft | null {
  const [draft, setDraft] = useState<DecisionDraft | null>(null);
  useEffect(() => {
    // sessionStorage exists only in the browser: read after hydration, once per item.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDraft(readDecisionDraft(reviewId));
  }, [reviewId]);
  return draft;
}

/**
 * Items decided in this tab, so Back to an item's page (which the client router restores from its
 * cache, as it was before the decision) shows it decided rather than live, until the server's answer
 * replaces it.
 */
const decidedInThisTab = new Map<string, { outcome: string; at: string }>();

export function rememberDecided(reviewId: string, outcome: string): void {
  decidedInThisTab.set(reviewId, { outcome, at: new Date().toISOString() });
}

export function decidedHere(reviewId: string): { outcome: string; at: string } | undefined {
  return decidedInThisTab.get(reviewId);
}

/** Whether the browser still has a session: Auth.js answers an empty object when it doesn't. */
export async function sessionEnded(): Promise<boolean> {
  try {
    const response = await fetch("/api/auth/session", { cache: "no-store" });
    if (!response.ok) return false;
    const body = (await response.json()) as { user?: unknown } | null;
    return !body?.user;
  } catch {
    return false;
  }
}
