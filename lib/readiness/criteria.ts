import type { DataClass, Floor, Mode } from "@/lib/policy";
import { formatCount, formatMeasured, formatPercent, formatTarget } from "./format";
import { atLeast, ratio, shareOrNull, wholeCount } from "./numbers";
import { wilsonInterval, type Interval } from "./wilson";

/**
 * The readiness criteria and the checklist a task type is measured against before it may step up to
 * `flag_on_exception` (DESIGN.md, "Autonomy readiness"). Everything is counted over human decisions
 * made since the task type's current mode began; the caller passes those counts in.
 */

/** The thresholds readiness is judged by. Org-wide, with the first three overridable per task type. */
export type ReadinessCriteria = {
  /** Human decisions needed in the current mode. */
  minDecisions: number;
  /** Observed acceptance needed, and the target every other check is measured against. */
  targetAcceptance: number;
  /** Whole days of production data needed in the current mode. */
  minDays: number;
  /** How far below the target the 95% Wilson lower bound may sit (0.02: two points). */
  wilsonMargin: number;
  /** Reviewed items at or above a confidence threshold needed before it is suggested. */
  minThresholdSample: number;
  /** Escalated and audited decisions needed before a `flag_on_exception` type can be stepped down. */
  minAuditSample: number;
  /** Share of items over the amount limit from which the amount floor blocks a step up. */
  amountBlockShare: number;
  /** The recent window, in whole UTC days (today included, 7–28), a `flag_on_exception` type is watched over. */
  stepDownWindowDays: number;
};

/** A task type's own overrides, as stored in `task_types.readiness_overrides`. */
export type CriteriaOverrides = { minDecisions?: number; targetAcceptance?: number; minDays?: number };

export const DEFAULT_CRITERIA: ReadinessCriteria = {
  minDecisions: 500,
  targetAcceptance: 0.98,
  minDays: 28,
  wilsonMargin: 0.02,
  minThresholdSample: 100,
  minAuditSample: 30,
  amountBlockShare: 0.5,
  stepDownWindowDays: 14,
};

/** The step-down window an organization may choose, in days. */
export const STEP_DOWN_WINDOW_BOUNDS = { min: 7, max: 28 } as const;

type Validator = (value: unknown) => number | null;

/** Whole counts round up, so a setting of 27.5 days asks for 28 rather than 27. */
const count: Validator = (v) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : null);
const target: Validator = (v) => (typeof v === "number" && v > 0 && v <= 1 ? v : null);
const windowDays: Validator = (v) =>
  typeof v === "number" && Number.isInteger(v) && v >= STEP_DOWN_WINDOW_BOUNDS.min && v <= STEP_DOWN_WINDOW_BOUNDS.max ? v : null;
const margin: Validator = (v) => (typeof v === "number" && v >= 0 && v < 1 ? v : null);

const validators: Record<keyof ReadinessCriteria, Validator> = {
  minDecisions: count,
  targetAcceptance: target,
  minDays: count,
  wilsonMargin: margin,
  minThresholdSample: count,
  minAuditSample: count,
  amountBlockShare: target,
  stepDownWindowDays: windowDays,
};

/**
 * The criteria in force for one task type: the defaults, then the organization's settings, then the
 * task type's overrides. A value that isn't usable (NaN, a negative count, a target outside (0, 1]) is
 * skipped, so a broken setting falls back to the layer beneath it instead of loosening anything.
 */
export function resolveCriteria(org?: Partial<ReadinessCriteria> | null, overrides?: CriteriaOverrides | null): ReadinessCriteria {
  const resolved = { ...DEFAULT_CRITERIA };
  for (const layer of [org ?? {}, overrides ?? {}] as Partial<Record<keyof ReadinessCriteria, unknown>>[]) {
    for (const key of Object.keys(validators) as (keyof ReadinessCriteria)[]) {
      const value = validators[key](layer[key]);
      if (value !== null) resolved[key] = value;
    }
  }
  return resolved;
}

/** Human decisions by outcome. An edit is not an acceptance: the AI's output wasn't right as proposed. */
export type DecisionCounts = { approved: number; edited: number; rejected: number };

/** Acceptance and the rates beside it; every share is null when nobody has decided anything yet. */
export type AcceptanceStats = {
  decided: number;
  approved: number;
  edited: number;
  rejected: number;
  /** Approved unchanged ÷ decided. */
  acceptance: number | null;
  editRate: number | null;
  rejectRate: number | null;
  /** 95% Wilson interval of acceptance. */
  interval: Interval | null;
};

/** Acceptance, edit and rejection rates and the interval, from counts read as whole non-negative numbers. */
export function acceptanceStats(counts: DecisionCounts): AcceptanceStats {
  const approved = wholeCount(counts.approved);
  const edited = wholeCount(counts.edited);
  const rejected = wholeCount(counts.rejected);
  const decided = approved + edited + rejected;
  return {
    decided,
    approved,
    edited,
    rejected,
    acceptance: ratio(approved, decided),
    editRate: ratio(edited, decided),
    rejectRate: ratio(rejected, decided),
    interval: wilsonInterval(approved, decided),
  };
}

const DAY_MS = 86_400_000;

/**
 * Whole days of data in the current mode: from the later of the mode's start and its first human
 * decision, to now. A task type registered 60 days ago whose first decision came yesterday has one
 * day of data, not 60; with no decision yet it has none. Partial days don't count (27.9 is 27).
 */
export function daysOfData(input: { modeSince: Date; firstDecisionAt: Date | null; now: Date }): number {
  if (input.firstDecisionAt === null) return 0;
  const start = Math.max(input.modeSince.getTime(), input.firstDecisionAt.getTime());
  return wholeCount((input.now.getTime() - start) / DAY_MS);
}

/** What readiness needs to know about a task type's policy. */
export type ReadinessPolicy = {
  mode: Mode;
  /** The mode it came from, where a step down returns to; approve_before_action when unknown. */
  previousMode?: Mode | null;
  reversible: boolean;
  dataClass: DataClass;
  amountLimit: number | null;
  /** Only for the wording of the amount limit ("over 500 USD"). */
  amountCurrency?: string | null;
  /** Share of the period's items whose amount was over the limit; null or absent when unknown. */
  shareOverAmountLimit?: number | null;
};

/** The floors in reading order, as the routing names them. */
export const floorLabels: Record<Floor, string> = { irreversible: "irreversible", phi: "PHI write", amount: "amount limit" };

/** Every hard floor the task type carries, blocking or not. */
export function taskTypeFloors(policy: ReadinessPolicy): Floor[] {
  const floors: Floor[] = [];
  if (!policy.reversible) floors.push("irreversible");
  if (policy.dataClass === "phi") floors.push("phi");
  if (policy.amountLimit !== null && policy.amountLimit !== undefined) floors.push("amount");
  return floors;
}

/**
 * The floors that rule out `flag_on_exception` for the whole task type. Irreversible actions and PHI
 * writes always do (DESIGN.md; the mode change refuses them on the server too). An amount limit is a
 * per-item floor: items over it go to a person in every mode, so it blocks only when at least
 * `amountBlockShare` (default half) of recent items were over it — then stepping up would automate
 * little while the recommendation claimed otherwise. An unknown share doesn't block: each item over the
 * limit is still floored by the routing, whatever the mode.
 */
export function blockingFloors(policy: ReadinessPolicy, criteria: Pick<ReadinessCriteria, "amountBlockShare">): Floor[] {
  return taskTypeFloors(policy).filter((floor) => {
    if (floor !== "amount") return true;
    const share = shareOrNull(policy.shareOverAmountLimit);
    return share !== null && atLeast(share, criteria.amountBlockShare);
  });
}

export type CriterionKey = "decisions" | "acceptance" | "days" | "lowerBound" | "floors" | "auditSample" | "upperBound";

/** One line of the readiness checklist: met or not, the numbers, how far off, and a readable label. */
export type Criterion = {
  key: CriterionKey;
  met: boolean;
  /** The measured value; null when there is nothing to measure yet. */
  actual: number | null;
  required: number;
  /** How far from `required` (decisions, days or share points), 0 when met; null when unmeasured. */
  gap: number | null;
  /** "312 / 500 decisions", "97.1% / 98%", "19 / 28 days", "blocked: PHI write". */
  label: string;
};

/** A "reach at least" check on a share, such as acceptance or the Wilson lower bound. */
export function shareCheck(key: CriterionKey, actual: number | null, required: number, prefix = ""): Criterion {
  const met = actual !== null && atLeast(actual, required);
  const gap = actual === null ? null : met ? 0 : required - actual;
  return { key, met, actual, required, gap, label: `${prefix}${formatMeasured(actual, required, met)} / ${formatTarget(required)}` };
}

/** A "reach at least" check on a whole count, such as decisions or days. */
export function countCheck(key: CriterionKey, actual: number, required: number, unit: string): Criterion {
  const met = actual >= required;
  return { key, met, actual, required, gap: met ? 0 : required - actual, label: `${formatCount(actual)} / ${formatCount(required)} ${unit}` };
}

/** The amount limit as written in labels: "500.00 USD", or "the amount limit" when it isn't a number. */
export function amountLimitText(policy: ReadinessPolicy): string {
  const limit = policy.amountLimit;
  if (typeof limit !== "number" || !Number.isFinite(limit)) return "the amount limit";
  return `${limit.toFixed(2)}${policy.amountCurrency ? ` ${policy.amountCurrency}` : ""}`;
}

/**
 * The floors line: "no floor", "blocked: PHI write", or the per-item amount note. Its `actual` is the
 * number of blocking floors and `required` is 0; there is no gap to close, only a policy to change.
 */
export function floorsCheck(policy: ReadinessPolicy, blockedBy: Floor[]): Criterion {
  const met = blockedBy.length === 0;
  const share = shareOrNull(policy.shareOverAmountLimit);
  const blockedLabel = blockedBy
    .map((floor) => (floor === "amount" && share !== null ? `amount limit (${formatPercent(share)} of items over ${amountLimitText(policy)})` : floorLabels[floor]))
    .join(", ");
  const label = !met ? `blocked: ${blockedLabel}` : taskTypeFloors(policy).includes("amount") ? `items over ${amountLimitText(policy)} stay with a person` : "no floor";
  return { key: "floors", met, actual: blockedBy.length, required: 0, gap: null, label };
}

/** The step-up checklist, in the order the page lists it. */
export function stepUpChecks(stats: AcceptanceStats, days: number, policy: ReadinessPolicy, criteria: ReadinessCriteria): Criterion[] {
  return [
    countCheck("decisions", stats.decided, criteria.minDecisions, "decisions"),
    shareCheck("acceptance", stats.acceptance, criteria.targetAcceptance),
    countCheck("days", wholeCount(days), criteria.minDays, "days"),
    shareCheck("lowerBound", stats.interval?.lower ?? null, Math.max(0, criteria.targetAcceptance - criteria.wilsonMargin), "lower bound "),
    floorsCheck(policy, blockingFloors(policy, criteria)),
  ];
}
