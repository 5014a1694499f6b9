import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { TableHead } from "@/components/ui/table";

/** A column header that sorts when activated, announcing its direction with `aria-sort`. */
export function SortableHead({ sorted, onSort, children, className }: { sorted: "asc" | "desc" | false; onSort: () => void; children: React.ReactNode; className?: string }) {
  return (
    <TableHead className={className} aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}>
      <button type="button" onClick={onSort} className="inline-flex items-center gap-1 rounded text-left hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none">
        {children}
        {sorted === "asc" ? <ArrowUp className="size-3" aria-hidden /> : sorted === "desc" ? <ArrowDown className="size-3" aria-hidden /> : <ArrowUpDown className="size-3 opacity-40" aria-hidden />}
      </button>
    </TableHead>
  );
}
