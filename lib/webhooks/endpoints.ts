import "server-only";
import type { Db } from "@/db/client";
import { insertWebhookEndpoint } from "@/db/queries/webhook-endpoints";
import type { Scope } from "@/db/scope";
import { AppError } from "@/lib/errors";
import type { CreateWebhookEndpointInput } from "@/lib/validation/webhooks";
import { checkWebhookTarget, type LookupAddresses } from "./ssrf";

export type EndpointTargetOptions = { allowlist: readonly string[]; lookup?: LookupAddresses };

/**
 * Adds an endpoint after the same SSRF checks as item callbacks, plus https (allow-listed development
 * receivers aside). The check resolves DNS, so it runs here rather than in db/. Returns its signing
 * secret: the only time it leaves the server.
 */
export async function createWebhookEndpoint(db: Db, scope: Scope, input: CreateWebhookEndpointInput, options: EndpointTargetOptions): Promise<{ id: string; secret: string }> {
  const verdict = await checkWebhookTarget(input.url, { ...options, requireHttps: true });
  if (!verdict.ok) throw new AppError("invalid", "This URL can't receive webhooks.", { fieldErrors: { url: [verdict.reason] } });
  return insertWebhookEndpoint(db, scope, input);
}
