"use client";

import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";

export type Shortcut = { keys: string; label: string };

export const queueShortcuts: Shortcut[] = [
  { keys: "j / k", label: "Move down / up the queue" },
  { keys: "Enter", label: "Open the selected item" },
  { keys: "n", label: "Claim the next item" },
  { keys: "/", label: "Search" },
  { keys: "?", label: "Show these shortcuts" },
];

export const itemShortcuts: Shortcut[] = [
  { keys: "a", label: "Approve as proposed" },
  { keys: "e", label: "Edit, then approve" },
  { keys: "r", label: "Reject with a reason" },
  { keys: "n", label: "Skip: give this item back and claim the next" },
  { keys: "Esc", label: "Back to the queue (gives the item back)" },
  { keys: "?", label: "Show these shortcuts" },
];

export function ShortcutsDialog({ open, onOpenChange, shortcuts }: { open: boolean; onOpenChange: (open: boolean) => void; shortcuts: Shortcut[] }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Keyboard shortcuts</DialogTitle>
          <DialogDescription>Everything here works without a mouse. Shortcuts pause while you type in a field.</DialogDescription>
        </DialogHeader>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          {shortcuts.map((s) => (
            <div key={s.keys} className="contents">
              <dt>
                <kbd className="rounded border bg-muted px-1.5 py-0.5 font-mono text-xs">{s.keys}</kbd>
              </dt>
              <dd className="text-muted-foreground">{s.label}</dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
