"use client";

import { useId, useMemo, useState } from "react";
import { Check, Eye, Pencil, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { Textarea } from "@/components/ui/textarea";
import { canonicalJson } from "@/lib/data/canonical-json";
import { jsonShape } from "@/lib/data/json-shape";
import { fieldRows } from "@/lib/views/queue-format";
import { cn } from "@/lib/ui/cn";
import { ChangeList } from "./change-list";

type Leaf = { keys: string[]; original: unknown };

function leavesOf(value: Record<string, unknown>, prefix: string[] = []): Leaf[] {
  return Object.entries(value).flatMap(([key, v]) =>
    v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0 ? leavesOf(v as Record<string, unknown>, [...prefix, key]) : [{ keys: [...prefix, key], original: v }],
  );
}

const asText = (v: unknown) => (typeof v === "string" ? v : v === null || typeof v === "object" ? JSON.stringify(v) : String(v));

/** Reads an edited field back with its original's type; a value that doesn't parse is an error, never a silent string. */
function parseAs(original: unknown, text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof original === "string") return { ok: true, value: text };
  if (typeof original === "number") {
    const n = Number(text.trim());
    return text.trim() !== "" && Number.isFinite(n) ? { ok: true, value: n } : { ok: false, error: "Enter a number" };
  }
  if (typeof original === "boolean") return { ok: true, value: text === "true" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "Enter valid JSON" };
  }
  // 1e999 parses as Infinity, which would be sent as null: say so rather than change the value.
  return jsonShape(value).finite ? { ok: true, value } : { ok: false, error: "Numbers must be finite" };
}

function restoredAction(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function valueAt(source: Record<string, unknown>, keys: string[]): unknown {
  let node: unknown = source;
  for (const key of keys) {
    if (!node || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function setIn(target: Record<string, unknown>, keys: string[], value: unknown) {
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

/**
 * Edit then approve: change the action's fields and/or the draft, see the difference, then confirm.
 * Confirming with no change is refused here and on the server. The fields keep the read view's order and
 * labels; the draft takes focus when there is one (it is what a reviewer edits most), else the first field.
 * Ctrl/⌘+Enter reviews the changes, then confirms them; Esc leaves without deciding.
 */
export function ActionEditor({
  action,
  draft,
  pending,
  initial,
  onCancel,
  onConfirm,
}: {
  action: Record<string, unknown>;
  draft: string | null;
  pending: boolean;
  /** An unsaved edit brought back (the fields as they were sent: `action` as JSON text, `draft`). */
  initial?: Record<string, string>;
  onCancel: () => void;
  onConfirm: (action: Record<string, unknown>, draft: string | null) => void;
}) {
  const id = useId();
  const leaves = useMemo(() => leavesOf(action), [action]);
  // Same walk as leavesOf, so row i labels leaf i as the read view does ("Order id", a raw path for odd keys).
  const rows = useMemo(() => fieldRows(action), [action]);
  const [texts, setTexts] = useState<string[]>(() => {
    const kept = restoredAction(initial?.action);
    return leaves.map((l) => {
      const value = kept ? valueAt(kept, l.keys) : undefined;
      return asText(value === undefined ? l.original : value);
    });
  });
  const [draftText, setDraftText] = useState(initial?.draft ?? draft ?? "");
  const [step, setStep] = useState<"edit" | "review">("edit");
  const [message, setMessage] = useState<string | null>(null);

  const parsed = leaves.map((l, i) => parseAs(l.original, texts[i]));
  const errors = parsed.map((p) => (p.ok ? null : p.error));
  const edited = structuredClone(action);
  parsed.forEach((p, i) => p.ok && setIn(edited, leaves[i].keys, p.value));
  const editedDraft = draft === null && draftText === "" ? null : draftText;
  const changed = canonicalJson(edited) !== canonicalJson(action) || (editedDraft ?? "") !== (draft ?? "");

  const review = () => {
    if (errors.some(Boolean)) return setMessage("Fix the highlighted fields first.");
    if (!changed) return setMessage("Nothing is changed yet. Change a field or the draft, or approve it as it is.");
    setMessage(null);
    setStep("review");
  };

  const confirm = () => onConfirm(edited, editedDraft);

  if (step === "review") {
    return (
      <section
        aria-labelledby={`${id}-review`}
        className="space-y-4"
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !pending) {
            e.preventDefault();
            confirm();
          }
        }}
      >
        <h2 id={`${id}-review`} className="text-base font-semibold">
          Review your changes
        </h2>
        <p className="text-sm text-muted-foreground">The agent will be told to perform the action exactly as edited below.</p>
        <ChangeList before={action} after={edited} beforeDraft={draft} afterDraft={editedDraft} />
        <div className="flex flex-wrap gap-2">
          <Button onClick={confirm} disabled={pending} autoFocus data-testid="confirm-edit">
            {pending ? <Spinner /> : <Check aria-hidden />} Confirm edit &amp; approve
          </Button>
          <Button variant="outline" onClick={() => setStep("edit")} disabled={pending}>
            <Pencil aria-hidden /> Back to editing
          </Button>
        </div>
      </section>
    );
  }

  return (
    <form
      aria-labelledby={`${id}-edit`}
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        review();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          onCancel();
        } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          review();
        }
      }}
    >
      <h2 id={`${id}-edit`} className="text-base font-semibold">
        Edit the proposed action
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        {leaves.map((leaf, i) => {
          const fieldId = `${id}-f${i}`;
          const name = leaf.keys.join(".");
          const common = { id: fieldId, autoFocus: i === 0 && draft === null, "aria-invalid": Boolean(errors[i]) || undefined, "aria-describedby": errors[i] ? `${fieldId}-err` : undefined };
          const long = typeof leaf.original === "string" && (leaf.original.length > 60 || leaf.original.includes("\n"));
          return (
            <div key={name} className={long ? "space-y-1 sm:col-span-2" : "space-y-1"}>
              <Label htmlFor={fieldId} className={cn("break-words", rows[i]?.raw && "font-mono text-xs break-all")} title={rows[i]?.path ?? name}>
                {rows[i]?.label ?? name}
              </Label>
              {typeof leaf.original === "boolean" ? (
                <NativeSelect {...common} value={texts[i]} onChange={(e) => setTexts((t) => t.map((v, j) => (j === i ? e.target.value : v)))}>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </NativeSelect>
              ) : long ? (
                <Textarea {...common} rows={3} value={texts[i]} onChange={(e) => setTexts((t) => t.map((v, j) => (j === i ? e.target.value : v)))} />
              ) : (
                <Input
                  {...common}
                  inputMode={typeof leaf.original === "number" ? "decimal" : undefined}
                  value={texts[i]}
                  onChange={(e) => setTexts((t) => t.map((v, j) => (j === i ? e.target.value : v)))}
                />
              )}
              {errors[i] ? (
                <p id={`${fieldId}-err`} className="text-xs text-destructive">
                  {errors[i]}
                </p>
              ) : null}
            </div>
          );
        })}
      </div>
      {draft !== null ? (
        <div className="space-y-1">
          <Label htmlFor={`${id}-draft`}>Draft</Label>
          <Textarea id={`${id}-draft`} rows={10} value={draftText} onChange={(e) => setDraftText(e.target.value)} autoFocus className="font-mono text-sm break-words" />
        </div>
      ) : null}
      {message ? (
        <p role="alert" className="text-sm text-destructive">
          {message}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" data-testid="review-changes">
          <Eye aria-hidden /> Review changes <kbd className="ml-1 font-mono text-[10px] opacity-70 max-lg:hidden">Ctrl+Enter</kbd>
        </Button>
        <Button type="button" variant="outline" onClick={onCancel}>
          <X aria-hidden /> Cancel edit
        </Button>
      </div>
    </form>
  );
}
