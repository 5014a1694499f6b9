import { Skeleton } from "@/components/ui/skeleton";

export default function TaskTypesLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading task types">
      <div className="space-y-2 border-b pb-6">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-[32rem] max-w-full" />
      </div>
      <div className="space-y-2 rounded-xl border p-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Skeleton key={i} className="h-14 w-full" />
        ))}
      </div>
    </div>
  );
}
