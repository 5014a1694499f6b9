"use server";

import { z } from "zod";
import { revealOrganizationWebhookSecret, rotateOrganizationWebhookSecret } from "@/db/queries/webhooks";
import { ok, scopedAction } from "@/lib/server-action";

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
