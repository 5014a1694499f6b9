import { Skeleton } from "@/components/ui/skeleton";

export default function ReviewItemLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Opening the item">
      <div className="space-y-3 border-b pb-5">
        <Skeleton className="h-5 w-20" />
        <Skeleton className="h-8 w-2/3" />
        <Skeleton className="h-5 w-1/2" />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-6">
          <Skeleton className="h-56 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
        <div className="space-y-6">
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-48 w-full" />
        </div>
      </div>
    </div>
  );
}
