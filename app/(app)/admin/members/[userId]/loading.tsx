import { Skeleton } from "@/components/ui/skeleton";

export default function MemberLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the member">
      <Skeleton className="h-4 w-28" />
      <div className="space-y-2 border-b pb-6">
        <Skeleton className="h-8 w-56" />
        <Skeleton className="h-4 w-72 max-w-full" />
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Skeleton className="h-48 w-full" />
        <Skeleton className="h-48 w-full lg:col-span-2" />
      </div>
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
