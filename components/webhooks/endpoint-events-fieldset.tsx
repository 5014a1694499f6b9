import { FieldError } from "@/components/ui/field-error";
import { endpointEventDescriptions, endpointEvents } from "@/lib/validation/webhooks";

/** The event checkboxes of the add and edit forms; `idPrefix` keeps ids unique when both are on a page. */
export function EndpointEventsFieldset({ idPrefix, checked, errors }: { idPrefix: string; checked: readonly string[]; errors?: string[] }) {
  const errorId = errors?.length ? `${idPrefix}-events-error` : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={errorId}>
      <legend className="mb-2 text-sm font-medium">Events</legend>
      {endpointEvents.map((event) => {
        const id = `${idPrefix}-event-${event.replace(/[._]/g, "-")}`;
        return (
          <div key={event} className="flex items-start gap-3 rounded-md border p-3 has-[:checked]:border-primary/50 has-[:checked]:bg-accent/40">
            <input
              id={id}
              type="checkbox"
              name="events"
              value={event}
              defaultChecked={checked.includes(event)}
              aria-describedby={`${id}-description`}
              className="mt-0.5 size-4 shrink-0 cursor-pointer accent-primary"
            />
            <div className="space-y-0.5">
              <label htmlFor={id} className="block cursor-pointer font-mono text-sm">
                {event}
              </label>
              <p id={`${id}-description`} className="text-xs text-muted-foreground">
                {endpointEventDescriptions[event]}
              </p>
            </div>
          </div>
        );
      })}
      {errorId && <FieldError id={errorId} messages={errors} />}
    </fieldset>
  );
}
