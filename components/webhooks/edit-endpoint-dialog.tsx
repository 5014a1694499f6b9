"use client";

import { useActionState, useEffect, useState } from "react";
import { Pencil } from "lucide-react";
import { toast } from "sonner";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { echoed, echoedAll } from "@/lib/errors/action-result";
import { updateWebhookEndpointAction } from "@/lib/actions/webhooks";
import { EndpointEventsFieldset } from "./endpoint-events-fieldset";

type Endpoint = { id: string; url: string; description: string; events: string[] };

function EditEndpointForm({ endpoint, onDone }: { endpoint: Endpoint; onDone: () => void }) {
  const [state, action, pending] = useActionState(updateWebhookEndpointAction, null);
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  const eventErrors = fieldErrors?.events ?? Object.entries(fieldErrors ?? {}).find(([k]) => k.startsWith("events."))?.[1];
  useEffect(() => {
    if (!state?.ok) return;
    toast.success(state.message ?? "Saved.");
    onDone();
  }, [state, onDone]);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="id" value={endpoint.id} />
      <FormStatus state={state && !state.ok && !fieldErrors ? state : null} />
      <TextField
        name="description"
        id="edit-endpoint-description"
        label="Description (optional)"
        maxLength={200}
        autoComplete="off"
        defaultValue={echoed(state, "description") ?? endpoint.description}
        errors={fieldErrors?.description}
      />
      <EndpointEventsFieldset idPrefix="edit-endpoint" checked={echoedAll(state, "events") ?? endpoint.events} errors={eventErrors} />
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button" variant="outline">
            Cancel
          </Button>
        </DialogClose>
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save changes
        </SubmitButton>
      </DialogFooter>
    </form>
  );
}

export function EditEndpointDialog({ endpoint }: { endpoint: Endpoint }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="outline">
          <Pencil className="size-4" aria-hidden /> Edit
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Edit endpoint</DialogTitle>
          <DialogDescription>
            The URL stays <span className="font-mono break-all">{endpoint.url}</span>; to send elsewhere, add a new endpoint (it gets its own secret).
          </DialogDescription>
        </DialogHeader>
        {open && <EditEndpointForm endpoint={endpoint} onDone={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}
