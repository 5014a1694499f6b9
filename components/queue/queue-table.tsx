"use client";

import { useEffect, useMemo, useRef, useState, useId, useSyncExternalStore, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Inbox, Keyboard, ListFilter, Lock, Search, X } from "lucide-react";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/ui/cn";
import { defaultDirection, pageSizes, queueQuery, reasonFilters, type QueueParams, type QueueSortColumn } from "@/lib/validation/queue";
import { formatAmount, formatDuration, priorityLabel, slaState } from "@/lib/views/queue-format";
import { ApprovalsBadge, approvedBy, type ApprovalView } from "./approvals";
import { NextItemButton } from "./next-item-button";
import { rememberQueueView, takeLeftItem } from "./queue-view";
import { ReasonChips } from "./reason-chips";
import { queueShortcuts, ShortcutsDialog } from "./shortcuts-dialog";
import { useShortcuts } from "./use-shortcuts";

export type QueueTableRow = {
  id: string;
  title: string | null;
  externalId: string | null;
  priority: string;
  blocking: boolean;
  reasons: string[];
  confidence: number | null;
  amount: { value: number; currency: string } | null;
  createdAt: string;
  slaDueAt: string | null;
  taskType: { key: string; name: string; mode: string; confidenceThreshold: number; amountLimit: number | null; amountCurrency: string | null };
  workspace: { id: string; name: string };
  claim: { userId: string; name: string; until: string } | null;
  approvals: { needed: number; given: ApprovalView[] };
};

type Facets = { workspaces: { id: string; name: string; waiting: number; overdue: number }[]; taskTypes: { key: string; name: string }[] };

const priorityVariant = { urgent: "destructive", high: "warning", normal: "secondary", low: "outline" } as const;

export function QueueTable({ rows, total, params, facets, userId, now: nowIso }: { rows: QueueTableRow[]; total: number; params: QueueParams; facets: Facets; userId: string; now: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [selected, setSelected] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const now = useMemo(() => new Date(nowIso), [nowIso]);

  const go = (next: Partial<QueueParams>, resetPage = true) => {
    const merged: Partial<QueueParams> = { ...params, ...(resetPage ? { page: 1 } : {}), ...next };
    startTransition(() => router.push(`/queue${queueQuery(merged)}`, { scroll: false }));
  };

  const sortBy = (column: QueueSortColumn) => {
    const current = params.dir ?? defaultDirection[params.sort];
    const dir = params.sort === column ? (current === "asc" ? "desc" : "asc") : defaultDirection[column];
    go({ sort: column, dir });
  };

  // An item opened from here carries this view (filters and sort), so it can say "3 of 17" and step through it.
  const itemQuery = queueQuery({ ...params, page: 1 });
  const compact = useSyncExternalStore(subscribePhone, isPhone, () => false);
  const [filtersOpen, setFiltersOpen] = useState(false);
  const searchTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const focusAfterLoad = useRef(false);

  const columns = useMemo<ColumnDef<QueueTableRow>[]>(
    () => [
      {
        id: "priority",
        header: "Priority",
        cell: ({ row }) => <Badge variant={priorityVariant[row.original.priority as keyof typeof priorityVariant] ?? "secondary"}>{priorityLabel[row.original.priority]}</Badge>,
      },
      {
        id: "title",
        header: "Item",
        cell: ({ row }) => {
          const r = row.original;
          return (
            <div className="max-w-72 min-w-40">
              <Link href={`/queue/${r.id}${itemQuery}`} prefetch={false} className="font-medium text-foreground underline-offset-4 hover:underline focus-visible:underline" data-row-link>
                {r.title ?? `Untitled ${r.taskType.name}`}
              </Link>
              <div className="truncate text-xs text-muted-foreground">
                {r.externalId ? <span className="font-mono">{r.externalId}</span> : null}
                {r.externalId ? " · " : null}
                {r.workspace.name}
              </div>
              {r.approvals.needed > 1 ? (
                <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
                  <ApprovalsBadge needed={r.approvals.needed} given={r.approvals.given.length} />
                  {approvedBy(r.approvals.given, userId)}
                </div>
              ) : null}
            </div>
          );
        },
      },
      {
        id: "taskType",
        header: "Task type",
        cell: ({ row }) => (
          <div className="flex flex-col items-start gap-1">
            <span className="font-mono text-xs break-all">{row.original.taskType.key}</span>
            <ModeBadge mode={row.original.taskType.mode} />
          </div>
        ),
      },
      {
        id: "reasons",
        header: "Why it is here",
        cell: ({ row }) => {
          const r = row.original;
          return (
            <ReasonChips
              reasons={r.reasons}
              context={{ confidence: r.confidence, threshold: r.taskType.confidenceThreshold, amount: r.amount, limit: r.taskType.amountLimit, currency: r.taskType.amountCurrency }}
            />
          );
        },
      },
      {
        id: "numbers",
        header: "Confidence / Amount",
        cell: ({ row }) => (
          <div className="tabular-nums whitespace-nowrap">
            <div>{row.original.confidence === null ? "—" : row.original.confidence.toFixed(2)}</div>
            {row.original.amount ? <div className="text-xs text-muted-foreground">{formatAmount(row.original.amount)}</div> : null}
          </div>
        ),
      },
      { id: "time", header: "Age / SLA", cell: ({ row }) => <AgeAndSla row={row.original} now={now} /> },
      {
        id: "claim",
        header: "Claimed by",
        // A long name wraps rather than push the table past the screen.
        cell: ({ row }) => <ClaimLabel row={row.original} userId={userId} />,
      },
    ],
    [now, userId, itemQuery],
  );

  // TanStack Table returns fresh functions each render, so the React Compiler leaves this component unmemoized; that's fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualSorting: true,
    manualFiltering: true,
    rowCount: total,
    getRowId: (r) => r.id,
  });

  useEffect(() => setSelected((s) => Math.min(s, Math.max(0, rows.length - 1))), [rows.length]);
  // Back from an item with Esc: select (and focus) the row of the item left, wherever it now sits.
  useEffect(() => {
    const left = takeLeftItem();
    const index = left ? rows.findIndex((r) => r.id === left) : -1;
    if (index >= 0) focusRow(index);
    // Once, on arriving: later refreshes keep the reviewer's own selection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // After Esc cleared the search, focus returns to the list once the unfiltered rows are in.
  useEffect(() => {
    if (!focusAfterLoad.current || pending) return;
    focusAfterLoad.current = false;
    focusRow(Math.min(selected, rows.length - 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, pending]);
  // The search box follows the URL when it changes elsewhere (cleared filters, back button), unless it is being typed in.
  useEffect(() => {
    const input = searchRef.current;
    if (input && document.activeElement !== input && input.value !== (params.q ?? "")) input.value = params.q ?? "";
  }, [params.q]);
  useEffect(() => () => clearTimeout(searchTimer.current), []);

  const search = (value: string, wait: number) => {
    clearTimeout(searchTimer.current);
    const q = value.trim() || undefined;
    if (q === params.q) return;
    searchTimer.current = setTimeout(() => go({ q }), wait);
  };
  // The item page returns here (with these filters) when the reviewer goes back.
  useEffect(() => rememberQueueView(`/queue${queueQuery(params)}`), [params]);

  function focusRow(index: number) {
    setSelected(Math.max(0, index));
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>("a[data-row-link]")[index];
    if (link) link.focus();
    else listRef.current?.focus();
  }
  useShortcuts({
    j: () => focusRow(Math.min(rows.length - 1, selected + 1)),
    k: () => focusRow(Math.max(0, selected - 1)),
    Enter: () => rows[selected] && router.push(`/queue/${rows[selected].id}${itemQuery}`),
    "/": () => searchRef.current?.focus(),
    "?": () => setHelpOpen(true),
  });

  // Columns that sort, each by one or two keys (the merged ones sort by either of their values).
  const sortable: Partial<Record<string, [QueueSortColumn, string][]>> = {
    priority: [["priority", "Priority"]],
    numbers: [
      ["confidence", "Confidence"],
      ["amount", "Amount"],
    ],
    time: [
      ["age", "Age"],
      ["sla", "SLA"],
    ],
  };
  const dir = params.dir ?? defaultDirection[params.sort];
  const filtersId = useId();
  const activeFilters = [params.taskType, params.priority, params.reason, params.sla, params.claim, params.age].filter(Boolean).length;
  const filtered = Boolean(params.workspace || params.taskType || params.priority || params.reason || params.sla || params.claim || params.age || params.q);
  const from = total === 0 ? 0 : (params.page - 1) * params.size + 1;
  const to = Math.min(total, params.page * params.size);
  const pages = Math.max(1, Math.ceil(total / params.size));
  const allWaiting = facets.workspaces.reduce((n, w) => n + w.waiting, 0);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Workspaces" className="flex flex-wrap gap-1">
          <WorkspaceTab active={!params.workspace} onClick={() => go({ workspace: undefined })} label="All workspaces" waiting={allWaiting} />
          {facets.workspaces.map((w) => (
            <WorkspaceTab key={w.id} active={params.workspace === w.id} onClick={() => go({ workspace: w.id })} label={w.name} waiting={w.waiting} overdue={w.overdue} />
          ))}
        </nav>
        <div className="flex items-center gap-2">
          <Button variant="ghost" size="sm" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
            <Keyboard aria-hidden /> Shortcuts
          </Button>
          <NextItemButton />
        </div>
      </div>

      <form
        role="search"
        aria-label="Filter the queue"
        className="grid grid-cols-[minmax(0,1fr)_auto] gap-2 sm:grid-cols-2 lg:grid-cols-[minmax(12rem,2fr)_repeat(6,minmax(0,1fr))]"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get("q");
          search(typeof q === "string" ? q : "", 0);
        }}
      >
        <div className="relative">
          <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
          <Input
            ref={searchRef}
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            placeholder="Search title or external id  ( / )"
            aria-label="Search title or external id"
            className="pl-8"
            onChange={(e) => search(e.currentTarget.value, SEARCH_DEBOUNCE_MS)}
            onKeyDown={(e) => {
              if (e.key !== "Escape") return;
              // Esc: clear the search and go back to the list (Chromium would only clear the box).
              e.preventDefault();
              e.currentTarget.value = "";
              clearTimeout(searchTimer.current);
              if (params.q) {
                focusAfterLoad.current = true;
                go({ q: undefined });
              }
              focusRow(Math.min(selected, rows.length - 1));
            }}
          />
        </div>
        <Button type="button" variant="outline" className="sm:hidden" aria-expanded={filtersOpen} aria-controls={filtersId} onClick={() => setFiltersOpen((o) => !o)}>
          <ListFilter aria-hidden /> Filters
          {activeFilters > 0 ? <span className="rounded-full bg-primary px-1.5 text-[10px] font-semibold text-primary-foreground tabular-nums">{activeFilters}</span> : null}
        </Button>
        <div id={filtersId} className={cn("col-span-2 grid gap-2 sm:contents", !filtersOpen && "max-sm:hidden")}>
        <FilterSelect label="Task type" value={params.taskType} onChange={(v) => go({ taskType: v })} options={facets.taskTypes.map((t) => ({ value: t.key, label: t.name }))} />
        <FilterSelect label="Priority" value={params.priority} onChange={(v) => go({ priority: v as QueueParams["priority"] })} options={["urgent", "high", "normal", "low"].map((p) => ({ value: p, label: priorityLabel[p] }))} />
        <FilterSelect label="Reason" value={params.reason} onChange={(v) => go({ reason: v })} options={reasonFilters.map((r) => ({ value: r.value, label: r.label }))} />
        <FilterSelect
          label="SLA"
          value={params.sla}
          onChange={(v) => go({ sla: v as QueueParams["sla"] })}
          options={[
            { value: "overdue", label: "Overdue" },
            { value: "due_soon", label: "Due within 30 min" },
            { value: "on_track", label: "On track" },
          ]}
        />
        <FilterSelect
          label="Claim"
          value={params.claim}
          onChange={(v) => go({ claim: v as QueueParams["claim"] })}
          options={[
            { value: "unclaimed", label: "Free" },
            { value: "claimed", label: "Claimed" },
            { value: "mine", label: "Claimed by me" },
          ]}
        />
        <FilterSelect
          label="Age"
          value={params.age}
          onChange={(v) => go({ age: v as QueueParams["age"] })}
          options={[
            { value: "1h", label: "Older than 1 h" },
            { value: "4h", label: "Older than 4 h" },
            { value: "24h", label: "Older than 1 day" },
          ]}
        />
        </div>
      </form>

      <div ref={listRef} tabIndex={-1} className="relative rounded-xl border bg-card focus-visible:outline-none" aria-busy={pending}>
        <div className={cn("absolute inset-x-0 top-0 h-0.5 overflow-hidden rounded-t-xl", pending ? "opacity-100" : "opacity-0")} aria-hidden>
          <div className="h-full w-1/3 animate-[progress_1s_ease-in-out_infinite] bg-primary motion-reduce:animate-none" />
        </div>
        {rows.length === 0 ? (
          <EmptyState
            className="m-4 border-0"
            icon={<Inbox className="size-8" aria-hidden />}
            title={filtered ? "Nothing matches these filters" : "The queue is clear"}
            description={filtered ? "Try fewer filters, or clear them to see everything waiting." : "Nothing is waiting for a person in your workspaces. New items appear here the moment an agent sends them."}
          >
            {filtered ? (
              <Button variant="outline" onClick={() => startTransition(() => router.push("/queue"))}>
                <X aria-hidden /> Clear filters
              </Button>
            ) : null}
          </EmptyState>
        ) : compact ? (
          <QueueCards rows={rows} selected={selected} userId={userId} now={now} itemQuery={itemQuery} listRef={tableRef as React.RefObject<HTMLUListElement>} onFocusRow={setSelected} />
        ) : (
          <Table aria-label="Items waiting for review" aria-rowcount={total}>
            <TableHeader>
              {table.getHeaderGroups().map((group) => (
                <TableRow key={group.id}>
                  {group.headers.map((header) => {
                    const keys = sortable[header.column.id];
                    if (!keys) return <TableHead key={header.id}>{flexRender(header.column.columnDef.header, header.getContext())}</TableHead>;
                    const active = keys.some(([k]) => k === params.sort);
                    return (
                      <TableHead key={header.id} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={cn(keys.length > 1 && "h-auto py-2")}>
                        {/* A merged column stacks its two sort keys, as its cells stack their two values. */}
                        <span className="flex flex-col items-start gap-0.5">
                          {keys.map(([key, label]) => (
                            <SortButton key={key} label={label} sorted={params.sort === key ? dir : false} onSort={() => sortBy(key)} />
                          ))}
                        </span>
                      </TableHead>
                    );
                  })}
                </TableRow>
              ))}
            </TableHeader>
            <TableBody ref={tableRef as React.RefObject<HTMLTableSectionElement>}>
              {table.getRowModel().rows.map((row, index) => (
                <TableRow
                  key={row.id}
                  data-testid="queue-row"
                  data-state={index === selected ? "selected" : undefined}
                  onFocusCapture={() => setSelected(index)}
                  className={cn(
                    ((row.original.claim && row.original.claim.userId !== userId) || row.original.approvals.given.some((a) => a.userId === userId)) && "text-muted-foreground",
                  )}
                >
                  {row.getVisibleCells().map((cell) => (
                    <TableCell key={cell.id} className="align-top">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>

      <div className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
        <p aria-live="polite">
          {total === 0 ? "No items" : `Showing ${from}–${to} of ${total} item${total === 1 ? "" : "s"}`}
        </p>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-2">
            Rows
            <NativeSelect wrapperClassName="w-20" value={params.size} onChange={(e) => go({ size: Number(e.target.value) as QueueParams["size"] })}>
              {pageSizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </NativeSelect>
          </label>
          <Button variant="outline" size="sm" disabled={params.page <= 1} onClick={() => go({ page: params.page - 1 }, false)} aria-label="Previous page">
            <ChevronLeft aria-hidden />
          </Button>
          <span className="tabular-nums">
            Page {Math.min(params.page, pages)} of {pages}
          </span>
          <Button variant="outline" size="sm" disabled={params.page >= pages} onClick={() => go({ page: params.page + 1 }, false)} aria-label="Next page">
            <ChevronRight aria-hidden />
          </Button>
        </div>
      </div>
      <ShortcutsDialog open={helpOpen} onOpenChange={setHelpOpen} shortcuts={queueShortcuts} />
    </div>
  );
}

const SEARCH_DEBOUNCE_MS = 300;
const PHONE = "(max-width: 767px)";
const subscribePhone = (onChange: () => void) => {
  const query = window.matchMedia(PHONE);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};
const isPhone = () => window.matchMedia(PHONE).matches;

function SortButton({ label, sorted, onSort }: { label: string; sorted: "asc" | "desc" | false; onSort: () => void }) {
  return (
    <button type="button" onClick={onSort} className="inline-flex items-center gap-1 rounded text-left uppercase hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
      {label}
      {sorted === "asc" ? <ArrowUp className="size-3" aria-hidden /> : sorted === "desc" ? <ArrowDown className="size-3" aria-hidden /> : <ArrowUpDown className="size-3 opacity-40" aria-hidden />}
    </button>
  );
}

function AgeAndSla({ row, now }: { row: QueueTableRow; now: Date }) {
  const sla = slaState(row.slaDueAt, now);
  return (
    <div className="whitespace-nowrap tabular-nums">
      <div>{formatDuration(now.getTime() - new Date(row.createdAt).getTime())}</div>
      <div className={cn("text-xs", sla.state === "overdue" && "font-medium text-destructive", sla.state === "due_soon" && "text-warning", sla.state !== "overdue" && sla.state !== "due_soon" && "text-muted-foreground")}>{sla.label}</div>
    </div>
  );
}

function ClaimLabel({ row, userId }: { row: QueueTableRow; userId: string }) {
  const c = row.claim;
  // Whoever gave an approval can't give the next one: the item isn't theirs to take.
  if (!c && row.approvals.given.some((a) => a.userId === userId)) return <span className="text-muted-foreground">Waiting for another reviewer</span>;
  if (!c) return <span className="text-muted-foreground">Free</span>;
  return (
    <span className="inline-flex items-center gap-1">
      <Lock className="size-3 shrink-0" aria-hidden />
      {c.userId === userId ? "You" : c.name}
    </span>
  );
}

/** The queue on a phone: one card per item with what decides whether to open it (title, task type, why, age and SLA). */
function QueueCards({
  rows,
  selected,
  userId,
  now,
  itemQuery,
  listRef,
  onFocusRow,
}: {
  rows: QueueTableRow[];
  selected: number;
  userId: string;
  now: Date;
  itemQuery: string;
  listRef: React.RefObject<HTMLUListElement>;
  onFocusRow: (index: number) => void;
}) {
  return (
    <ul ref={listRef} aria-label="Items waiting for review" className="divide-y">
      {rows.map((r, index) => (
        <li
          key={r.id}
          data-testid="queue-card"
          data-state={index === selected ? "selected" : undefined}
          onFocusCapture={() => onFocusRow(index)}
          className={cn("space-y-2 p-4 first:rounded-t-xl last:rounded-b-xl data-[state=selected]:bg-muted", r.claim && r.claim.userId !== userId && "text-muted-foreground")}
        >
          <div className="flex items-start justify-between gap-3">
            <Link href={`/queue/${r.id}${itemQuery}`} prefetch={false} className="min-w-0 font-medium break-words text-foreground underline-offset-4 hover:underline focus-visible:underline" data-row-link>
              {r.title ?? `Untitled ${r.taskType.name}`}
            </Link>
            <Badge variant={priorityVariant[r.priority as keyof typeof priorityVariant] ?? "secondary"} className="shrink-0">
              {priorityLabel[r.priority]}
            </Badge>
          </div>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
            <span className="font-mono break-all text-foreground">{r.taskType.key}</span>
            <ModeBadge mode={r.taskType.mode} />
            <span>{r.workspace.name}</span>
            {r.approvals.needed > 1 ? <ApprovalsBadge needed={r.approvals.needed} given={r.approvals.given.length} /> : null}
          </div>
          <ReasonChips
            reasons={r.reasons}
            context={{ confidence: r.confidence, threshold: r.taskType.confidenceThreshold, amount: r.amount, limit: r.taskType.amountLimit, currency: r.taskType.amountCurrency }}
          />
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
            <span className="text-muted-foreground">
              Waiting {formatDuration(now.getTime() - new Date(r.createdAt).getTime())}
            </span>
            <CardSla slaDueAt={r.slaDueAt} now={now} />
            {r.amount ? <span className="tabular-nums">{formatAmount(r.amount)}</span> : null}
            <ClaimLabel row={r} userId={userId} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function CardSla({ slaDueAt, now }: { slaDueAt: string | null; now: Date }) {
  const sla = slaState(slaDueAt, now);
  return <span className={cn(sla.state === "overdue" && "font-medium text-destructive", sla.state === "due_soon" && "text-warning", sla.state !== "overdue" && sla.state !== "due_soon" && "text-muted-foreground")}>{sla.label}</span>;
}

function WorkspaceTab({ active, onClick, label, waiting, overdue = 0 }: { active: boolean; onClick: () => void; label: string; waiting: number; overdue?: number }) {
  return (
    <button
      type="button"
      onClick={onClick}
      aria-pressed={active}
      className={cn(
        "inline-flex items-center gap-2 rounded-md border px-3 py-1.5 text-sm transition-colors focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none",
        active ? "border-primary bg-primary/10 font-medium text-foreground" : "border-transparent text-muted-foreground hover:bg-muted",
      )}
    >
      {label}
      <span className="rounded bg-muted px-1.5 text-xs tabular-nums text-foreground" aria-label={`${waiting} waiting`}>
        {waiting}
      </span>
      {overdue > 0 ? <span className="text-xs text-destructive">{overdue} overdue</span> : null}
    </button>
  );
}

function FilterSelect({ label, value, onChange, options }: { label: string; value: string | undefined; onChange: (value: string | undefined) => void; options: { value: string; label: string }[] }) {
  return (
    <NativeSelect aria-label={label} value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{`${label}: any`}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </NativeSelect>
  );
}
