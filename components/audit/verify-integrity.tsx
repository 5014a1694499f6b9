"use client";

import { useState, useTransition } from "react";
import { ShieldAlert, ShieldCheck, ShieldQuestion } from "lucide-react";
import { toast } from "sonner";
import { TextField } from "@/components/forms/text-field";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Spinner } from "@/components/ui/spinner";
import { verifyAuditAction, type VerifyResult } from "@/lib/actions/audit";
import { chainBreakTitle } from "@/lib/security/audit-chain";
import type { AuditHead } from "@/lib/validation/audit";

const entries = (n: number) => `${n.toLocaleString("en-US")} ${n === 1 ? "entry" : "entries"}`;
const timeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

/** What a break means and what to do, under its title. */
function breakDescription(result: VerifyResult): string {
  const before = `The ${entries(result.entries)} before it ${result.entries === 1 ? "is" : "are"} intact.`;
  const entry = result.brokenEntry ? ` Entry #${result.brokenEntry.id} was recorded ${timeFormat.format(new Date(result.brokenEntry.createdAt))} UTC (${result.brokenEntry.action}).` : "";
  const evidence = "The database refuses that to the app, so someone with direct database powers did it. Keep this evidence and investigate.";
  switch (result.broken?.kind) {
    case "tampered":
      return `${before}${entry} It was edited, or an entry before it was deleted or moved, outside the application. ${evidence}`;
    case "unlinked":
      return `${before}${entry} The application links each entry within seconds; one left unlinked was inserted behind the chain's end, or the background worker has stopped.`;
    case "truncated":
      return `The ${entries(result.entries)} of the chain verify, but your anchor was taken when it was longer: entries at its end were removed. ${evidence}`;
    case "anchor_mismatch":
      return `The chain verifies by itself, but not against your anchor: it was rewritten after you saved it.${entry} ${evidence}`;
    default:
      return "";
  }
}

/**
 * Walks the HMAC chain on the server, alone or against an anchor saved earlier, and says whether it
 * holds or where it first breaks. Shows the chain head to save as the next anchor.
 */
export function VerifyIntegrity({ head }: { head: AuditHead }) {
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string[]>>({});
  const verify = (form: FormData) =>
    startTransition(async () => {
      const outcome = await verifyAuditAction(null, form);
      if (!outcome.ok) {
        setFieldErrors(outcome.fieldErrors ?? {});
        return void toast.error(outcome.message);
      }
      setFieldErrors({});
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
            <p className="text-muted-foreground">
              Each entry carries an HMAC of its content and of the entry before it, under a key kept outside the database. Verifying recomputes the whole chain and changes
              nothing.
            </p>
          </div>
        </div>
        <Button variant="outline" size="sm" onClick={() => verify(new FormData())} disabled={pending} aria-disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <ShieldCheck aria-hidden />}
          {pending ? "Verifying…" : "Verify integrity"}
        </Button>
      </div>
      <div className="space-y-1" data-testid="chain-head">
        <p>
          <span className="font-medium">Chain head:</span>{" "}
          {head.hmac ? (
            <>
              #{head.seq.toLocaleString("en-US")} · <code className="font-mono text-xs break-all">{head.hmac}</code>{" "}
              <CopyButton value={`${head.seq} ${head.hmac}`} label="Copy anchor" size="sm" variant="ghost" />
            </>
          ) : (
            "nothing linked yet"
          )}
        </p>
        <p className="text-muted-foreground">
          Save it outside Countersign as an anchor (every CSV export ends with it, and an API key with <code>audit:read</code> reads it at <code>GET /api/v1/audit/head</code>).
          Verifying against it later shows whether entries were removed from the end or the chain was rewritten since.
        </p>
      </div>
      <details className="group">
        <summary className="cursor-pointer font-medium">Verify against an anchor</summary>
        <form
          aria-label="Verify against an anchor"
          className="mt-3 grid items-start gap-3 sm:grid-cols-[10rem_minmax(0,1fr)_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            verify(new FormData(e.currentTarget));
          }}
        >
          <TextField name="seq" label="Sequence number" inputMode="numeric" autoComplete="off" required errors={fieldErrors.seq} />
          <TextField name="hmac" label="HMAC" autoComplete="off" spellCheck={false} className="font-mono" required errors={fieldErrors.hmac} />
          <Button type="submit" variant="outline" size="sm" className="sm:mt-6" disabled={pending} aria-disabled={pending}>
            Verify against anchor
          </Button>
        </form>
      </details>
      <div aria-live="polite">
        {result?.ok === true ? (
          <Alert variant="success" data-testid="verify-result">
            <ShieldCheck aria-hidden />
            <AlertTitle>
              Intact: {entries(result.entries)}
              {result.anchor ? `, matching your anchor at #${result.anchor.seq}` : ""}
            </AlertTitle>
            <AlertDescription>
              Every entry matches its HMAC and links to the one before it, from the first to #{result.head?.seq ?? 0}.
              {result.unlinked > 0 ? ` ${entries(result.unlinked)} not yet linked: the newest are linked within seconds.` : ""}
            </AlertDescription>
          </Alert>
        ) : result?.broken ? (
          <Alert variant="destructive" role="status" data-testid="verify-result">
            <ShieldAlert aria-hidden />
            <AlertTitle>{chainBreakTitle(result.broken)}</AlertTitle>
            <AlertDescription>{breakDescription(result)}</AlertDescription>
          </Alert>
        ) : null}
      </div>
    </section>
  );
}
