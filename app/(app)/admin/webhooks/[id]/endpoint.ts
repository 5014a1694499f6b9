import "server-only";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getWebhookEndpoint, type WebhookEndpointRow } from "@/db/queries/webhook-endpoints";
import { requirePageScope } from "@/lib/auth/session";
import type { Scope } from "@/db/scope";
import { isAppError } from "@/lib/errors";
import { isUuid } from "@/lib/data/uuid";

/** The admin's scope and the endpoint; not a uuid, unknown, or another organization's: the same 404. */
export async function endpointOr404(id: string): Promise<{ scope: Scope; endpoint: WebhookEndpointRow }> {
  const scope = await requirePageScope("webhooks.manage");
  if (!isUuid(id)) notFound();
  try {
    return { scope, endpoint: await getWebhookEndpoint(getDb(), scope, { id }) };
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  }
}
