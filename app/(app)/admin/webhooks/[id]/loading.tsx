import { Skeleton } from "@/components/ui/skeleton";

export default function WebhookEndpointLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the endpoint">
      <Skeleton className="h-4 w-28" />
      <div className="space-y-2 border-b pb-6">
        <Skeleton className="h-7 w-[28rem] max-w-full" />
        <Skeleton className="h-4 w-48" />
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        {Array.from({ length: 3 }, (_, i) => (
          <Skeleton key={i} className="h-36 w-full rounded-xl" />
        ))}
      </div>
      <div className="space-y-2 rounded-xl border p-4">
        {Array.from({ length: 5 }, (_, i) => (
          <Skeleton key={i} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
