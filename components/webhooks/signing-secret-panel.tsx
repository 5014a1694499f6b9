"use client";

import { startTransition, useActionState, useState } from "react";
import { Eye, EyeOff, RefreshCw, TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import type { ActionResult } from "@/lib/errors/action-result";
import { revealWebhookSecretAction, rotateWebhookSecretAction } from "@/lib/actions/webhooks";

type Intent = "reveal" | "rotate" | "hide";
type SecretResult = ActionResult<{ secret: string }>;
/** What the panel shows: nothing, or the outcome of the last reveal or rotation. */
type View = { intent: "reveal" | "rotate"; result: SecretResult } | null;

/**
 * One state for reveal, rotate and hide, so whichever happened last decides what is on screen, and
 * hiding really drops the secret from the client's memory.
 */
async function secretReducer(previous: View, formData: FormData): Promise<View> {
  const intent = formData.get("intent") as Intent | null;
  if (intent === "reveal") return { intent, result: await revealWebhookSecretAction(null, formData) };
  if (intent === "rotate") return { intent, result: await rotateWebhookSecretAction(null, formData) };
  return null;
}

function SecretField({ secret, onHide }: { secret: string; onHide: () => void }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor="webhook-secret" className="text-sm font-medium">
        Signing secret
      </label>
      <div className="flex flex-wrap items-center gap-2 sm:flex-nowrap">
        <input
          id="webhook-secret"
          readOnly
          value={secret}
          data-testid="webhook-secret"
          spellCheck={false}
          autoComplete="off"
          className="h-9 w-full min-w-0 rounded-md border bg-muted px-3 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <CopyButton value={secret} label="Copy secret" />
        <Button type="button" size="sm" variant="ghost" onClick={onHide}>
          <EyeOff className="size-4" aria-hidden /> Hide
        </Button>
      </div>
    </div>
  );
}

export function SigningSecretPanel() {
  const [view, dispatch, pending] = useActionState(secretReducer, null);
  const [pendingIntent, setPendingIntent] = useState<Intent | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const submit = (intent: Intent) => {
    const formData = new FormData();
    formData.set("intent", intent);
    setPendingIntent(intent);
    startTransition(() => dispatch(formData));
  };
  const shown = view?.result.ok ? view.result.data.secret : null;
  const failed = view && !view.result.ok ? view.result.message : null;
  const busy = (intent: Intent) => pending && pendingIntent === intent;

  return (
    <div className="space-y-4">
      {view?.intent === "rotate" && view.result.ok && (
        <Alert variant="warning">
          <TriangleAlert aria-hidden />
          <AlertTitle>Secret rotated — update your agents now</AlertTitle>
          <AlertDescription>
            Deliveries sent from now on, retries of earlier ones included, are signed with this new secret only. Agents still verifying with the old one will
            reject them until they switch.
          </AlertDescription>
        </Alert>
      )}
      {failed && (
        <Alert variant="destructive">
          <AlertDescription>{failed}</AlertDescription>
        </Alert>
      )}
      {shown && <SecretField secret={shown} onHide={() => submit("hide")} />}
      <div className="flex flex-wrap gap-2">
        {!shown && (
          <Button type="button" variant="outline" disabled={pending} aria-disabled={pending} onClick={() => submit("reveal")}>
            {busy("reveal") ? <Spinner className="size-4" /> : <Eye className="size-4" aria-hidden />}
            {busy("reveal") ? "Revealing…" : "Reveal secret"}
          </Button>
        )}
        <Dialog open={confirmOpen} onOpenChange={setConfirmOpen}>
          <DialogTrigger asChild>
            <Button type="button" variant="outline" disabled={pending} aria-disabled={pending}>
              {busy("rotate") ? <Spinner className="size-4" /> : <RefreshCw className="size-4" aria-hidden />}
              {busy("rotate") ? "Rotating…" : "Rotate secret"}
            </Button>
          </DialogTrigger>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Rotate the signing secret?</DialogTitle>
              <DialogDescription>
                A new secret replaces the current one at once, with no overlap: every delivery from now on, including retries of messages already queued,
                is signed with the new secret. Agents that still verify with the old secret will reject those deliveries until you give them the new one.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button
                type="button"
                variant="destructive"
                onClick={() => {
                  setConfirmOpen(false);
                  submit("rotate");
                }}
              >
                Rotate secret
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      </div>
      <p aria-live="polite" className="sr-only">
        {pending ? "" : view?.result.ok ? (view.intent === "rotate" ? "Secret rotated; the new secret is shown." : "Secret revealed.") : ""}
      </p>
    </div>
  );
}
