import { z } from "zod";
import { firstValues } from "./search-params";

/** The analytics pages' URL state: a window of days ending today (UTC) and an optional workspace. Junk falls back to the defaults. */
export const rangeDays = [7, 28, 90] as const;

export const AnalyticsParams = z.object({
  days: z.coerce
    .number()
    .pipe(z.union(rangeDays.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<7>, z.ZodLiteral<28>, z.ZodLiteral<90>]))
    .default(28)
    .catch(28),
  workspace: z.uuid().optional().catch(undefined),
});
export type AnalyticsParams = z.output<typeof AnalyticsParams>;

export function parseAnalyticsParams(searchParams: Record<string, string | string[] | undefined>): AnalyticsParams {
  return AnalyticsParams.parse(firstValues(searchParams));
}

/** The inclusive UTC date range of the last `days` days, today included. */
export function rangeOf(days: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - (days - 1) * 24 * 3600_000).toISOString().slice(0, 10);
  return { from, to };
}

export const ModeChangeForm = z.object({
  taskTypeKey: z.string().regex(/^[a-z0-9._-]{1,100}$/, "Unknown task type"),
  direction: z.enum(["apply", "rollback"]),
});

export const AutoStepDownForm = z.object({ enabled: z.enum(["on", "off"]) });
