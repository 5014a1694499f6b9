import { Skeleton } from "@/components/ui/skeleton";

export default function AuditLogLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the audit log">
      <div className="space-y-2 border-b pb-6">
        <Skeleton className="h-7 w-36" />
        <Skeleton className="h-4 w-[32rem] max-w-full" />
      </div>
      <Skeleton className="h-16 w-full rounded-xl" />
      <Skeleton className="h-36 w-full rounded-xl" />
      <div className="space-y-2 rounded-xl border p-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-12 w-full" />
        ))}
      </div>
    </div>
  );
}
