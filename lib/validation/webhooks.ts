import { z } from "zod";

/**
 * The events an organization endpoint may subscribe to, in the order the form lists them. The same
 * names as the `webhook_events` of the schema; `review.cancelled` is offered too because it is sent.
 */
export const endpointEvents = ["review.created", "review.decided", "review.expired", "review.cancelled", "task_type.mode_changed"] as const;
export type EndpointEvent = (typeof endpointEvents)[number];

export const endpointEventDescriptions: Record<EndpointEvent, string> = {
  "review.created": "An agent submitted an item, including items approved automatically.",
  "review.decided": "An item was approved, edited and approved, or rejected, by a person or automatically.",
  "review.expired": "An item reached its expiry undecided; the agent must not act on it.",
  "review.cancelled": "The agent cancelled an item before anyone decided it.",
  "task_type.mode_changed": "A task type moved to another mode, by an admin or by an automatic step-down.",
};

/** How long a rotated-out secret keeps signing, so receivers can switch without dropping deliveries. */
export const ROTATION_OVERLAP_HOURS = 24;

/** Failing this long with no success in between, an endpoint is disabled by the delivery worker. */
export const AUTO_DISABLE_AFTER_DAYS = 3;

const EndpointId = z.uuid({ error: "Unknown endpoint." });

const Description = z.string().trim().max(200, "Keep the description under 200 characters.").default("");

/** At least one, each once, in the form's order (so an audit diff doesn't show a reordering as a change). */
const Events = z
  .array(z.enum(endpointEvents, { error: "Unknown event." }), { error: "Choose at least one event." })
  .min(1, "Choose at least one event.")
  .transform((events) => endpointEvents.filter((e) => events.includes(e)));

/**
 * The URL's shape only; whether it may be sent to (https, public address, allow-list) needs DNS and
 * the environment, and is decided by `createWebhookEndpoint` (lib/webhooks/endpoints.ts).
 */
const EndpointUrl = z
  .string({ error: "Enter the endpoint's URL." })
  .trim()
  .min(1, "Enter the endpoint's URL.")
  .max(2048, "The URL is longer than 2048 characters.")
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "Enter a full URL starting with https://.");

export const CreateWebhookEndpointInput = z.object({ url: EndpointUrl, description: Description, events: Events });
export type CreateWebhookEndpointInput = z.output<typeof CreateWebhookEndpointInput>;

export const UpdateWebhookEndpointInput = z.object({ id: EndpointId, description: Description, events: Events });
export type UpdateWebhookEndpointInput = z.output<typeof UpdateWebhookEndpointInput>;

export const WebhookEndpointRef = z.object({ id: EndpointId });

export const SetWebhookEndpointEnabledInput = z.object({ id: EndpointId, enabled: z.enum(["true", "false"]).transform((v) => v === "true") });

export const RetryWebhookDeliveryInput = z.object({ id: z.uuid({ error: "Unknown delivery." }) });
