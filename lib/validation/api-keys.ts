import { z } from "zod";

/** The create form is `ApiKeyInput` (lib/validation/reviews.ts), shared with the API contract. */
export const RevokeApiKeyInput = z.object({
  id: z.uuid({ error: "Unknown API key" }),
});
