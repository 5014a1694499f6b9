"use client";

import { useState } from "react";
import Link from "next/link";
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { AlertTriangle, Check, Download, X } from "lucide-react";
import { downloadCsv } from "@/components/data-table/download-csv";
import { SortedTable } from "@/components/data-table/sorted-table";
import { ModeBadge } from "@/components/task-types/mode-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { OverviewRow } from "@/lib/views/analytics";
import { toCsv } from "@/lib/data/csv";
import { formatDuration } from "@/lib/views/queue-format";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);

const columns: ColumnDef<OverviewRow>[] = [
  {
    id: "name",
    accessorKey: "name",
    header: "Task type",
    cell: ({ row }) => (
      <div className="min-w-28">
        <Link href={`/analytics/${row.original.key}`} className="font-medium underline-offset-4 hover:underline">
          {row.original.name}
        </Link>
        <div className="text-xs text-muted-foreground">
          <span className="font-mono">{row.original.key}</span> · {row.original.workspace}
          {!row.original.classified ? " · unclassified" : ""}
        </div>
      </div>
    ),
  },
  { id: "mode", accessorKey: "mode", header: "Mode", cell: ({ row }) => <ModeBadge mode={row.original.mode} /> },
  { id: "volume", accessorKey: "volume", header: "Items", cell: ({ row }) => <span className="tabular-nums">{row.original.volume.toLocaleString("en-US")}</span> },
  { id: "decided", accessorKey: "decided", header: "By people", cell: ({ row }) => <span className="tabular-nums">{row.original.decided.toLocaleString("en-US")}</span> },
  {
    id: "acceptance",
    accessorFn: (r) => r.acceptance ?? -1,
    header: "Acceptance",
    cell: ({ row }) => (
      <div className="tabular-nums">
        <span className="font-medium">{pct(row.original.acceptance)}</span>
        {row.original.lower !== null ? (
          <div className="text-xs text-muted-foreground">
            95% CI {pct(row.original.lower)}–{pct(row.original.upper)}
          </div>
        ) : null}
      </div>
    ),
  },
  { id: "editRate", accessorFn: (r) => r.editRate ?? -1, header: "Edited", cell: ({ row }) => <span className="tabular-nums">{pct(row.original.editRate)}</span> },
  { id: "rejectRate", accessorFn: (r) => r.rejectRate ?? -1, header: "Rejected", cell: ({ row }) => <span className="tabular-nums">{pct(row.original.rejectRate)}</span> },
  {
    id: "medianMs",
    accessorFn: (r) => r.medianMs ?? Number.MAX_SAFE_INTEGER,
    header: "Median wait",
    cell: ({ row }) => <span className="tabular-nums">{row.original.medianMs === null ? "—" : formatDuration(row.original.medianMs).replace("just now", "< 1 min")}</span>,
  },
  { id: "slaBreached", accessorKey: "slaBreached", header: "SLA breaches", cell: ({ row }) => <span className="tabular-nums">{row.original.slaBreached}</span> },
  {
    id: "readiness",
    accessorFn: (r) => ({ step_up: 0, step_down: 1, hold: 2, none: 3 })[r.readiness.kind],
    header: "Readiness",
    cell: ({ row }) => {
      const r = row.original.readiness;
      const missing = r.checks.filter((c) => !c.met);
      return (
        <div className="min-w-28 space-y-1" title={r.sentence}>
          <Badge variant={r.status.tone} className="whitespace-normal">
            {r.status.word}
          </Badge>
          {r.rubberStamp ? (
            <p className="text-xs text-warning" data-testid="rubber-stamp-note">
              <AlertTriangle className="mr-1 inline size-3" aria-hidden />
              {r.rubberStamp}
            </p>
          ) : null}
          {missing.length > 0 ? (
            <ul className="space-y-0.5 text-xs" aria-label="Criteria not met">
              {missing.map((c) => (
                <li key={c.label}>
                  <X className="mr-1 inline size-3 text-destructive" aria-hidden />
                  {c.label}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-xs text-muted-foreground">
              <Check className="mr-1 inline size-3 text-success" aria-hidden />
              Every criterion met
            </p>
          )}
        </div>
      );
    },
  },
];

/** One row per task type; sorting happens here (a handful of rows), the numbers come from the rollups. */
export function OverviewTable({ rows, filename }: { rows: OverviewRow[]; filename: string }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "volume", desc: true }]);
  // TanStack Table returns fresh functions each render, so the React Compiler leaves this component unmemoized; that's fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });

  const exportCsv = () => {
    const shown = table.getRowModel().rows.map((r) => r.original);
    const csv = toCsv(
      ["task_type", "name", "workspace", "mode", "items", "decided", "acceptance", "ci_lower", "ci_upper", "edited_rate", "rejected_rate", "median_minutes_to_decision", "sla_breaches", "readiness"],
      shown.map((r) => [r.key, r.name, r.workspace, r.mode, r.volume, r.decided, r.acceptance, r.lower, r.upper, r.editRate, r.rejectRate, r.medianMs === null ? null : Math.round(r.medianMs / 600) / 100, r.slaBreached, r.readiness.sentence]),
    );
    downloadCsv(csv, filename);
  };

  return (
    <div className="space-y-3">
      <div className="flex justify-end">
        <Button variant="outline" size="sm" onClick={exportCsv}>
          <Download aria-hidden /> Export CSV
        </Button>
      </div>
      <SortedTable table={table} label="Task types" rowTestId="analytics-row" />
    </div>
  );
}
