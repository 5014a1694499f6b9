"use client";

import { useState, useTransition } from "react";
import { ShieldAlert, ShieldCheck, ShieldQuestion } from "lucide-react";
import { toast } from "sonner";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { verifyAuditAction, type VerifyResult } from "@/lib/actions/audit";

const entries = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "entry" : "entries"}`;
const timeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** Walks the hash chain on the server and says whether it holds, or the first entry where it doesn't. */
export function VerifyIntegrity() {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const verify = () =>
    startTransition(async () => {
      const outcome = await verifyAuditAction(null, new FormData());
      if (!outcome.ok) return void toast.error(outcome.message);
      setResult(outcome.data);
    });
  return (
    <section aria-labelledby="integrity-heading" className="space-y-3 rounded-xl border bg-card px-4 py-3 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-start gap-2">
          <ShieldQuestion className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
          <div>
            <h2 id="integrity-heading" className="font-medium">
              Integrity
            </h2>
            <p className="text-muted-foreground">Each entry carries a hash of its content and of the entry before it. Verifying recomputes the whole chain.</p>
          </div>
        </div>
        <Button variant="outline" size="sm" onClick={verify} disabled={pending} aria-disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <ShieldCheck aria-hidden />}
          {pending ? "Verifying…" : "Verify integrity"}
        </Button>
      </div>
      <div aria-live="polite">
        {result?.ok === true ? (
          <Alert variant="success" data-testid="verify-result">
            <ShieldCheck aria-hidden />
            <AlertTitle>Intact: {entries(result.entries)}</AlertTitle>
            <AlertDescription>Every entry matches its hash and links to the one before it, from the first to the newest.</AlertDescription>
          </Alert>
        ) : result?.ok === false ? (
          <Alert variant="destructive" role="status" data-testid="verify-result">
            <ShieldAlert aria-hidden />
            <AlertTitle>
              Broken at entry #{result.brokenAt.id}
              {result.brokenAt.createdAt ? ` (${timeFormat.format(new Date(result.brokenAt.createdAt))} UTC, ${result.brokenAt.action})` : ""}: changed, removed or reordered
            </AlertTitle>
            <AlertDescription>
              The {entries(result.entries)} before it {result.entries === 1 ? "is" : "are"} intact. This entry was edited, or an entry before it was deleted or moved, outside the
              application — the database refuses that to the app, so someone with direct database powers did it. Keep this evidence and investigate.
            </AlertDescription>
          </Alert>
        ) : null}
      </div>
    </section>
  );
}
