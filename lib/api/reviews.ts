import "server-only";
import type { Executor } from "@/db/client";
import { submitReview } from "@/db/queries/reviews";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { ReviewSubmission } from "@/lib/validation/reviews";
import { checkWebhookTarget } from "@/lib/webhooks/ssrf";
import { parseWith } from "./body";
import type { ApiScope } from "./handler";
import { requestFingerprint, runIdempotently, type StoredResponse } from "./idempotency";

/** Refuses callback targets on private, loopback and link-local addresses (the allow-list aside). */
async function checkCallbackUrl(url: string | undefined): Promise<void> {
  if (!url) return;
  const verdict = await checkWebhookTarget(url, { allowlist: env().WEBHOOK_ALLOWLIST });
  if (!verdict.ok) throw new AppError("invalid", "The callbackUrl can't be used.", { fieldErrors: { callbackUrl: [verdict.reason] } });
}

/** One submission, as POST /reviews and each batch item run it: validate, check the callback, submit (idempotently when keyed). */
export async function submitOne(db: Executor, scope: ApiScope, body: unknown, idempotencyKey: string | undefined): Promise<StoredResponse> {
  const input = parseWith(ReviewSubmission, body, "The submission has invalid fields.");
  await checkCallbackUrl(input.callbackUrl);
  if (!idempotencyKey) {
    const resource = await submitReview(db, scope, input);
    return { status: 201, body: JSON.stringify(resource), replayed: false };
  }
  return runIdempotently(db, scope, idempotencyKey, requestFingerprint("POST /api/v1/reviews", body), async (store) => {
    let body = "";
    await submitReview(db, scope, input, {
      onCommit: async (tx, resource) => {
        body = JSON.stringify(resource);
        await store(tx, 201, body);
      },
    });
    return { status: 201, body };
  });
}
