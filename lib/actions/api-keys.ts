"use server";

import { revalidatePath } from "next/cache";
import { createApiKey, revokeApiKey } from "@/db/queries/api-keys";
import { ok, scopedAction } from "@/lib/auth/server-action";
import { RevokeApiKeyInput } from "@/lib/validation/api-keys";
import { ApiKeyInput } from "@/lib/validation/reviews";

export const createApiKeyAction = scopedAction(
  "apiKeys.manage",
  ApiKeyInput,
  async (input, { db, scope }) => {
    const { id, key, prefix } = await createApiKey(db, scope, input);
    revalidatePath("/admin/api-keys");
    // The only time the key leaves the server: the dialog shows it once and keeps no copy.
    return ok({ id, key, prefix, name: input.name });
  },
  { arrays: ["scopes"] },
);

export const revokeApiKeyAction = scopedAction("apiKeys.manage", RevokeApiKeyInput, async (input, { db, scope }) => {
  await revokeApiKey(db, scope, input);
  revalidatePath("/admin/api-keys");
  return ok(undefined, "Key revoked. Agents using it now get 401.");
});
