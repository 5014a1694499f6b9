"use client";

import { useEffect, useRef } from "react";

/** Single-key shortcuts, ignored while typing in a field, inside an open dialog, or with a modifier held; Enter on a button stays the button's. */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>, enabled = true) {
  const ref = useRef(map);
  useEffect(() => {
    ref.current = map;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable='true'], [role='dialog']")) return;
      // Enter on a focused button or link presses it (a queue row's link aside: Enter opens the selected row).
      if (e.key === "Enter" && target?.closest("button, summary, a[href]:not([data-row-link]), [role='button'], [role='menuitem']")) return;
      const handler = ref.current[e.key];
      if (handler) {
        e.preventDefault();
        handler(e);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [enabled]);
}
