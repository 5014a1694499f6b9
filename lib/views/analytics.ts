import { LATENCY_EDGES_MS, medianLatencyMs } from "@/lib/data/rollup-buckets";
import { daysOfData, evaluateReadiness, wilsonInterval, type CriteriaOverrides, type Readiness, type ReadinessCriteria, type ReadinessPolicy } from "@/lib/readiness";

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

/** What these views read of a task type summary (`TaskTypeSummary` in db/queries/analytics has all of it). */
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
  shareOverAmountLimit: number | null;
  orgCriteria?: Partial<ReadinessCriteria> | null;
};

export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Items that reached an end in the period: decided by a person, auto-approved, or expired. */
export const volumeOf = (t: Totals) => Math.max(t.submitted, t.decided + t.autoApproved + t.expired);

export function readinessOf(s: SummaryForView, now: Date): Readiness {
  const t = s.sinceMode;
  const days = daysOfData({ modeSince: s.taskType.modeSince, firstDecisionAt: t.firstDay ? new Date(`${t.firstDay}T00:00:00Z`) : null, now });
  return evaluateReadiness({
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
  readiness: { kind: Readiness["recommendation"]["kind"]; sentence: string; checks: { label: string; met: boolean }[] };
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
    readiness: { kind: readiness.recommendation.kind, sentence: readiness.sentence, checks: readiness.checks.map((c) => ({ label: c.label, met: c.met })) },
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

/** Acceptance per week with its 95% interval (weeks with no human decision are left out). */
export function weeklyAcceptance(rows: DayRow[]) {
  const weeks = new Map<string, { approved: number; decided: number }>();
  for (const r of rows) {
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

/** Acceptance per confidence decile. */
export function calibrationPoints(t: Totals) {
  return t.confidenceDecided.map((decided, i) => ({
    bucket: `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`,
    from: i / 10,
    acceptance: decided > 0 ? t.confidenceAccepted[i] / decided : null,
    decided,
  }));
}

export function latencyPoints(t: Totals) {
  const labels = latencyBucketLabels();
  return t.latencyBuckets.map((decisions, i) => ({ bucket: labels[i], decisions }));
}
