"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Pause, Play, RefreshCw, Send, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import {
  deleteWebhookEndpointAction,
  rotateWebhookEndpointSecretAction,
  sendWebhookEndpointTestAction,
  setWebhookEndpointEnabledAction,
} from "@/lib/actions/webhooks";
import { SecretOnce } from "./secret-once";
import { useEndpointAction } from "./use-endpoint-action";

const untilFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function SendTestButton({ id, disabled }: { id: string; disabled: boolean }) {
  const { pending, run } = useEndpointAction();
  return (
    <Button
      variant="outline"
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
      title={disabled ? "Enable the endpoint to send a test event" : undefined}
      onClick={() => run(sendWebhookEndpointTestAction, { id })}
    >
      {pending ? <Spinner className="size-4" /> : <Send className="size-4" aria-hidden />}
      {pending ? "Sending…" : "Send test event"}
    </Button>
  );
}

/** Confirm, then the new secret, once, in the same dialog; closing it loses the secret. */
export function RotateSecretButton({ id, overlapHours, inOverlap }: { id: string; overlapHours: number; inOverlap: boolean }) {
  const { pending, run } = useEndpointAction();
  const [open, setOpen] = useState(false);
  const [rotated, setRotated] = useState<{ secret: string; until: string } | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setRotated(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="outline" disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <RefreshCw className="size-4" aria-hidden />}
          Rotate secret
        </Button>
      </DialogTrigger>
      <DialogContent
        className="sm:max-w-xl"
        onInteractOutside={(e) => {
          if (rotated) e.preventDefault();
        }}
      >
        <DialogHeader>
          <DialogTitle>{rotated ? "Secret rotated" : "Rotate this endpoint's secret?"}</DialogTitle>
          <DialogDescription>
            {rotated
              ? `Deliveries now carry two signatures: one with the new secret and one with the previous secret, until ${untilFormat.format(new Date(rotated.until))} UTC.`
              : `A new secret signs every delivery from now on. For ${overlapHours} hours the current secret keeps signing too, so your receiver can switch without rejecting anything.`}
          </DialogDescription>
        </DialogHeader>
        {rotated ? (
          <div className="space-y-4">
            <SecretOnce secret={rotated.secret} label="New signing secret" note="Give it to your receiver before the overlap ends; after that, only this secret signs." />
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <>
            {inOverlap && (
              <p className="text-sm text-warning">
                A previous rotation is still in its overlap: the oldest secret stops signing at once, and only the current and the new secret sign.
              </p>
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="outline">
                  Cancel
                </Button>
              </DialogClose>
              <Button
                type="button"
                disabled={pending}
                onClick={() =>
                  run(rotateWebhookEndpointSecretAction, { id }, (result) => {
                    if (result.ok) setRotated({ secret: result.data.secret, until: result.data.previousSecretExpiresAt });
                    else setOpen(false);
                  })
                }
              >
                {pending && <Spinner className="size-4" />}
                {pending ? "Rotating…" : "Rotate secret"}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

export function ToggleEndpointButton({ id, enabled }: { id: string; enabled: boolean }) {
  const { pending, run } = useEndpointAction();
  const [open, setOpen] = useState(false);
  if (!enabled) {
    return (
      <Button variant="outline" disabled={pending} onClick={() => run(setWebhookEndpointEnabledAction, { id, enabled: "true" })}>
        {pending ? <Spinner className="size-4" /> : <Play className="size-4" aria-hidden />}
        {pending ? "Enabling…" : "Enable"}
      </Button>
    );
  }
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <Pause className="size-4" aria-hidden />}
          {pending ? "Disabling…" : "Disable"}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Disable this endpoint?</DialogTitle>
          <DialogDescription>
            No new events are sent to it, and deliveries still queued for it fail when they come due. Events that happen while it is disabled are not sent later.
            You can enable it again at any time.
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
              setOpen(false);
              run(setWebhookEndpointEnabledAction, { id, enabled: "false" });
            }}
          >
            Disable endpoint
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function DeleteEndpointButton({ id, url }: { id: string; url: string }) {
  const router = useRouter();
  const { pending, run } = useEndpointAction();
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline" className="text-destructive hover:text-destructive" disabled={pending}>
          {pending ? <Spinner className="size-4" /> : <Trash2 className="size-4" aria-hidden />}
          {pending ? "Deleting…" : "Delete"}
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Delete this endpoint?</DialogTitle>
          <DialogDescription>
            Nothing more is sent to <span className="font-mono break-all">{url}</span>, its queued deliveries are dropped and its delivery log is deleted. The
            audit log keeps a record. This can&apos;t be undone.
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
              setOpen(false);
              run(deleteWebhookEndpointAction, { id }, (result) => {
                if (result.ok) router.push("/admin/webhooks");
              });
            }}
          >
            Delete endpoint
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
