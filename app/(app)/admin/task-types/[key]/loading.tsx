import { Skeleton } from "@/components/ui/skeleton";

export default function TaskTypeEditorLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the task type">
      <div className="space-y-2 border-b pb-6">
        <Skeleton className="h-4 w-24" />
        <Skeleton className="h-7 w-64" />
        <Skeleton className="h-4 w-[28rem] max-w-full" />
      </div>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="space-y-3 rounded-xl border p-6">
          <Skeleton className="h-5 w-40" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-2/3" />
        </div>
      ))}
    </div>
  );
}
