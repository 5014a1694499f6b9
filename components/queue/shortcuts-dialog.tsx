"use client";

import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";

export type Shortcut = { keys: string; label: string; group?: string };

export const queueShortcuts: Shortcut[] = [
  { keys: "j / k", label: "Move down / up the queue" },
  { keys: "Enter", label: "Open the selected item" },
  { keys: "n", label: "Claim the next item" },
  { keys: "/", label: "Search (filters as you type)" },
  { keys: "Esc", label: "In the search box: clear it and return to the list", group: "Search" },
  { keys: "?", label: "Show these shortcuts" },
];

export const itemShortcuts: Shortcut[] = [
  { keys: "a", label: "Approve as proposed" },
  { keys: "e", label: "Edit, then approve: the draft takes focus (or the first field)" },
  { keys: "r", label: "Reject with a reason" },
  { keys: "n", label: "Skip: give this item back and claim the next" },
  { keys: "[ / ]", label: "Previous / next item in this queue view" },
  { keys: "Esc", label: "Back to the queue, on this item's row (gives the item back)" },
  { keys: "?", label: "Show these shortcuts" },
  { keys: "Ctrl+Enter", label: "Review the changes, then confirm them (⌘+Enter on a Mac)", group: "While editing" },
  { keys: "Esc", label: "Close the editor without deciding", group: "While editing" },
  { keys: "1–9", label: "Pick that reason; the note takes focus", group: "In the reject form" },
  { keys: "Ctrl+Enter", label: "Reject with the chosen reason (⌘+Enter on a Mac)", group: "In the reject form" },
  { keys: "Esc", label: "Close the form without deciding", group: "In the reject form" },
];

export function ShortcutsDialog({ open, onOpenChange, shortcuts }: { open: boolean; onOpenChange: (open: boolean) => void; shortcuts: Shortcut[] }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>Everything here works without a mouse. Shortcuts pause while you type in a field.</DialogDescription>
        </DialogHeader>
        {[...new Set(shortcuts.map((s) => s.group))].map((group) => (
          <section key={group ?? ""} className="space-y-2">
            {group ? <h3 className="text-sm font-medium">{group}</h3> : null}
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
              {shortcuts
                .filter((s) => s.group === group)
                .map((s) => (
                  <div key={s.keys} className="contents">
                    <dt>
                      <kbd className="rounded border bg-muted px-1.5 py-0.5 font-mono text-xs whitespace-nowrap">{s.keys}</kbd>
                    </dt>
                    <dd className="text-muted-foreground">{s.label}</dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
      </DialogContent>
    </Dialog>
  );
}
