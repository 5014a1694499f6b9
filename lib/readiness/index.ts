import type { Floor, Mode } from "@/lib/policy";
import {
  acceptanceStats,
  amountLimitText,
  blockingFloors,
  floorLabels,
  floorsCheck,
  resolveCriteria,
  stepUpChecks,
  taskTypeFloors,
  type AcceptanceStats,
  type Criterion,
  type CriterionKey,
  type CriteriaOverrides,
  type DecisionCounts,
  type ReadinessCriteria,
  type ReadinessPolicy,
} from "./criteria";
import { formatAboutPercent, formatCount, formatInterval, formatMeasured, formatPercent, formatReviewTime, formatTarget, plural } from "./format";
import { atLeast, ratio, shareOrNull, wholeCount } from "./numbers";
import { isBelowTarget, stepDownChecks, stepDownMode } from "./step-down";
import { suggestThreshold, type Calibration, type ThresholdSuggestion } from "./threshold";

export { acceptanceStats, blockingFloors, daysOfData, DEFAULT_CRITERIA, resolveCriteria, STEP_DOWN_WINDOW_BOUNDS, stepUpChecks, taskTypeFloors } from "./criteria";
export type { AcceptanceStats, Criterion, CriterionKey, CriteriaOverrides, DecisionCounts, ReadinessCriteria, ReadinessPolicy } from "./criteria";
export { formatInterval, formatPercent, formatTarget } from "./format";
export { DEFAULT_RUBBER_STAMP, rubberStampSignal, rubberStampSignals } from "./reviewers";
export type { ReviewerApprovals, RubberStampOptions, RubberStampSignal } from "./reviewers";
export { isBelowTarget, stepDownChecks, stepDownMode } from "./step-down";
export { CONFIDENCE_DECILES, meetsTarget, suggestThreshold, THRESHOLD_CANDIDATES } from "./threshold";
export type { Calibration, ThresholdSuggestion } from "./threshold";
export { wilsonInterval, Z95 } from "./wilson";
export { stepUpSavings } from "./savings";
export type { StepUpSavings } from "./savings";
export type { Interval } from "./wilson";

/**
 * Autonomy readiness: whether a task type has earned `flag_on_exception`, has lost it, or neither, with
 * the checklist and the one sentence that say why. Pure; the caller reads the counts from the rollups.
 */

export type Recommendation =
  /** Every criterion met: step to flag_on_exception, at the suggested threshold when there is one. */
  | { kind: "step_up"; toMode: "flag_on_exception"; confidenceThreshold: number | null }
  /** Stay in a strict mode: the criteria still missing (with how far), or the floors that block. */
  | { kind: "hold"; missing: Criterion[]; blockedBy: Floor[] }
  /** Leave flag_on_exception: conclusively below target, or a floor it should never have run with. */
  | { kind: "step_down"; toMode: Mode; reason: "below_target" | "floor" }
  /** Already in flag_on_exception and not conclusively below target. */
  | { kind: "none" };

export type ReadinessInput = {
  policy: ReadinessPolicy;
  /**
   * Human decisions since the current mode began. In flag_on_exception, those are the escalated and
   * audit-sampled items (auto-approvals aren't decisions by a person).
   */
  counts: DecisionCounts;
  /** Whole days of data in the current mode (see `daysOfData`). */
  days: number;
  /** The organization's criteria; defaults where absent. */
  criteria?: Partial<ReadinessCriteria> | null;
  /** The task type's overrides (`task_types.readiness_overrides`). */
  overrides?: CriteriaOverrides | null;
  /** Reviewed items by confidence, for the threshold suggestion; only used in the strict modes. */
  calibration?: Calibration | null;
  /**
   * In flag_on_exception: the escalated and audited decisions of the recent window step-down watches
   * (`criteria.stepDownWindowDays` days, today included, within the current mode). Absent: `counts`.
   */
  recent?: DecisionCounts | null;
  /** Whole days since the current mode began, for the label of the counting window. */
  modeAgeDays?: number | null;
  /** Reviewers flagged as rubber-stamping this task type since the mode began, and their unchanged approvals. */
  rubberStamp?: { reviewers: number; approvals: number } | null;
  /** The organization's choice to leave flagged reviewers' approvals out of acceptance. */
  excludeFlaggedApprovals?: boolean;
};

/** Reviewers whose approvals look rubber-stamped, against this type's acceptances since the mode began. */
export type RubberStampWarning = {
  reviewers: number;
  approvals: number;
  /** Their approvals ÷ all unchanged approvals counted; null with none. */
  share: number | null;
  /** Whether those approvals were left out of acceptance (the organization's setting). */
  excluded: boolean;
  /** "1 reviewer's approvals look rubber-stamped: 30% of this type's acceptances." */
  sentence: string;
};

/** The window the verdict was judged over, and how the page labels it. */
export type ReadinessWindow = { kind: "since_mode" | "recent"; days: number; label: string };

/** The verdict in a word or three, as the overview and the admin page show it. */
export type ReadinessStatus = { word: string; tone: "success" | "secondary" | "destructive" | "outline" | "warning" };

export type Readiness = {
  policy: ReadinessPolicy;
  criteria: ReadinessCriteria;
  /** What the verdict is judged on: since the mode began in the strict modes, the recent window in flag_on_exception. */
  stats: AcceptanceStats;
  /** Every human decision since the current mode began (in flag_on_exception, beside the window's). */
  sinceMode: AcceptanceStats;
  window: ReadinessWindow;
  rubberStamp: RubberStampWarning | null;
  status: ReadinessStatus;
  days: number;
  /** Every floor the task type carries, and those that rule out flag_on_exception. */
  floors: Floor[];
  blockedBy: Floor[];
  /** The checklist: step-up criteria in the strict modes, audit health in flag_on_exception. */
  checks: Criterion[];
  /** Null without calibration data, in flag_on_exception, or when a floor blocks. */
  threshold: ThresholdSuggestion | null;
  recommendation: Recommendation;
  /** The recommendation in one sentence. */
  sentence: string;
};

/** Irreversible actions and PHI writes: the floors that hold in every mode for the whole task type. */
const isHardFloor = (floor: Floor) => floor !== "amount";

/**
 * A task type already in flag_on_exception: stepped down when a hard floor applies (it should never
 * have been allowed) or when its escalated and audited decisions are conclusively below target. A share
 * of items over the amount limit doesn't step it down: each of those items already goes to a person.
 */
function evaluateUnattended(policy: ReadinessPolicy, stats: AcceptanceStats, criteria: ReadinessCriteria) {
  const blockedBy = blockingFloors(policy, criteria).filter(isHardFloor);
  const checks = [...stepDownChecks(stats, criteria), floorsCheck(policy, blockedBy)];
  const toMode = stepDownMode(policy);
  const recommendation: Recommendation =
    blockedBy.length > 0
      ? { kind: "step_down", toMode, reason: "floor" }
      : isBelowTarget(stats, criteria)
        ? { kind: "step_down", toMode, reason: "below_target" }
        : { kind: "none" };
  return { blockedBy, checks, threshold: null, recommendation };
}

/** A task type in a strict mode (an unknown mode counts as approve_before_action, as in routing). */
function evaluateStrict(input: ReadinessInput, stats: AcceptanceStats, days: number, criteria: ReadinessCriteria) {
  const { policy } = input;
  const blockedBy = blockingFloors(policy, criteria);
  const checks = stepUpChecks(stats, days, policy, criteria);
  const overLimit = taskTypeFloors(policy).includes("amount") ? (policy.shareOverAmountLimit ?? null) : null;
  const threshold = input.calibration && blockedBy.length === 0 ? suggestThreshold(input.calibration, criteria, overLimit) : null;
  const missing = checks.filter((check) => !check.met);
  const recommendation: Recommendation =
    missing.length === 0
      ? { kind: "step_up", toMode: "flag_on_exception", confidenceThreshold: threshold?.threshold ?? null }
      : { kind: "hold", missing, blockedBy };
  return { blockedBy, checks, threshold, recommendation };
}

/**
 * The rubber-stamp warning, and the counts acceptance is judged on: with `excludeFlaggedApprovals`, the
 * flagged reviewers' unchanged approvals leave both the accepted and the decided counts (they are not
 * evidence either way), so they can't carry a type over the bar.
 */
function rubberStampOf(input: ReadinessInput, counts: DecisionCounts): { warning: RubberStampWarning | null; counts: DecisionCounts } {
  const reviewers = wholeCount(input.rubberStamp?.reviewers);
  const approved = wholeCount(counts.approved);
  const flagged = Math.min(approved, wholeCount(input.rubberStamp?.approvals));
  if (reviewers === 0 || flagged === 0) return { warning: null, counts };
  const share = ratio(flagged, approved);
  const excluded = input.excludeFlaggedApprovals === true;
  const who = reviewers === 1 ? "1 reviewer's approvals look" : `${formatCount(reviewers)} reviewers' approvals look`;
  const sentence = `${who} rubber-stamped: ${share === null ? "—" : formatAboutPercent(share).replace("about ", "")} of this type's acceptances${excluded ? ", left out of acceptance" : ""}.`;
  const warning = { reviewers, approvals: flagged, share, excluded, sentence };
  return { warning, counts: excluded ? { ...counts, approved: approved - flagged } : counts };
}

/** "since review-after-draft began 20 days ago", "in the last 14 days". */
function windowOf(input: ReadinessInput, criteria: ReadinessCriteria): ReadinessWindow {
  if (input.policy.mode === "flag_on_exception" && input.recent) {
    return { kind: "recent", days: criteria.stepDownWindowDays, label: `in the last ${plural(criteria.stepDownWindowDays, "day", "days")}` };
  }
  const age = wholeCount(input.modeAgeDays);
  const mode = modeNames[input.policy.mode] ?? modeNames.approve_before_action;
  const ago = input.modeAgeDays === undefined || input.modeAgeDays === null ? "" : age === 0 ? " today" : ` ${plural(age, "day", "days")} ago`;
  return { kind: "since_mode", days: age, label: `since ${mode} began${ago}` };
}

/** The verdict in a word: "Blocked" for a floor, "Not enough recent reviews" below the window's minimum. */
export function statusOf(r: Pick<Readiness, "recommendation" | "blockedBy" | "stats" | "criteria">): ReadinessStatus {
  const rec = r.recommendation;
  switch (rec.kind) {
    case "step_up":
      return { word: "Ready to step up", tone: "success" };
    case "step_down":
      return { word: "Should step back", tone: "destructive" };
    case "hold":
      return r.blockedBy.length > 0 ? { word: "Blocked", tone: "destructive" } : { word: "Not yet", tone: "secondary" };
    case "none": {
      if (r.stats.decided < Math.max(1, r.criteria.minAuditSample)) return { word: "Not enough recent reviews", tone: "warning" };
      const met = r.stats.acceptance !== null && atLeast(r.stats.acceptance, r.criteria.targetAcceptance);
      return met ? { word: "Healthy", tone: "outline" } : { word: "Watch", tone: "warning" };
    }
  }
}

/** Readiness of one task type: the resolved criteria, the numbers, the checklist and the recommendation. */
export function evaluateReadiness(input: ReadinessInput): Readiness {
  const criteria = resolveCriteria(input.criteria, input.overrides);
  const unattended = input.policy.mode === "flag_on_exception";
  const stamp = rubberStampOf(input, input.counts);
  const sinceMode = acceptanceStats(stamp.counts);
  const stats = unattended && input.recent ? acceptanceStats(input.recent) : sinceMode;
  const days = wholeCount(input.days);
  const result = unattended ? evaluateUnattended(input.policy, stats, criteria) : evaluateStrict(input, stats, days, criteria);
  const window = windowOf(input, criteria);
  const base = { policy: input.policy, criteria, stats, sinceMode, window, rubberStamp: stamp.warning, days, floors: taskTypeFloors(input.policy), ...result };
  const readiness = { ...base, status: statusOf(base) };
  return { ...readiness, sentence: describeRecommendation(readiness) };
}

const modeNames: Record<Mode, string> = {
  approve_before_action: "approve-before-action",
  review_after_draft: "review-after-draft",
  flag_on_exception: "flag-on-exception",
};

/** How each missing criterion reads inside "Not yet: …". */
const missingPhrases: Record<CriterionKey, (label: string) => string> = {
  decisions: (label) => label,
  acceptance: (label) => `${label} accepted`,
  days: (label) => label,
  lowerBound: (label) => `95% CI ${label}`,
  floors: (label) => label,
  auditSample: (label) => label,
  upperBound: (label) => `95% CI ${label}`,
};

/** "(95% CI 97.8–99.5%)". */
function ciText(stats: AcceptanceStats): string {
  return `(95% CI ${stats.interval ? formatInterval(stats.interval) : "—"})`;
}

function describeThreshold(threshold: ThresholdSuggestion | null): string {
  if (threshold === null) return "Step to flag-on-exception.";
  if (threshold.threshold === null) return `Step to flag-on-exception; no confidence threshold can be suggested yet: ${threshold.reason}.`;
  const saving = threshold.minutesSavedPerWeek === null ? "" : `, saving ${formatReviewTime(threshold.minutesSavedPerWeek)} a week`;
  return `Step to flag-on-exception at confidence ≥ ${threshold.threshold.toFixed(1)}: ${formatAboutPercent(threshold.automatedShare)} of items would pass automatically${saving}.`;
}

function describeStepUp(r: Omit<Readiness, "sentence">): string {
  const amount = r.floors.includes("amount") ? ` Items over ${amountLimitText(r.policy)} stay with a person.` : "";
  return `Ready: ${formatCount(r.stats.decided)} decisions over ${plural(r.days, "day", "days")}, ${formatPercent(r.stats.acceptance ?? 0)} accepted ${ciText(r.stats)}. ${describeThreshold(r.threshold)}${amount}`;
}

function describeBlocked(r: Omit<Readiness, "sentence">): string {
  const hard = r.blockedBy.filter(isHardFloor);
  if (hard.length > 0) return `Blocked: ${hard.map((floor) => floorLabels[floor]).join(", ")} — a person always approves first.`;
  const share = formatPercent(shareOrNull(r.policy.shareOverAmountLimit) ?? 1);
  return `Blocked: ${share} of items are over ${amountLimitText(r.policy)} and always go to a person, so flag-on-exception would automate little.`;
}

function describeHold(r: Omit<Readiness, "sentence">, missing: Criterion[]): string {
  if (r.blockedBy.length > 0) return describeBlocked(r);
  if (r.stats.decided === 0) {
    const { minDecisions, minDays, targetAcceptance } = r.criteria;
    return `Not yet: no decisions in this mode; needs ${plural(minDecisions, "decision", "decisions")} over ${plural(minDays, "day", "days")} at ${formatTarget(targetAcceptance)} accepted.`;
  }
  return `Not yet: ${missing.map((check) => missingPhrases[check.key](check.label)).join(", ")}.`;
}

function describeStepDown(r: Omit<Readiness, "sentence">, toMode: Mode, reason: "below_target" | "floor"): string {
  if (reason === "floor") return `Step back to ${modeNames[toMode]}: ${r.blockedBy.map((floor) => floorLabels[floor]).join(", ")} — a person always approves first.`;
  const { stats, criteria } = r;
  const accepted = formatMeasured(stats.acceptance, criteria.targetAcceptance, false);
  return `Step back to ${modeNames[toMode]}: ${accepted} of ${formatCount(stats.decided)} escalated and audited decisions ${r.window.label} accepted ${ciText(stats)}, below the ${formatTarget(criteria.targetAcceptance)} target.`;
}

function describeUnattended(r: Omit<Readiness, "sentence">): string {
  const { stats, criteria } = r;
  if (stats.decided < Math.max(1, criteria.minAuditSample)) {
    return `Not enough recent reviews to judge: ${formatCount(stats.decided)} / ${formatCount(criteria.minAuditSample)} escalated and audited decisions ${r.window.label}.`;
  }
  const of = `of ${formatCount(stats.decided)} escalated and audited decisions ${r.window.label}`;
  const met = stats.acceptance !== null && atLeast(stats.acceptance, criteria.targetAcceptance);
  const accepted = formatMeasured(stats.acceptance, criteria.targetAcceptance, met);
  if (met) return `Healthy: ${accepted} ${of} accepted ${ciText(stats)}.`;
  return `Watch: ${accepted} ${of} accepted, below the ${formatTarget(criteria.targetAcceptance)} target but not conclusively ${ciText(stats)}.`;
}

/** The recommendation in one sentence, as the readiness page and the overview tooltip show it. */
export function describeRecommendation(r: Omit<Readiness, "sentence">): string {
  const rec = r.recommendation;
  switch (rec.kind) {
    case "step_up":
      return describeStepUp(r);
    case "hold":
      return describeHold(r, rec.missing);
    case "step_down":
      return describeStepDown(r, rec.toMode, rec.reason);
    case "none":
      return describeUnattended(r);
  }
}
