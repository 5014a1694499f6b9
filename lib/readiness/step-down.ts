import type { Mode } from "@/lib/policy";
import { countCheck, shareCheck, type AcceptanceStats, type Criterion, type ReadinessCriteria, type ReadinessPolicy } from "./criteria";
import { atLeast } from "./numbers";

/**
 * Whether a task type running in `flag_on_exception` has stopped earning its autonomy. Acceptance keeps
 * being measured there on the items a person still sees: the escalated ones and the audit sample. The
 * caller passes those decisions' counts for the window it watches.
 */

/**
 * The checks for a `flag_on_exception` type: enough escalated and audited decisions to judge
 * (`minAuditSample`, default 30 — below that one or two rejections would swing the verdict), and the 95%
 * Wilson upper bound of their acceptance at or above the target. An upper bound below the target means
 * even the most generous reading of the data misses it.
 */
export function stepDownChecks(stats: AcceptanceStats, criteria: ReadinessCriteria): Criterion[] {
  return [
    countCheck("auditSample", stats.decided, criteria.minAuditSample, "escalated and audited decisions"),
    shareCheck("upperBound", stats.interval?.upper ?? null, criteria.targetAcceptance, "upper bound "),
  ];
}

/** Conclusively below target: enough decisions, and a Wilson upper bound under the target. */
export function isBelowTarget(stats: AcceptanceStats, criteria: ReadinessCriteria): boolean {
  const upper = stats.interval?.upper;
  return upper !== undefined && stats.decided >= Math.max(1, criteria.minAuditSample) && !atLeast(upper, criteria.targetAcceptance);
}

/** Where a step down goes: the strict mode the task type came from, approve_before_action when unknown. */
export function stepDownMode(policy: Pick<ReadinessPolicy, "previousMode">): Mode {
  return policy.previousMode === "review_after_draft" ? "review_after_draft" : "approve_before_action";
}
