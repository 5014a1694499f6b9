"use client";

import { useState, useTransition } from "react";
import { usePathname, useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { analyticsHref, fastSecondsOptions, rangeDays, type AnalyticsParams } from "@/lib/validation/analytics";

/**
 * Period (last 7/28/90 days or a custom range of days), workspace, and on the reviewers view what counts
 * as a fast approval — kept in the URL so a view can be shared. `range` is the range actually shown.
 */
export function AnalyticsFilters({ params, range, workspaces }: { params: AnalyticsParams; range: { from: string; to: string; custom: boolean }; workspaces?: { id: string; name: string }[] }) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const [custom, setCustom] = useState(range.custom);
  const go = (next: Partial<AnalyticsParams>) => startTransition(() => router.push(analyticsHref(pathname, { ...params, ...next }), { scroll: false }));
  const applyRange = (form: FormData) => {
    const from = String(form.get("from") ?? "");
    const to = String(form.get("to") ?? "");
    if (from && to) go({ from, to });
  };
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Analytics filters">
      <NativeSelect
        aria-label="Period"
        wrapperClassName="w-44"
        value={custom ? "custom" : params.days}
        onChange={(e) => {
          if (e.target.value === "custom") return setCustom(true);
          setCustom(false);
          go({ days: Number(e.target.value) as AnalyticsParams["days"], from: undefined, to: undefined });
        }}
      >
        {rangeDays.map((d) => (
          <option key={d} value={d}>
            Last {d} days
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </NativeSelect>
      {custom ? (
        <form action={applyRange} className="flex items-center gap-1.5">
          <Input type="date" name="from" aria-label="From" defaultValue={range.from} required className="w-40" />
          <span className="text-sm text-muted-foreground" aria-hidden>
            –
          </span>
          <Input type="date" name="to" aria-label="To" defaultValue={range.to} required className="w-40" />
          <Button type="submit" size="sm" variant="outline">
            Apply
          </Button>
        </form>
      ) : null}
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
      {params.view === "reviewers" ? (
        <NativeSelect aria-label="Fast approval" wrapperClassName="w-48" value={params.fast} onChange={(e) => go({ fast: Number(e.target.value) as AnalyticsParams["fast"] })}>
          {fastSecondsOptions.map((s) => (
            <option key={s} value={s}>
              Fast: under {s} s
            </option>
          ))}
        </NativeSelect>
      ) : null}
      {pending ? <Spinner className="text-muted-foreground" /> : null}
    </div>
  );
}
