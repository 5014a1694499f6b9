export type ClaimSettings = {
  url: string;
  scopes: Array<{ organizationId: string; userId: string }>;
  callers: number;
  warmup: number;
  duration: number;
  leaseMinutes: number;
};
export type ClaimSummary = {
  seconds: number;
  claims: number;
  claimsPerSec: number;
  p50ms: number | null;
  p99ms: number | null;
  maxMs: number | null;
  empty: number;
  errors: number;
  firstError: string | null;
  perSecond: number[];
};
export function settings(): ClaimSettings;
export function runClaimers(cfg: Pick<ClaimSettings, "callers" | "warmup" | "duration">, claim: (i: number) => Promise<unknown>): Promise<ClaimSummary>;
export function report(summary: ClaimSummary): void;
