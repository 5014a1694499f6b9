import "server-only";
import { hashApiKey } from "@/db/queries/api-keys";
import type { SubmissionLookup, SubmissionTaskType } from "@/lib/submissions/statements";
import type { WebhookEvent } from "@/db/schema";

/**
 * Per instance and API key: what the key's last lookup read — its organization, the task types it
 * submitted to with their digests, the subscribed webhook events — so its next submissions are planned
 * without a lookup of their own. Never trusted: their write is guarded (`SubmissionGuard`) and checks
 * all of it; a guard that fails forgets the key here and the request takes the lookup. Keyed by the
 * key's hash, bounded, and entries expire.
 */
export type KnownSubmitter = {
  organizationId: string;
  apiKeyId: string;
  taskTypes: Map<string, SubmissionTaskType>;
  taskTypeDigests: Map<string, string>;
  subscribedEvents: Set<WebhookEvent>;
};

const MAX_KEYS = 1000;
const TTL_MS = 60_000;
const known = new Map<string, KnownSubmitter & { expires: number }>();

export function knownSubmitter(presentedKey: string, now = Date.now()): KnownSubmitter | undefined {
  const hash = hashApiKey(presentedKey);
  const entry = known.get(hash);
  if (entry && entry.expires <= now) known.delete(hash);
  return entry && entry.expires > now ? entry : undefined;
}

/** Remembers what a lookup for the key read; task types read before (same organization) are kept. */
export function rememberSubmitter(
  presentedKey: string,
  key: { organizationId: string; apiKeyId: string },
  lookup: Pick<SubmissionLookup, "taskTypes" | "taskTypeDigests" | "subscribedEvents">,
  now = Date.now(),
): void {
  const hash = hashApiKey(presentedKey);
  const before = known.get(hash);
  const same = before && before.organizationId === key.organizationId && before.apiKeyId === key.apiKeyId;
  known.delete(hash);
  if (known.size >= MAX_KEYS) known.delete(known.keys().next().value!);
  known.set(hash, {
    ...key,
    taskTypes: new Map([...(same ? before.taskTypes : []), ...lookup.taskTypes]),
    taskTypeDigests: new Map([...(same ? before.taskTypeDigests : []), ...lookup.taskTypeDigests]),
    subscribedEvents: new Set(lookup.subscribedEvents),
    expires: now + TTL_MS,
  });
}

export function forgetSubmitter(presentedKey: string): void {
  known.delete(hashApiKey(presentedKey));
}
