"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import type { MyDecisionsParams } from "@/lib/validation/queue";

export function MyDecisionsFilters({ params, taskTypes }: { params: MyDecisionsParams; taskTypes: { key: string; name: string }[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const go = (next: Partial<MyDecisionsParams>) => {
    const merged = { ...params, ...next, page: 1 };
    const q = new URLSearchParams();
    if (merged.outcome) q.set("outcome", merged.outcome);
    if (merged.taskType) q.set("taskType", merged.taskType);
    if (merged.days !== 30) q.set("days", String(merged.days));
    startTransition(() => router.push(`/queue/mine${q.size ? `?${q}` : ""}`));
  };
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Filter your decisions">
      <NativeSelect aria-label="Outcome" wrapperClassName="w-44" value={params.outcome ?? ""} onChange={(e) => go({ outcome: (e.target.value || undefined) as MyDecisionsParams["outcome"] })}>
        <option value="">Outcome: any</option>
        <option value="approved">Approved</option>
        <option value="edited">Edited</option>
        <option value="changes_requested">Changes requested</option>
        <option value="rejected">Rejected</option>
      </NativeSelect>
      <NativeSelect aria-label="Task type" wrapperClassName="w-56" value={params.taskType ?? ""} onChange={(e) => go({ taskType: e.target.value || undefined })}>
        <option value="">Task type: any</option>
        {taskTypes.map((t) => (
          <option key={t.key} value={t.key}>
            {t.name}
          </option>
        ))}
      </NativeSelect>
      <NativeSelect aria-label="Period" wrapperClassName="w-40" value={params.days} onChange={(e) => go({ days: Number(e.target.value) })}>
        <option value={1}>Last day</option>
        <option value={7}>Last 7 days</option>
        <option value={30}>Last 30 days</option>
        <option value={90}>Last 90 days</option>
      </NativeSelect>
      {pending ? <Spinner className="text-muted-foreground" /> : null}
    </div>
  );
}
