"use client";

import { useActionState, useState } from "react";
import Link from "next/link";
import { Plus } from "lucide-react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { echoed, echoedAll } from "@/lib/errors/action-result";
import { createWebhookEndpointAction } from "@/lib/actions/webhooks";
import { EndpointEventsFieldset } from "./endpoint-events-fieldset";
import { SecretOnce } from "./secret-once";

const defaultEvents = ["review.decided", "review.expired"];

function AddEndpointContent() {
  const [state, action, pending] = useActionState(createWebhookEndpointAction, null);
  const created = state?.ok ? state.data : null;
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const eventErrors = fieldErrors?.events ?? Object.entries(fieldErrors ?? {}).find(([k]) => k.startsWith("events."))?.[1];
  return (
    <DialogContent
      className="sm:max-w-xl"
      // A stray click outside must not throw away a secret that is shown only once.
      onInteractOutside={(e) => {
        if (created) e.preventDefault();
      }}
    >
      <DialogHeader>
        <DialogTitle>{created ? "Endpoint added" : "Add a webhook endpoint"}</DialogTitle>
        <DialogDescription>
          {created ? (
            <>
              Events are sent to <span className="font-mono break-all">{created.url}</span> from now on, signed with this secret.
            </>
          ) : (
            "Countersign posts each subscribed event to this URL, signed per Standard Webhooks with a secret of the endpoint's own."
          )}
        </DialogDescription>
      </DialogHeader>
      {created ? (
        <div className="space-y-4">
          <SecretOnce secret={created.secret} label="Signing secret" note="Verify the webhook-signature header with it, over the raw body, before you parse the JSON." />
          <DialogFooter>
            <Button asChild variant="outline">
              <Link href={`/admin/webhooks/${created.id}`}>Open the endpoint</Link>
            </Button>
            <DialogClose asChild>
              <Button type="button">Done</Button>
            </DialogClose>
          </DialogFooter>
        </div>
      ) : (
        <form action={action} className="space-y-4" noValidate>
          <FormStatus state={state && !state.ok && !fieldErrors ? state : null} />
          <TextField
            name="url"
            label="URL"
            type="url"
            inputMode="url"
            placeholder="https://hooks.example.com/countersign"
            hint="https only. Private, loopback and link-local addresses are refused."
            required
            autoFocus
            autoComplete="off"
            spellCheck={false}
            maxLength={2048}
            defaultValue={echoed(state, "url")}
            errors={fieldErrors?.url}
          />
          <TextField
            name="description"
            label="Description (optional)"
            hint="What receives it, e.g. “Ops event bus (production)”."
            maxLength={200}
            autoComplete="off"
            defaultValue={echoed(state, "description")}
            errors={fieldErrors?.description}
          />
          <EndpointEventsFieldset idPrefix="add-endpoint" checked={echoedAll(state, "events") ?? defaultEvents} errors={eventErrors} />
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton pending={pending} pendingLabel="Adding endpoint…">
              Add endpoint
            </SubmitButton>
          </DialogFooter>
        </form>
      )}
    </DialogContent>
  );
}

export function AddEndpointDialog() {
  const [open, setOpen] = useState(false);
  // A fresh form (and action state) each time the dialog opens, so a shown secret is gone once closed.
  const [generation, setGeneration] = useState(0);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setGeneration((g) => g + 1);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Plus className="size-4" aria-hidden /> Add endpoint
        </Button>
      </DialogTrigger>
      {open && <AddEndpointContent key={generation} />}
    </Dialog>
  );
}
