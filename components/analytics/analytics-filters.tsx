"use client";

import { useTransition } from "react";
import { usePathname, useRouter } from "next/navigation";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { rangeDays, type AnalyticsParams } from "@/lib/validation/analytics";

/** Date range and workspace, kept in the URL so a view can be shared. */
export function AnalyticsFilters({ params, workspaces }: { params: AnalyticsParams; workspaces?: { id: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const go = (next: Partial<AnalyticsParams>) => {
    const merged = { ...params, ...next };
    const q = new URLSearchParams();
    if (merged.days !== 28) q.set("days", String(merged.days));
    if (merged.workspace) q.set("workspace", merged.workspace);
    startTransition(() => router.push(`${pathname}${q.size ? `?${q}` : ""}`, { scroll: false }));
  };
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Analytics filters">
      <NativeSelect aria-label="Period" wrapperClassName="w-40" value={params.days} onChange={(e) => go({ days: Number(e.target.value) as AnalyticsParams["days"] })}>
        {rangeDays.map((d) => (
          <option key={d} value={d}>
            Last {d} days
          </option>
        ))}
      </NativeSelect>
      {workspaces ? (
        <NativeSelect aria-label="Workspace" wrapperClassName="w-52" value={params.workspace ?? ""} onChange={(e) => go({ workspace: e.target.value || undefined })}>
          <option value="">All workspaces</option>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </NativeSelect>
      ) : null}
      {pending ? <Spinner className="text-muted-foreground" /> : null}
    </div>
  );
}
