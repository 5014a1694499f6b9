"use client";

import { useTransition } from "react";
import { useRouter } from "next/navigation";
import { Filter, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { Spinner } from "@/components/ui/spinner";
import { auditQuery, isFiltered, type AuditFilter } from "@/lib/validation/audit";

export type AuditFacets = {
  members: { id: string; name: string; email: string }[];
  keys: { id: string; name: string; prefix: string }[];
  actions: string[];
  prefixes: string[];
  targetTypes: string[];
};

const fields = ["actor", "action", "targetType", "targetId", "from", "to"] as const;

/** The viewer's filters; they live in the URL, so a filtered view can be shared and exported as it is. */
export function AuditFilters({ filter, facets }: { filter: AuditFilter; facets: AuditFacets }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const go = (next: AuditFilter) => startTransition(() => router.push(`/admin/audit${auditQuery(next)}`, { scroll: false }));
  const fromForm = (form: HTMLFormElement): AuditFilter => {
    const data = new FormData(form);
    const out: Record<string, string | undefined> = {};
    for (const key of fields) {
      const value = data.get(key);
      out[key] = typeof value === "string" && value.trim() ? value.trim() : undefined;
    }
    return out as AuditFilter;
  };
  // Selects apply at once, as the queue's do; typed fields wait for Apply (or Enter).
  const applyNow = (e: React.ChangeEvent<HTMLSelectElement>) => e.currentTarget.form && go(fromForm(e.currentTarget.form));

  // Keyed by the filter: a new one from a link (an actor or target in the table) resets what the fields show.
  return (
    <form
      key={auditQuery(filter)}
      role="search"
      aria-label="Filter the audit log"
      aria-busy={pending}
      className="grid gap-3 rounded-xl border bg-card p-4 sm:grid-cols-2 lg:grid-cols-[repeat(4,minmax(0,1fr))_minmax(0,0.8fr)_minmax(0,0.8fr)]"
      onSubmit={(e) => {
        e.preventDefault();
        go(fromForm(e.currentTarget));
      }}
    >
      <div className="space-y-1.5">
        <Label htmlFor="audit-actor">Actor</Label>
        <NativeSelect id="audit-actor" name="actor" defaultValue={filter.actor ?? ""} onChange={applyNow}>
          <option value="">Anyone</option>
          <optgroup label="Members">
            {facets.members.map((m) => (
              <option key={m.id} value={`user:${m.id}`}>
                {m.name} ({m.email})
              </option>
            ))}
          </optgroup>
          {facets.keys.length > 0 ? (
            <optgroup label="API keys">
              {facets.keys.map((k) => (
                <option key={k.id} value={`key:${k.id}`}>
                  API key “{k.name}” ({k.prefix}…)
                </option>
              ))}
            </optgroup>
          ) : null}
          <option value="system">System (expiry, automatic step-down)</option>
        </NativeSelect>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <NativeSelect id="audit-action" name="action" defaultValue={filter.action ?? ""} onChange={applyNow}>
          <option value="">Any action</option>
          <optgroup label="Every action of a kind">
            {facets.prefixes.map((p) => (
              <option key={p} value={p}>
                {p}* (all)
              </option>
            ))}
          </optgroup>
          <optgroup label="One action">
            {facets.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </optgroup>
          {filter.action && !facets.actions.includes(filter.action) && !facets.prefixes.includes(filter.action) ? <option value={filter.action}>{filter.action}</option> : null}
        </NativeSelect>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-target-type">Target type</Label>
        <NativeSelect id="audit-target-type" name="targetType" defaultValue={filter.targetType ?? ""} onChange={applyNow}>
          <option value="">Any target</option>
          {facets.targetTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
          {filter.targetType && !facets.targetTypes.includes(filter.targetType) ? <option value={filter.targetType}>{filter.targetType}</option> : null}
        </NativeSelect>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-target-id">Target id</Label>
        <Input id="audit-target-id" name="targetId" defaultValue={filter.targetId ?? ""} placeholder="Exact id" className="font-mono" maxLength={200} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-from">From (UTC)</Label>
        <Input id="audit-from" name="from" type="date" defaultValue={filter.from ?? ""} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="audit-to">To (UTC)</Label>
        <Input id="audit-to" name="to" type="date" defaultValue={filter.to ?? ""} />
      </div>
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-6">
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <Filter aria-hidden />} Apply filters
        </Button>
        {isFiltered(filter) ? (
          <Button type="button" variant="ghost" size="sm" disabled={pending} onClick={() => go({})}>
            <X aria-hidden /> Clear filters
          </Button>
        ) : null}
      </div>
    </form>
  );
}
