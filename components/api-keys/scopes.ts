import type { apiKeyScopeValues } from "@/lib/validation/reviews";

export type ApiKeyScopeValue = (typeof apiKeyScopeValues)[number];

/** What each scope lets an agent do, in the words the create dialog and the list use. */
export const scopeOptions: ReadonlyArray<{ value: ApiKeyScopeValue; description: string }> = [
  { value: "reviews:write", description: "Submit and cancel reviews." },
  { value: "reviews:read", description: "Read reviews and task types, and wait for decisions." },
  { value: "audit:read", description: "Read the audit chain's head, to keep it outside Countersign as an anchor." },
];

export const scopeDescription = (scope: string): string | undefined => scopeOptions.find((s) => s.value === scope)?.description;
