import { LATENCY_EDGES_MS, medianLatencyMs } from "@/lib/data/rollup-buckets";
import { daysOfData, evaluateReadiness, stepUpSavings, wilsonInterval, type CriteriaOverrides, type Readiness, type ReadinessCriteria, type ReadinessPolicy } from "@/lib/readiness";

/**
 * From rollup totals to what the analytics pages show: rates with their interval, medians, and the
 * readiness verdict. Pure, so the overview, the task type page and the CSV export agree.
 */

/** A task type's rollup totals over some days (db/queries/analytics adds the rows up). */
export type Totals = {
  submitted: number;
  approved: number;
  edited: number;
  rejected: number;
  autoApproved: number;
  expired: number;
  decided: number;
  timeOnItemMsSum: number;
  timeOnItemCount: number;
  confidenceDecided: number[];
  confidenceAccepted: number[];
  latencyBuckets: number[];
  slaBreached: number;
  firstDay: string | null;
  lastDay: string | null;
};

/** What these views read of a task type summary (`SummaryForView` in db/queries/analytics has all of it). */
export type SummaryForView = {
  taskType: {
    key: string;
    name: string;
    workspace: { name: string };
    classified: boolean;
    mode: ReadinessPolicy["mode"];
    previousMode: ReadinessPolicy["previousMode"];
    modeSince: Date;
    reversible: boolean;
    dataClass: ReadinessPolicy["dataClass"];
    amountLimit: string | null;
    amountCurrency: string | null;
    readinessOverrides: CriteriaOverrides | null;
  };
  range: Totals;
  sinceMode: Totals;
  recent?: Totals;
  firstDecisionAt?: Date | null;
  rubberStamp?: { reviewers: number; approvals: number } | null;
  excludeFlaggedApprovals?: boolean;
  shareOverAmountLimit: number | null;
  orgCriteria?: Partial<ReadinessCriteria> | null;
};

export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Items that reached an end in the period: decided by a person, auto-approved, or expired. */
export const volumeOf = (t: Totals) => Math.max(t.submitted, t.decided + t.autoApproved + t.expired);

/**
 * Readiness as every page, the mode-change action and the automatic step-down judge it: days from the
 * first person decision's timestamp in the current mode, step-down on the recent window.
 */
export function readinessOf(s: SummaryForView, now: Date): Readiness {
  const t = s.sinceMode;
  const days = daysOfData({ modeSince: s.taskType.modeSince, firstDecisionAt: s.firstDecisionAt ?? null, now });
  const recent = s.recent ?? null;
  return evaluateReadiness({
    recent: recent ? { approved: recent.approved, edited: recent.edited, rejected: recent.rejected } : null,
    modeAgeDays: Math.max(0, Math.floor((now.getTime() - s.taskType.modeSince.getTime()) / 86_400_000)),
    rubberStamp: s.rubberStamp ?? null,
    excludeFlaggedApprovals: s.excludeFlaggedApprovals === true,
    policy: {
      mode: s.taskType.mode,
      previousMode: s.taskType.previousMode,
      reversible: s.taskType.reversible,
      dataClass: s.taskType.dataClass,
      amountLimit: s.taskType.amountLimit === null ? null : Number(s.taskType.amountLimit),
      amountCurrency: s.taskType.amountCurrency,
      shareOverAmountLimit: s.shareOverAmountLimit,
    },
    counts: { approved: t.approved, edited: t.edited, rejected: t.rejected },
    days,
    criteria: s.orgCriteria,
    overrides: s.taskType.readinessOverrides,
    calibration: {
      decided: t.confidenceDecided,
      accepted: t.confidenceAccepted,
      totalItems: volumeOf(t),
      periodDays: Math.max(1, days),
      meanTimeOnItemMs: t.timeOnItemCount > 0 ? t.timeOnItemMsSum / t.timeOnItemCount : null,
      decidedTotal: t.decided,
    },
  });
}

export type OverviewRow = {
  key: string;
  name: string;
  workspace: string;
  mode: string;
  classified: boolean;
  volume: number;
  decided: number;
  autoApproved: number;
  acceptance: number | null;
  lower: number | null;
  upper: number | null;
  editRate: number | null;
  rejectRate: number | null;
  medianMs: number | null;
  slaBreached: number;
  readiness: { kind: Readiness["recommendation"]["kind"]; status: Readiness["status"]; sentence: string; checks: { label: string; met: boolean }[]; rubberStamp: string | null };
};

export function overviewRow(s: SummaryForView, now: Date): OverviewRow {
  const r = s.range;
  const interval = r.decided > 0 ? wilsonInterval(r.approved, r.decided) : null;
  const readiness = readinessOf(s, now);
  return {
    key: s.taskType.key,
    name: s.taskType.name,
    workspace: s.taskType.workspace.name,
    mode: s.taskType.mode,
    classified: s.taskType.classified,
    volume: volumeOf(r),
    decided: r.decided,
    autoApproved: r.autoApproved,
    acceptance: ratio(r.approved, r.decided),
    lower: interval?.lower ?? null,
    upper: interval?.upper ?? null,
    editRate: ratio(r.edited, r.decided),
    rejectRate: ratio(r.rejected, r.decided),
    medianMs: medianLatencyMs(r.latencyBuckets),
    slaBreached: r.slaBreached,
    readiness: {
      kind: readiness.recommendation.kind,
      status: readiness.status,
      sentence: readiness.sentence,
      checks: readiness.checks.map((c) => ({ label: c.label, met: c.met })),
      rubberStamp: readiness.rubberStamp?.sentence ?? null,
    },
  };
}

/** Labels of the time-to-decision buckets: "< 1 min", "1–5 min", …, "> 3 d". */
export function latencyBucketLabels(): string[] {
  const fmt = (ms: number) => (ms < 3600_000 ? `${ms / 60_000} min` : ms < 86_400_000 ? `${ms / 3600_000} h` : `${ms / 86_400_000} d`);
  return [`< ${fmt(LATENCY_EDGES_MS[0])}`, ...LATENCY_EDGES_MS.slice(1).map((edge, i) => `${fmt(LATENCY_EDGES_MS[i])}–${fmt(edge)}`), `> ${fmt(LATENCY_EDGES_MS[LATENCY_EDGES_MS.length - 1])}`];
}

type DayRow = { day: string; approved: number; edited: number; rejected: number; autoApproved: number; expired: number };

/** Monday of the UTC week a day falls in. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const offset = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Acceptance per week with its 95% interval (weeks with no human decision are left out). The week that
 * holds `today` isn't over: a few days of it would read as a full week's swing, so it is left out.
 */
export function weeklyAcceptance(rows: DayRow[], today?: string) {
  const weeks = new Map<string, { approved: number; decided: number }>();
  const current = today ? weekOf(today) : null;
  for (const r of rows) {
    if (weekOf(r.day) === current) continue;
    const w = weeks.get(weekOf(r.day)) ?? { approved: 0, decided: 0 };
    w.approved += r.approved;
    w.decided += r.approved + r.edited + r.rejected;
    weeks.set(weekOf(r.day), w);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .filter(([, w]) => w.decided > 0)
    .map(([day, w]) => {
      const interval = wilsonInterval(w.approved, w.decided);
      return { day, acceptance: w.approved / w.decided, band: interval ? ([interval.lower, interval.upper] as [number, number]) : null, decided: w.decided };
    });
}

/** Outcomes per day, every mode together, oldest first. */
export function dailyOutcomes(rows: DayRow[]) {
  const days = new Map<string, { day: string; approved: number; edited: number; rejected: number; autoApproved: number; expired: number }>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { day: r.day, approved: 0, edited: 0, rejected: 0, autoApproved: 0, expired: 0 };
    d.approved += r.approved;
    d.edited += r.edited;
    d.rejected += r.rejected;
    d.autoApproved += r.autoApproved;
    d.expired += r.expired;
    days.set(r.day, d);
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
}

/** Acceptance and decisions per confidence decile, each marked when its acceptance is below `target`. */
export function calibrationPoints(t: Totals, target = 1) {
  return t.confidenceDecided.map((decided, i) => {
    const acceptance = decided > 0 ? t.confidenceAccepted[i] / decided : null;
    return {
      bucket: `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`,
      from: i / 10,
      acceptance,
      decided,
      belowTarget: acceptance !== null && acceptance < target - 1e-9,
    };
  });
}

/** Whether a suggested threshold sits on the lowest confidence anyone reviewed: nothing below it to compare with. */
export function thresholdAtLowestSeen(t: Pick<Totals, "confidenceDecided">, threshold: number | null): boolean {
  if (threshold === null) return false;
  const lowest = t.confidenceDecided.findIndex((n) => n > 0);
  return lowest !== -1 && Math.round(threshold * 10) <= lowest;
}

export function latencyPoints(t: Totals) {
  const labels = latencyBucketLabels();
  return t.latencyBuckets.map((decisions, i) => ({ bucket: labels[i], decisions }));
}

const percentOf = (share: number | null) => (share === null ? "—" : `${(share * 100).toFixed(1)}%`);
const countOf = (n: number) => n.toLocaleString("en-US");
const modeWords: Record<string, string> = { approve_before_action: "approve-before-action", review_after_draft: "review-after-draft", flag_on_exception: "flag-on-exception" };

/**
 * What readiness counted, labelled with its own window, apart from the period a manager picked:
 * "Since review-after-draft began 41 days ago: 98.9% accepted of 612 decisions." In flag_on_exception
 * the step-down window comes first, then the whole mode for context.
 */
export function readinessWindowLines(r: Readiness, mode: string, modeAgeDays: number): string[] {
  const age = modeAgeDays === 0 ? "today" : `${countOf(modeAgeDays)} ${modeAgeDays === 1 ? "day" : "days"} ago`;
  const since = `Since ${modeWords[mode] ?? mode} began ${age}: ${percentOf(r.sinceMode.acceptance)} accepted of ${countOf(r.sinceMode.decided)} ${mode === "flag_on_exception" ? "escalated and audited decisions" : "decisions"}.`;
  if (r.window.kind !== "recent") return [since];
  const label = r.window.label.charAt(0).toUpperCase() + r.window.label.slice(1);
  return [`${label} (what step-down watches): ${percentOf(r.stats.acceptance)} accepted of ${countOf(r.stats.decided)} escalated and audited decisions, ${countOf(r.criteria.minAuditSample)} needed to judge.`, since];
}

/** The chosen period's figures, labelled with the period: "Last 7 days (2026-03-06 to 2026-03-12): 91.3% accepted of 230 decided by a person." */
export function periodLine(range: { from: string; to: string; custom?: boolean }, t: Totals): string {
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000) + 1;
  const name = range.custom ? `${range.from} to ${range.to}` : `Last ${days} days (${range.from} to ${range.to})`;
  return `${name}: ${percentOf(ratio(t.approved, t.decided))} accepted of ${countOf(t.decided)} decided by a person, ${countOf(t.autoApproved)} auto-approved.`;
}

/** "about 3.5 hours", "about 40 minutes". */
function hoursText(hours: number): string {
  if (hours < 1) return `about ${Math.max(1, Math.round(hours * 60))} minutes`;
  return `about ${hours < 10 ? hours.toFixed(1) : Math.round(hours).toLocaleString("en-US")} hours`;
}

/**
 * What stepping up would save, from the period's figures at the suggested threshold: reviewer hours a
 * week and agents' waiting time (median time to decision × items that would no longer wait).
 */
export function stepUpSavingsLines(r: Readiness, range: { from: string; to: string }, period: Totals): string[] {
  const threshold = r.threshold && r.threshold.threshold !== null ? r.threshold : null;
  if (!threshold) return ["No confidence threshold can be suggested yet, so the savings can't be estimated."];
  const days = Math.round((Date.parse(range.to) - Date.parse(range.from)) / 86_400_000) + 1;
  const savings = stepUpSavings({
    automatedShare: threshold.automatedShare,
    periodItems: volumeOf(period),
    periodDays: days,
    meanTimeOnItemMs: period.timeOnItemCount > 0 ? period.timeOnItemMsSum / period.timeOnItemCount : null,
    medianWaitMs: medianLatencyMs(period.latencyBuckets),
  });
  if (!savings) return ["This period has no items to estimate the savings from."];
  const lines = [`At confidence ≥ ${threshold.threshold.toFixed(1)}, about ${Math.round(savings.itemsPerWeek).toLocaleString("en-US")} items a week would no longer wait for a person (from this period's ${volumeOf(period).toLocaleString("en-US")} items over ${days} days).`];
  lines.push(savings.reviewerHoursPerWeek === null ? "Reviewer time saved: not measured in this period." : `Reviewer time saved: ${hoursText(savings.reviewerHoursPerWeek)} a week.`);
  lines.push(savings.waitHoursPerWeek === null ? "Agents' waiting time saved: no decisions to measure it in this period." : `Agents' waiting time saved: ${hoursText(savings.waitHoursPerWeek)} a week (median time to decision × those items).`);
  return lines;
}
