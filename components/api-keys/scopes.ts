import type { apiKeyScopeValues } from "@/lib/validation/reviews";

export type ApiKeyScopeValue = (typeof apiKeyScopeValues)[number];

/**
 * What each scope lets a key do, in the words the create dialog and the list use. `agent`: what an
 * agent submitting reviews needs, ticked when the dialog opens; reading the audit chain is asked for.
 */
export const scopeOptions: ReadonlyArray<{ value: ApiKeyScopeValue; description: string; agent: boolean }> = [
  { value: "reviews:write", description: "Submit and cancel reviews.", agent: true },
  { value: "reviews:read", description: "Read reviews and task types, and wait for decisions.", agent: true },
  { value: "audit:read", description: "Read the audit chain's head, to keep it outside Countersign as an anchor.", agent: false },
];

export const scopeDescription = (scope: string): string | undefined => scopeOptions.find((s) => s.value === scope)?.description;
