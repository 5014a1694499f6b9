import { z } from "zod";
import { utcDay } from "@/lib/data/dates";
import { firstValues } from "./search-params";

/**
 * The analytics pages' URL state: a window of days ending today (UTC), or a custom range of days, an
 * optional workspace, and on the overview which view and what counts as a fast approval. Junk falls
 * back to the defaults.
 */
export const rangeDays = [7, 28, 90] as const;
/** Seconds under which an unchanged approval counts as fast (the edges the reviewer rollups keep). */
export const fastSecondsOptions = [2, 5, 10, 30] as const;
/** The longest custom range, so one URL can't ask for years of rollups. */
export const MAX_RANGE_DAYS = 366;

const IsoDay = z.iso.date();

export const AnalyticsParams = z.object({
  days: z.coerce
    .number()
    .pipe(z.union(rangeDays.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<7>, z.ZodLiteral<28>, z.ZodLiteral<90>]))
    .default(28)
    .catch(28),
  from: IsoDay.optional().catch(undefined),
  to: IsoDay.optional().catch(undefined),
  workspace: z.uuid().optional().catch(undefined),
  view: z.enum(["task-types", "reviewers"]).default("task-types").catch("task-types"),
  fast: z.coerce
    .number()
    .pipe(z.union(fastSecondsOptions.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<2>, z.ZodLiteral<5>, z.ZodLiteral<10>, z.ZodLiteral<30>]))
    .default(5)
    .catch(5),
});
export type AnalyticsParams = z.output<typeof AnalyticsParams>;

export function parseAnalyticsParams(searchParams: Record<string, string | string[] | undefined>): AnalyticsParams {
  return AnalyticsParams.parse(firstValues(searchParams));
}

/** The inclusive UTC date range of the last `days` days, today included. */
export function rangeOf(days: number, now = new Date()): { from: string; to: string } {
  const to = utcDay(now);
  const from = utcDay(new Date(now.getTime() - (days - 1) * 24 * 3600_000));
  return { from, to };
}

const DAY_MS = 24 * 3600_000;

/**
 * The range the page shows: a custom `from`–`to` when both are given (in order, ending no later than
 * today, at most MAX_RANGE_DAYS long — a longer one keeps its end), else the last `days` days.
 */
export function rangeFor(params: Pick<AnalyticsParams, "days" | "from" | "to">, now = new Date()): { from: string; to: string; custom: boolean } {
  const today = utcDay(now);
  if (!params.from || !params.to) return { ...rangeOf(params.days, now), custom: false };
  let [from, to] = params.from <= params.to ? [params.from, params.to] : [params.to, params.from];
  if (to > today) to = today;
  if (from > to) from = to;
  const earliest = utcDay(new Date(Date.parse(to) - (MAX_RANGE_DAYS - 1) * DAY_MS));
  if (from < earliest) from = earliest;
  return { from, to, custom: true };
}

/** The URL of a view: only what differs from the defaults, so shared links stay short. */
export function analyticsHref(pathname: string, p: AnalyticsParams): string {
  const q = new URLSearchParams();
  if (p.from && p.to) {
    q.set("from", p.from);
    q.set("to", p.to);
  } else if (p.days !== 28) q.set("days", String(p.days));
  if (p.workspace) q.set("workspace", p.workspace);
  if (p.view !== "task-types") q.set("view", p.view);
  if (p.view === "reviewers" && p.fast !== 5) q.set("fast", String(p.fast));
  return `${pathname}${q.size ? `?${q}` : ""}`;
}

export const ModeChangeForm = z.object({
  taskTypeKey: z.string().regex(/^[a-z0-9._-]{1,100}$/, "Unknown task type"),
  direction: z.enum(["apply", "rollback"]),
  /** The step-up dialog's acknowledgement of a rubber-stamp warning. */
  acknowledged: z.literal("on").optional(),
});

export const AutoStepDownForm = z.object({ enabled: z.enum(["on", "off"]) });
