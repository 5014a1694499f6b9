/**
 * Retry schedule: after the n-th failed attempt, wait RETRY_DELAYS_SECONDS[n - 1]. Eight attempts in
 * all, the last about 27.6 hours after the first (5 s + 5 min + 30 min + 2 h + 5 h + 10 h + 10 h), so a
 * receiver that is down for a working day still gets every message; then the delivery is `failed`.
 * Fixed delays, no jitter: the worker's claim limit already spreads a burst of retries over ticks.
 */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600] as const;

export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** When to try again after `attemptsMade` attempts (counting the one that just failed); null to give up. */
export function nextAttemptAfter(attemptsMade: number, from: Date): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attemptsMade - 1];
  if (attemptsMade < 1 || delay === undefined) return null;
  return new Date(from.getTime() + delay * 1000);
}
