"use client";

import { useActionState, useState } from "react";
import { KeyRound, TriangleAlert } from "lucide-react";
import { FormStatus } from "@/components/forms/form-status";
import { SubmitButton } from "@/components/forms/submit-button";
import { TextField } from "@/components/forms/text-field";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { echoed, echoedAll } from "@/lib/errors/action-result";
import { createApiKeyAction } from "@/lib/actions/api-keys";
import { scopeOptions } from "./scopes";

/** The new key, shown once: the server keeps only its hash, so closing the dialog loses it for good. */
function RevealedKey({ name, value }: { name: string; value: string }) {
  return (
    <div className="space-y-4">
      <Alert variant="warning">
        <TriangleAlert aria-hidden />
        <AlertTitle>Copy this key now — it won&apos;t be shown again</AlertTitle>
        <AlertDescription>
          We store only a hash of it. If it&apos;s lost, create a new key and revoke this one. Keep it in your agent&apos;s secret store, never in code.
        </AlertDescription>
      </Alert>
      <div className="space-y-1.5">
        <p className="text-sm font-medium" id="new-api-key-label">
          API key for {name}
        </p>
        <div className="flex items-center gap-2">
          <input
            readOnly
            value={value}
            aria-labelledby="new-api-key-label"
            data-testid="new-api-key"
            spellCheck={false}
            className="h-9 w-full min-w-0 rounded-md border bg-muted px-3 font-mono text-xs"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={value} label="Copy key" />
        </div>
      </div>
      <p className="text-xs text-muted-foreground">
        Agents send it on every request as <code className="rounded bg-muted px-1 py-0.5 font-mono whitespace-nowrap">Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <DialogFooter>
        <DialogClose asChild>
          <Button type="button">Done</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}

function CreateApiKeyContent() {
  const [state, action, pending] = useActionState(createApiKeyAction, null);
  const revealed = state?.ok ? state.data : null;
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;
  // After a failed submission, the scopes that were ticked; on first render, an agent's.
  const checked = echoedAll(state, "scopes") ?? scopeOptions.filter((s) => s.agent).map((s) => s.value);
  const scopeErrors = fieldErrors?.scopes ?? Object.entries(fieldErrors ?? {}).find(([k]) => k.startsWith("scopes."))?.[1];
  return (
    <DialogContent
      className="sm:max-w-xl"
      // A stray click outside must not throw away a key that is shown only once.
      onInteractOutside={(e) => {
        if (revealed) e.preventDefault();
      }}
    >
      <DialogHeader>
        <DialogTitle>{revealed ? "API key created" : "Create an API key"}</DialogTitle>
        <DialogDescription>
          {revealed
            ? `"${revealed.name}" can call the API now, within its scopes.`
            : "A key acts for your whole organization within its scopes. Create one per agent, so you can revoke one without stopping the others."}
        </DialogDescription>
      </DialogHeader>
      {revealed ? (
        <RevealedKey name={revealed.name} value={revealed.key} />
      ) : (
        <form action={action} className="space-y-4" noValidate>
          <FormStatus state={state && !state.ok && !fieldErrors ? state : null} />
          <TextField
            name="name"
            label="Name"
            hint="Which agent or system uses it, e.g. “Refund agent (production)”."
            required
            maxLength={100}
            autoFocus
            autoComplete="off"
            defaultValue={echoed(state, "name")}
            errors={fieldErrors?.name}
          />
          <fieldset className="space-y-2" aria-describedby={scopeErrors ? "api-key-scopes-error" : undefined}>
            <legend className="mb-2 text-sm font-medium">Scopes</legend>
            {scopeOptions.map((scope) => {
              const id = `api-key-scope-${scope.value.replace(":", "-")}`;
              return (
                <div key={scope.value} className="flex items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40">
                  <input
                    id={id}
                    type="checkbox"
                    name="scopes"
                    value={scope.value}
                    defaultChecked={checked.includes(scope.value)}
                    aria-describedby={`${id}-description`}
                    className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary"
                  />
                  <div className="space-y-0.5">
                    <label htmlFor={id} className="block cursor-pointer font-mono text-sm">
                      {scope.value}
                    </label>
                    <p id={`${id}-description`} className="text-xs text-muted-foreground">
                      {scope.description}
                    </p>
                  </div>
                </div>
              );
            })}
            {scopeErrors && <FieldError id="api-key-scopes-error" messages={scopeErrors} />}
          </fieldset>
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="outline">
                Cancel
              </Button>
            </DialogClose>
            <SubmitButton pending={pending} pendingLabel="Creating key…">
              Create key
            </SubmitButton>
          </DialogFooter>
        </form>
      )}
    </DialogContent>
  );
}

export function CreateApiKeyDialog() {
  const [open, setOpen] = useState(false);
  // A fresh form (and action state) each time the dialog opens, so a shown key is gone once closed.
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
          <KeyRound className="size-4" aria-hidden /> Create API key
        </Button>
      </DialogTrigger>
      {open && <CreateApiKeyContent key={generation} />}
    </Dialog>
  );
}
