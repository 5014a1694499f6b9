"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  deleteWebhookEndpoint,
  retryWebhookDelivery,
  rotateWebhookEndpointSecret,
  sendWebhookEndpointTest,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "@/db/queries/webhook-endpoints";
import { revealOrganizationWebhookSecret, rotateOrganizationWebhookSecret } from "@/db/queries/webhooks";
import { env } from "@/lib/config/env";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import {
  CreateWebhookEndpointInput,
  RetryWebhookDeliveryInput,
  ROTATION_OVERLAP_HOURS,
  SetWebhookEndpointEnabledInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointRef,
} from "@/lib/validation/webhooks";

/** Both actions take nothing from the form: the organization comes from the session, never the request. */
const NoInput = z.object({});

export const revealWebhookSecretAction = scopedAction("webhooks.manage", NoInput, async (_input, { db, scope }) => {
  const secret = await revealOrganizationWebhookSecret(db, scope);
  return ok({ secret });
});

export const rotateWebhookSecretAction = scopedAction("webhooks.manage", NoInput, async (_input, { db, scope }) => {
  const secret = await rotateOrganizationWebhookSecret(db, scope);
  // Nothing on the page shows the secret server-side, so there is nothing to revalidate.
  return ok({ secret }, "Secret rotated. Every delivery from now on, retries included, is signed with it: update your agents now.");
});

function refresh(endpointId?: string) {
  revalidatePath("/admin/webhooks");
  if (endpointId) revalidatePath(`/admin/webhooks/${endpointId}`);
}

export const createWebhookEndpointAction = scopedAction(
  "webhooks.manage",
  CreateWebhookEndpointInput,
  async (input, { db, scope }) => {
    const { id, secret } = await createWebhookEndpoint(db, scope, input, { allowlist: env().WEBHOOK_ALLOWLIST });
    refresh();
    // The only time the secret leaves the server: the dialog shows it once and keeps no copy.
    return ok({ id, secret, url: input.url });
  },
  { arrays: ["events"] },
);

export const updateWebhookEndpointAction = scopedAction(
  "webhooks.manage",
  UpdateWebhookEndpointInput,
  async (input, { db, scope }) => {
    const { changed } = await updateWebhookEndpoint(db, scope, input);
    refresh(input.id);
    return ok(undefined, changed ? "Endpoint saved." : "Nothing changed.");
  },
  { arrays: ["events"] },
);

export const setWebhookEndpointEnabledAction = scopedAction("webhooks.manage", SetWebhookEndpointEnabledInput, async (input, { db, scope }) => {
  await setWebhookEndpointEnabled(db, scope, input);
  refresh(input.id);
  return ok(undefined, input.enabled ? "Endpoint enabled. New events are sent to it again." : "Endpoint disabled. Nothing more is sent to it until you enable it.");
});

export const deleteWebhookEndpointAction = scopedAction("webhooks.manage", WebhookEndpointRef, async (input, { db, scope }) => {
  await deleteWebhookEndpoint(db, scope, input);
  refresh();
  return ok(undefined, "Endpoint deleted.");
});

export const rotateWebhookEndpointSecretAction = scopedAction("webhooks.manage", WebhookEndpointRef, async (input, { db, scope }) => {
  const { secret, previousSecretExpiresAt } = await rotateWebhookEndpointSecret(db, scope, input);
  refresh(input.id);
  return ok(
    { secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
    `Secret rotated. The previous one keeps signing for ${ROTATION_OVERLAP_HOURS} hours.`,
  );
});

export const sendWebhookEndpointTestAction = scopedAction("webhooks.manage", WebhookEndpointRef, async (input, { db, scope }) => {
  const { messageId } = await sendWebhookEndpointTest(db, scope, input);
  refresh(input.id);
  return ok({ messageId }, "Test event queued. It appears in the delivery log below within seconds.");
});

export const retryWebhookDeliveryAction = scopedAction("webhooks.manage", RetryWebhookDeliveryInput, async (input, { db, scope }) => {
  await retryWebhookDelivery(db, scope, input);
  revalidatePath("/admin/webhooks", "layout");
  return ok(undefined, "Retry queued. It is sent within seconds.");
});
