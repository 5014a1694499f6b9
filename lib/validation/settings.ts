import { z } from "zod";

/**
 * The organization settings form. Bounds are the product's, not the database's: a lease shorter than a
 * minute or longer than two hours, or a readiness bar nobody could meet, is refused with a field error.
 */

export const LEASE_MINUTES = { min: 1, max: 120 } as const;
export const READINESS_BOUNDS = {
  minDecisions: { min: 1, max: 100_000 },
  targetPercent: { min: 50, max: 100 },
  minDays: { min: 0, max: 365 },
  stepDownWindowDays: { min: 7, max: 28 },
} as const;

/** A number typed into a form: empty is "required", not zero. */
const numberField = (label: string, bounds: { min: number; max: number }, options: { integer?: boolean } = {}) =>
  z
    .string({ error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .transform(Number)
    .pipe(
      z
        .number({ error: `Enter ${label} as a number.` })
        .refine((n) => !options.integer || Number.isInteger(n), `Enter a whole number.`)
        .refine((n) => n >= bounds.min && n <= bounds.max, `Enter a value from ${bounds.min} to ${bounds.max.toLocaleString("en-US")}.`),
    );

export const OrganizationSettingsForm = z
  .object({
    autoRegisterTaskTypes: z.enum(["on"]).optional(),
    leaseMinutes: numberField("the lease length in minutes", LEASE_MINUTES, { integer: true }),
    minDecisions: numberField("the number of decisions", READINESS_BOUNDS.minDecisions, { integer: true }),
    targetAcceptance: numberField("the target acceptance", READINESS_BOUNDS.targetPercent),
    minDays: numberField("the number of days", READINESS_BOUNDS.minDays, { integer: true }),
    stepDownWindowDays: numberField("the step-down window in days", READINESS_BOUNDS.stepDownWindowDays, { integer: true }),
    excludeFlaggedApprovals: z.enum(["on"]).optional(),
  })
  .transform((f) => ({
    autoRegisterTaskTypes: f.autoRegisterTaskTypes === "on",
    leaseMinutes: f.leaseMinutes,
    readinessDefaults: {
      minDecisions: f.minDecisions,
      // Typed as a percentage, stored as a share; four decimals keep 98.5% exact.
      targetAcceptance: Math.round(f.targetAcceptance * 100) / 10_000,
      minDays: f.minDays,
      stepDownWindowDays: f.stepDownWindowDays,
    },
    excludeFlaggedApprovals: f.excludeFlaggedApprovals === "on",
  }));
export type OrganizationSettingsInput = z.output<typeof OrganizationSettingsForm>;
