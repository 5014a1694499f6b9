"use client";

import { useState } from "react";
import Link from "next/link";
import { getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { AlertTriangle, Download } from "lucide-react";
import { downloadCsv } from "@/components/data-table/download-csv";
import { SortedTable } from "@/components/data-table/sorted-table";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { toCsv } from "@/lib/data/csv";
import type { ReviewerRow } from "@/lib/views/reviewers";

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`);
const seconds = (ms: number | null) => (ms === null ? "—" : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

const columns: ColumnDef<ReviewerRow>[] = [
  {
    id: "reviewer",
    accessorKey: "reviewer",
    header: "Reviewer",
    cell: ({ row }) => (
      <div className="min-w-36">
        <div className="font-medium">{row.original.reviewer}</div>
        <div className="text-xs text-muted-foreground">{row.original.email}</div>
      </div>
    ),
  },
  {
    id: "taskType",
    accessorKey: "taskType",
    header: "Task type",
    cell: ({ row }) => (
      <Link href={`/analytics/${row.original.taskTypeKey}`} className="underline-offset-4 hover:underline">
        {row.original.taskType}
        <span className="block font-mono text-xs text-muted-foreground">{row.original.taskTypeKey}</span>
      </Link>
    ),
  },
  { id: "decided", accessorKey: "decided", header: "Decided", cell: ({ row }) => <span className="tabular-nums">{row.original.decided.toLocaleString("en-US")}</span> },
  { id: "acceptance", accessorFn: (r) => r.acceptance ?? -1, header: "Approved unchanged", cell: ({ row }) => <span className="tabular-nums">{pct(row.original.acceptance)}</span> },
  { id: "editRate", accessorFn: (r) => r.editRate ?? -1, header: "Edited", cell: ({ row }) => <span className="tabular-nums">{pct(row.original.editRate)}</span> },
  { id: "rejectRate", accessorFn: (r) => r.rejectRate ?? -1, header: "Rejected", cell: ({ row }) => <span className="tabular-nums">{pct(row.original.rejectRate)}</span> },
  { id: "meanTimeMs", accessorFn: (r) => r.meanTimeMs ?? -1, header: "Mean time on item", cell: ({ row }) => <span className="tabular-nums">{seconds(row.original.meanTimeMs)}</span> },
  {
    id: "fast",
    accessorFn: (r) => (r.signal.atRisk ? 2 : 0) + (r.signal.fastShare ?? -1),
    header: "Fast approvals",
    cell: ({ row }) => {
      const s = row.original.signal;
      return (
        <div className="min-w-48 space-y-1">
          {s.atRisk ? (
            <Badge variant="destructive">
              <AlertTriangle aria-hidden /> Rubber-stamp risk
            </Badge>
          ) : null}
          <p className="text-xs text-muted-foreground">{s.label}</p>
        </div>
      );
    },
  },
];

/** One row per reviewer × task type; people at rubber-stamp risk sort first. */
export function ReviewerTable({ rows, filename }: { rows: ReviewerRow[]; filename: string }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  // TanStack Table returns fresh functions each render, so the React Compiler leaves this component unmemoized; that's fine here.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({ data: rows, columns, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const exportCsv = () => {
    const shown = table.getRowModel().rows.map((r) => r.original);
    const csv = toCsv(
      ["reviewer", "email", "task_type", "decided", "approved_unchanged_rate", "edited_rate", "rejected_rate", "mean_seconds_on_item", "approvals", "fast_approvals", "rubber_stamp_risk"],
      shown.map((r) => [r.reviewer, r.email, r.taskTypeKey, r.decided, r.acceptance, r.editRate, r.rejectRate, r.meanTimeMs === null ? null : Math.round(r.meanTimeMs / 100) / 10, r.signal.approvals, r.signal.fastApprovals, r.signal.atRisk ? "yes" : "no"]),
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
      <SortedTable table={table} label="Reviewers" rowTestId="reviewer-row" />
    </div>
  );
}
