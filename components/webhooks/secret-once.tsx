"use client";

import { TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";

/** An endpoint's signing secret, shown once: closing the dialog that holds it loses it for good. */
export function SecretOnce({ secret, label, note }: { secret: string; label: string; note?: React.ReactNode }) {
  return (
    <div className="space-y-4">
      <Alert variant="warning">
        <TriangleAlert aria-hidden />
        <AlertTitle>Copy this secret now — it won&apos;t be shown again</AlertTitle>
        <AlertDescription>
          Store it with your receiver; it verifies that each delivery really comes from Countersign. If it&apos;s lost, rotate the secret to get a new one.
        </AlertDescription>
      </Alert>
      <div className="space-y-1.5">
        <p className="text-sm font-medium" id="endpoint-secret-label">
          {label}
        </p>
        <div className="flex items-center gap-2">
          <input
            readOnly
            value={secret}
            aria-labelledby="endpoint-secret-label"
            data-testid="endpoint-secret"
            spellCheck={false}
            autoComplete="off"
            className="h-9 w-full min-w-0 rounded-md border bg-muted px-3 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={secret} label="Copy secret" />
        </div>
      </div>
      {note && <p className="text-xs text-muted-foreground">{note}</p>}
    </div>
  );
}
