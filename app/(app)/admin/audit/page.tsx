import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, ChevronRight, ChevronsLeft, Download, ScrollText, X } from "lucide-react";
import { getDb } from "@/db/client";
import { auditChainHead, auditFacets, searchAuditLog } from "@/db/queries/audit";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { VerifyIntegrity } from "@/components/audit/verify-integrity";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageScope } from "@/lib/auth/session";
import { cn } from "@/lib/ui/cn";
import { AUDIT_EXPORT_CAP, AUDIT_PAGE_SIZE, auditQuery, filterOf, isFiltered, parseAuditParams } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const scope = await requirePageScope("audit.view");
  const params = parseAuditParams(await searchParams);
  const filter = filterOf(params);
  const db = getDb();
  const [page, facets, head] = await Promise.all([searchAuditLog(db, scope, { ...params, limit: AUDIT_PAGE_SIZE }), auditFacets(db, scope), auditChainHead(db, scope)]);
  const filtered = isFiltered(filter);
  const paged = params.before !== undefined || params.after !== undefined;
  const pager = (enabled: boolean) => cn(buttonVariants({ variant: "outline", size: "sm" }), !enabled && "pointer-events-none opacity-50");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description={`Who changed what in ${scope.organizationName}, and when. Entries can't be edited or deleted, and each is chained to the one before it by an HMAC, so tampering shows.`}
        actions={
          <a href={`/api/admin/audit/export${auditQuery(filter)}`} download className={buttonVariants({ variant: "outline" })} title={`The newest ${AUDIT_EXPORT_CAP.toLocaleString("en-US")} entries of this view at most`}>
            <Download aria-hidden /> Export CSV
          </a>
        }
      />
      <VerifyIntegrity head={head} />
      <AuditFilters filter={filter} facets={facets} />
      {page.rows.length === 0 ? (
        <EmptyState
          icon={<ScrollText className="size-8" aria-hidden />}
          title={filtered ? "No entries match these filters" : paged ? "No more entries" : "Nothing recorded yet"}
          description={
            filtered
              ? "Try a wider date range or fewer filters."
              : paged
                ? "You've reached the end of the log."
                : "Changes to members, keys, task types and settings, and every decision, are recorded here as they happen."
          }
        >
          {filtered || paged ? (
            <Link href="/admin/audit" className={buttonVariants({ variant: "outline" })}>
              <X aria-hidden /> Back to the newest entries
            </Link>
          ) : null}
        </EmptyState>
      ) : (
        <Card>
          <CardContent className="pt-6">
            <AuditTable rows={page.rows} filter={filter} now={new Date()} />
          </CardContent>
        </Card>
      )}
      {page.rows.length > 0 ? (
        <nav aria-label="Audit log pages" className="flex flex-wrap items-center justify-between gap-3 text-sm text-muted-foreground">
          <p>
            {page.rows.length === 1 ? "1 entry" : `${page.rows.length} entries`}, #{page.rows[0].id} to #{page.rows[page.rows.length - 1].id}, newest first
            {filtered ? " (filtered)" : ""}. The CSV export holds this view&apos;s newest {AUDIT_EXPORT_CAP.toLocaleString("en-US")} entries at most.
          </p>
          <div className="flex items-center gap-2">
            <Link href={`/admin/audit${auditQuery(filter)}`} className={pager(paged)} aria-disabled={!paged} tabIndex={paged ? undefined : -1}>
              <ChevronsLeft aria-hidden /> Newest
            </Link>
            <Link
              href={`/admin/audit${auditQuery({ ...filter, after: page.newerCursor ?? undefined })}`}
              className={pager(page.newerCursor !== null)}
              aria-disabled={page.newerCursor === null}
              tabIndex={page.newerCursor === null ? -1 : undefined}
            >
              <ChevronLeft aria-hidden /> Newer
            </Link>
            <Link
              href={`/admin/audit${auditQuery({ ...filter, before: page.olderCursor ?? undefined })}`}
              className={pager(page.olderCursor !== null)}
              aria-disabled={page.olderCursor === null}
              tabIndex={page.olderCursor === null ? -1 : undefined}
            >
              Older <ChevronRight aria-hidden />
            </Link>
          </div>
        </nav>
      ) : null}
    </div>
  );
}
