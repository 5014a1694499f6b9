import { flexRender, type Table as TanStackTable } from "@tanstack/react-table";
import { SortableHead } from "@/components/data-table/sortable-head";
import { Table, TableBody, TableCell, TableHeader, TableRow } from "@/components/ui/table";

/** A client-sorted TanStack table's markup: sortable headers, one row per record, cells aligned to the top. */
export function SortedTable<T>({ table, label, rowTestId }: { table: TanStackTable<T>; label: string; rowTestId: string }) {
  return (
    <div className="rounded-xl border bg-card">
      <Table aria-label={label}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => (
                <SortableHead key={header.id} className="whitespace-normal" sorted={header.column.getIsSorted()} onSort={() => header.column.toggleSorting()}>
                  {flexRender(header.column.columnDef.header, header.getContext())}
                </SortableHead>
              ))}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id} data-testid={rowTestId}>
              {row.getVisibleCells().map((cell) => (
                <TableCell key={cell.id} className="align-top">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
