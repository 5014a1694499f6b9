import "server-only";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { isWellFormedApiKey } from "@/lib/security/api-key-format";
import { hashPassword } from "@/lib/security/password";
import { actionHashOf } from "@/lib/client/action-hash";
import { utcDay } from "@/lib/data/dates";
import { encryptSecret } from "@/lib/security/crypto";
import { approvalsNeededFor } from "@/lib/policy/two-person";
import { confidenceDecile, LATENCY_BUCKETS, latencyBucket } from "@/lib/data/rollup-buckets";
import type { Db, Executor } from "./client";
import { insertApiKey } from "./queries/api-keys";
import { appendAudit } from "./queries/audit";
import { createRng, type Rng } from "./seed/rng";
import { DAY, REJECTION_NOTES, REJECTION_REASONS, SPECS, type Item, type TaskTypeSpec, type WorkspaceKey } from "./seed/specs";
import { insertRecountedRollups } from "./queries/rollups";
import {
  apiKeys,
  dailyRollups,
  taskTypeModeChanges,
  decisions,
  memberships,
  organizations,
  reviews,
  taskTypes,
  users,
  workspaceMembers,
  workspaces,
  type Mode,
  type Outcome,
  type Priority,
  type Role,
} from "./schema";

/**
 * The demo organization: six weeks of plausible history so the queue, analytics and readiness pages
 * have something true to say on first start — between its task types, every readiness state (ready,
 * short of decisions, below target, blocked by a floor or by the amount limit, healthy and regressing
 * in flag_on_exception). Everything is derived from seeded PRNGs (one per task type) and `now`, so two
 * runs against empty databases produce the same content (row ids aside); the history depends on `now`
 * only through its dates and which of them fall on weekends.
 */

export const DEMO_ORG_SLUG = "acme";
export const DEMO_ORG_NAME = "Acme Health & Home";
export const DEMO_PASSWORD = "countersign";
export const DEMO_API_KEY_NAME = "Demo agent";
/**
 * The demo organization's agent key and webhook signing secret when DEMO_API_KEY / DEMO_WEBHOOK_SECRET
 * are unset. Published demo data, like the demo password: set your own (or revoke the key) anywhere
 * reachable by others.
 */
export const DEMO_API_KEY = "cs_live_demo_countersign_acme_0000000000000000";
export const DEMO_WEBHOOK_SECRET = "whsec_Y291bnRlcnNpZ24tZGVtby13ZWJob29rLXNlY3JldCE=";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const HISTORY_DAYS = 42;
const BATCH = 500;

export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; role: Role; workspaces: WorkspaceKey[] }> = [
  { email: "admin@acme.test", name: "Avery Admin", role: "admin", workspaces: ["clinical", "ops"] },
  { email: "manager@acme.test", name: "Morgan Manager", role: "manager", workspaces: ["clinical", "ops"] },
  { email: "reviewer@acme.test", name: "Riley Reviewer", role: "reviewer", workspaces: ["clinical", "ops"] },
  { email: "clinician@acme.test", name: "Casey Clinician", role: "reviewer", workspaces: ["clinical"] },
  { email: "sam.ortiz@acme.test", name: "Sam Ortiz", role: "reviewer", workspaces: ["ops"] },
  { email: "priya.nair@acme.test", name: "Priya Nair", role: "reviewer", workspaces: ["clinical"] },
  { email: "jordan.lee@acme.test", name: "Jordan Lee", role: "reviewer", workspaces: ["clinical", "ops"] },
];

// Who decides historical items in each workspace, and how often.
const DECIDERS: Record<WorkspaceKey, ReadonlyArray<[email: string, weight: number]>> = {
  clinical: [
    ["clinician@acme.test", 0.38],
    ["reviewer@acme.test", 0.27],
    ["priya.nair@acme.test", 0.22],
    ["jordan.lee@acme.test", 0.1],
    ["manager@acme.test", 0.03],
  ],
  ops: [
    ["sam.ortiz@acme.test", 0.34],
    ["reviewer@acme.test", 0.3],
    ["jordan.lee@acme.test", 0.3],
    ["manager@acme.test", 0.04],
  ],
};

/** Who approves a task type too fast to have read it, and how often. */
const RUBBER_STAMP = { by: "jordan.lee@acme.test", taskType: "ticket.tag", share: 0.75 } as const;

// ---------------------------------------------------------------------------------------------
// Routing, as lib/policy routes items (the seed writes its conclusions, not the function's).

function routeItem(spec: TaskTypeSpec, mode: Mode, item: Item, confidence: number, rng: Rng) {
  const reasons: string[] = [];
  if (item.attributes.irreversible || !spec.reversible) reasons.push("floor:irreversible");
  if (item.attributes.phi || spec.dataClass === "phi") reasons.push("floor:phi");
  if (spec.amountLimit !== null && item.amount !== null && item.amount > spec.amountLimit) reasons.push("floor:amount");
  if (mode === "approve_before_action" || mode === "review_after_draft") {
    reasons.push(`mode:${mode}`);
    return { needsHuman: true, blocking: true, reasons };
  }
  if (confidence < spec.confidenceThreshold) reasons.push("low_confidence");
  if (reasons.length > 0) return { needsHuman: true, blocking: true, reasons };
  if (rng.chance(spec.auditSampleRate)) return { needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] };
  return { needsHuman: false, blocking: false, reasons };
}

/** Confidence in [0.55, 0.99], two decimals, skewed high. */
function confidenceFor(rng: Rng, skew: number): number {
  return Math.round((0.99 - 0.44 * Math.pow(rng.next(), skew)) * 100) / 100;
}

const confidenceFactor = (confidence: number) => (confidence >= 0.9 ? 0.55 : confidence >= 0.8 ? 1.3 : 2.4);

/** The mean of `confidenceFactor` under `confidenceFor(skew)`, so the factor shifts outcomes without changing the overall rate. */
function meanConfidenceFactor(skew: number): number {
  const high = Math.pow(0.09 / 0.44, 1 / skew);
  const low = 1 - Math.pow(0.19 / 0.44, 1 / skew);
  return high * 0.55 + low * 2.4 + (1 - high - low) * 1.3;
}

/** Mostly 20 s – 6 min (log-normal, redrawn rather than clamped so no value piles up at a bound); a few rubber stamps under 5 s. */
function timeOnItemFor(rng: Rng, medianMs: number): number {
  if (rng.chance(0.02)) return rng.int(1500, 4900);
  for (let attempt = 0; attempt < 20; attempt++) {
    const ms = rng.lognormal(medianMs, 0.6);
    if (ms >= 20_000 && ms <= 360_000) return Math.round(ms);
  }
  return Math.round(Math.min(360_000, Math.max(20_000, medianMs)));
}

/** A generated refund for a chosen amount (title, action and order total follow). */
function withRefundAmount(item: Item, amount: number): Item {
  const orderTotal = Math.max(Number(item.context.orderTotal) || 0, amount);
  return {
    ...item,
    title: item.title.replace(/^Refund \$[\d.]+/, `Refund $${amount.toFixed(2)}`),
    action: { ...item.action, amount },
    context: { ...item.context, orderTotal },
    amount,
  };
}

const startOfUtcDay = (t: number) => Math.floor(t / DAY) * DAY;

// ---------------------------------------------------------------------------------------------
// Generation

type ReviewRow = typeof reviews.$inferInsert;
type DecisionRow = typeof decisions.$inferInsert;
type RollupRow = typeof dailyRollups.$inferInsert;

type Ids = {
  organizationId: string;
  apiKeyId: string;
  workspaceIds: Record<WorkspaceKey, string>;
  taskTypeIds: Record<string, string>;
  userIds: Record<string, string>;
};

type Generated = { reviews: ReviewRow[]; decisions: DecisionRow[]; rollups: RollupRow[] };

type RollupCounts = {
  organizationId: string;
  taskTypeId: string;
  mode: Mode;
  day: string;
  submitted: number;
  approved: number;
  edited: number;
  rejected: number;
  autoApproved: number;
  expired: number;
  timeOnItemMsSum: number;
  timeOnItemCount: number;
  confidenceDecided: number[];
  confidenceAccepted: number[];
  latencyBuckets: number[];
  slaBreached: number;
};

function emptyRollup(ids: Ids, taskTypeId: string, mode: Mode, day: string): RollupCounts {
  return {
    organizationId: ids.organizationId,
    taskTypeId,
    mode,
    day,
    submitted: 0,
    approved: 0,
    edited: 0,
    rejected: 0,
    autoApproved: 0,
    expired: 0,
    timeOnItemMsSum: 0,
    timeOnItemCount: 0,
    confidenceDecided: Array(10).fill(0),
    confidenceAccepted: Array(10).fill(0),
    latencyBuckets: Array(LATENCY_BUCKETS).fill(0),
    slaBreached: 0,
  };
}

/** A seed per task type (FNV-1a of its key), so adding or tuning one type leaves the others' history as it was. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h ^ 0xc0ffee) >>> 0;
}

/** The mode a task type ran in on a day: its previous mode before its promotion, its current one since. */
function modeOn(spec: TaskTypeSpec, dayStart: number, today: number): Mode {
  return spec.promoted && spec.previousMode && dayStart < today - spec.promoted.daysAgo * DAY ? spec.previousMode : spec.mode;
}

function generate(ids: Ids, now: Date): Generated {
  const streams = new Map(SPECS.map((spec) => [spec.key, createRng(seedOf(spec.key))]));
  const twoPerson = createRng(seedOf("two-person approvals"));
  const stamps = createRng(seedOf("rubber stamps"));
  const today = startOfUtcDay(now.getTime());
  const out: Generated = { reviews: [], decisions: [], rollups: [] };
  const rollups = new Map<string, RollupCounts>();
  const rollup = (taskTypeId: string, mode: Mode, at: Date) => {
    const day = utcDay(at);
    const key = `${taskTypeId}|${mode}|${day}`;
    let row = rollups.get(key);
    if (!row) rollups.set(key, (row = emptyRollup(ids, taskTypeId, mode, day)));
    return row;
  };
  const sequence: Record<string, number> = {};

  // Lower confidence → more edits and rejections. Outcomes are spread by carrying fractional
  // expectations forward (systematic sampling), so each task type's rates land near its spec on
  // any day the seed runs, instead of drifting with the draw.
  const carry = new Map<string, { rejected: number; edited: number }>();
  const outcomeFor = (rng: Rng, spec: TaskTypeSpec, mode: Mode, confidence: number, dayStart: number): Exclude<Outcome, "auto_approved" | "changes_requested"> => {
    const key = `${spec.key}|${mode}`;
    let c = carry.get(key);
    if (!c) carry.set(key, (c = { rejected: rng.next(), edited: rng.next() }));
    const factor = confidenceFactor(confidence) / meanConfidenceFactor(spec.confidenceSkew);
    const rates = spec.drift && dayStart >= today - spec.drift.daysAgo * DAY ? spec.drift : spec;
    c.rejected += rates.rejectRate * factor;
    c.edited += rates.editRate * factor;
    if (c.rejected >= 1) {
      c.rejected -= 1;
      return "rejected";
    }
    if (c.edited >= 1) {
      c.edited -= 1;
      return "edited";
    }
    return "approved";
  };

  const pushReview = (rng: Rng, spec: TaskTypeSpec, mode: Mode, createdAt: Date, options: { forceConfidenceBelow?: number; adjust?: (item: Item) => Item } = {}) => {
    const seq = (sequence[spec.key] = (sequence[spec.key] ?? 0) + 1);
    const made = spec.make(rng, seq, createdAt);
    const item = options.adjust ? options.adjust(made) : made;
    let confidence = confidenceFor(rng, spec.confidenceSkew);
    if (options.forceConfidenceBelow !== undefined && confidence >= options.forceConfidenceBelow) confidence = Math.round((0.6 + rng.next() * 0.15) * 100) / 100;
    const routing = routeItem(spec, mode, item, confidence, rng);
    const priority: Priority = rng.weighted([
      ["normal", 0.8],
      ["high", 0.1],
      ["low", 0.07],
      ["urgent", 0.03],
    ] as const);
    const taskTypeId = ids.taskTypeIds[spec.key];
    const row: ReviewRow = {
      id: randomUUID(),
      organizationId: ids.organizationId,
      workspaceId: ids.workspaceIds[spec.workspace],
      apiKeyId: ids.apiKeyId,
      taskTypeId,
      status: "pending",
      mode,
      needsHuman: routing.needsHuman,
      blocking: routing.blocking,
      routingReasons: routing.reasons,
      title: item.title,
      action: item.action,
      draft: item.draft,
      context: item.context,
      confidence,
      amountValue: item.amount === null ? null : item.amount.toFixed(2),
      amountCurrency: item.amount === null ? null : "USD",
      attributes: item.attributes,
      priority,
      externalId: item.externalId,
      slaDueAt: routing.needsHuman ? new Date(createdAt.getTime() + spec.slaMinutes * MINUTE) : null,
      approvalsNeeded: approvalsNeededFor(
        spec.twoPersonRule,
        { amountCurrency: spec.amountLimit === null ? null : "USD" },
        { blocking: routing.blocking, amount: item.amount === null ? null : { value: item.amount, currency: "USD" } },
      ),
      version: 1,
      createdAt,
      updatedAt: createdAt,
    };
    out.reviews.push(row);
    rollup(taskTypeId, mode, createdAt).submitted++;
    return { row, item, confidence, routing };
  };

  for (let daysAgo = HISTORY_DAYS; daysAgo >= 1; daysAgo--) {
    const dayStart = today - daysAgo * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    for (const spec of SPECS) {
      const rng = streams.get(spec.key)!;
      const mode = modeOn(spec, dayStart, today);
      const base = rng.int(spec.weekday[0], spec.weekday[1]);
      const count = weekend ? Math.max(1, Math.round(base * spec.weekendShare)) : base;
      // Working hours (UTC): 08:00–18:00 on weekdays, 09:00–17:00 at weekends, busiest around midday.
      const [open, hours] = weekend ? [9, 8] : [8, 10];
      const times = Array.from({ length: count }, () => dayStart + open * HOUR + ((rng.next() + rng.next()) / 2) * hours * HOUR).sort((a, b) => a - b);
      for (const t of times) {
        const createdAt = new Date(Math.floor(t));
        const { row, item, confidence, routing } = pushReview(rng, spec, mode, createdAt);
        const taskTypeId = row.taskTypeId;
        const endOfDay = dayStart + DAY - MINUTE;

        if (!routing.needsHuman) {
          row.status = "approved";
          row.decidedAt = createdAt;
          out.decisions.push({
            id: randomUUID(),
            organizationId: ids.organizationId,
            reviewId: row.id!,
            outcome: "auto_approved",
            final: true,
            action: item.action,
            draft: item.draft,
            reviewerId: null,
            timeOnItemMs: null,
            actionHash: actionHashOf(item.action),
            createdAt,
          });
          rollup(taskTypeId, mode, createdAt).autoApproved++;
          continue;
        }

        if (routing.blocking && rng.chance(spec.expireRate)) {
          // The agent asked for an answer within two hours and nobody got to it: fail closed.
          const expiresAt = new Date(createdAt.getTime() + 2 * HOUR);
          row.expiresAt = expiresAt;
          row.status = "expired";
          row.updatedAt = expiresAt;
          row.version = 2;
          rollup(taskTypeId, mode, expiresAt).expired++;
          continue;
        }

        const outcome = outcomeFor(rng, spec, mode, confidence, dayStart);
        let timeOnItemMs = timeOnItemFor(rng, spec.timeOnItemMedianS * 1000 * (outcome === "edited" ? 1.8 : outcome === "rejected" ? 1.4 : 1));
        const waitMedian = routing.blocking ? spec.queueWaitMedianMin : 180;
        const wait = Math.min(spec.slaMinutes * 2.5, Math.max(1, rng.lognormal(waitMedian, 0.8))) * MINUTE;
        // History ends with each day: a wait past midnight is redrawn inside the rest of that day.
        const earliest = createdAt.getTime() + timeOnItemMs;
        let decidedMs = Math.round(earliest + wait);
        if (decidedMs > endOfDay) decidedMs = Math.round(earliest + rng.next() * (endOfDay - earliest));
        const decidedAt = new Date(decidedMs);
        const final = outcome === "edited" ? spec.edit(rng, item) : { action: item.action, draft: item.draft };
        const reason = outcome === "rejected" ? rng.weighted(REJECTION_REASONS) : null;
        row.status = outcome === "rejected" ? "rejected" : "approved";
        row.decidedAt = decidedAt;
        row.reviewedAt = decidedAt;
        row.updatedAt = decidedAt;
        row.version = 2;
        const decider = rng.weighted(DECIDERS[spec.workspace]);
        // The rubber stamp the reviewers view should catch: most of one person's approvals of one
        // task type take seconds. Shorter than drawn, so the decision still comes after the look.
        if (outcome === "approved" && decider === RUBBER_STAMP.by && spec.key === RUBBER_STAMP.taskType && stamps.chance(RUBBER_STAMP.share)) {
          timeOnItemMs = stamps.int(1500, 4500);
        }
        out.decisions.push({
          id: randomUUID(),
          organizationId: ids.organizationId,
          reviewId: row.id!,
          outcome,
          final: true,
          action: final.action,
          draft: final.draft,
          reason,
          note: reason ? rng.pick(REJECTION_NOTES[reason]) : null,
          reviewerId: ids.userIds[decider],
          timeOnItemMs,
          actionHash: actionHashOf(final.action),
          createdAt: decidedAt,
        });
        // A two-person item was approved once before its final decision (most rejections come second too).
        if ((row.approvalsNeeded ?? 1) > 1 && (outcome !== "rejected" || twoPerson.chance(0.6))) {
          out.decisions.push(firstApproval(row, decider, spec, outcome === "edited" ? final : null, decidedAt));
        }
        const r = rollup(taskTypeId, mode, decidedAt);
        r[outcome]++;
        r.timeOnItemMsSum += timeOnItemMs;
        r.timeOnItemCount++;
        r.confidenceDecided[confidenceDecile(confidence)]++;
        if (outcome === "approved") r.confidenceAccepted[confidenceDecile(confidence)]++;
        r.latencyBuckets[latencyBucket(decidedMs - createdAt.getTime())]++;
        if (row.slaDueAt && decidedAt > row.slaDueAt) r.slaBreached++;
      }
    }
  }

  // Separate randomness for first approvals, so adding them left every task type's history as it was.
  // Written before the final decision, by someone else from the workspace; an edit is the first approver's.
  function firstApproval(row: ReviewRow, finalDecider: string, spec: TaskTypeSpec, edit: { action: Record<string, unknown>; draft: string | null } | null, before: Date): DecisionRow {
    const others = DECIDERS[spec.workspace].filter(([email]) => email !== finalDecider);
    const timeOnItemMs = timeOnItemFor(twoPerson, spec.timeOnItemMedianS * 1000 * (edit ? 1.8 : 1));
    const created = row.createdAt!.getTime();
    const spare = Math.max(0, before.getTime() - created - 2 * timeOnItemMs);
    const at = new Date(Math.max(created + 1000, Math.min(before.getTime() - 1000, Math.round(created + timeOnItemMs + twoPerson.next() * spare))));
    const action = edit ? edit.action : row.action!;
    return {
      id: randomUUID(),
      organizationId: ids.organizationId,
      reviewId: row.id!,
      outcome: edit ? "edited" : "approved",
      final: false,
      action,
      draft: edit ? edit.draft : (row.draft ?? null),
      reviewerId: ids.userIds[twoPerson.weighted(others)],
      timeOnItemMs,
      actionHash: actionHashOf(action),
      createdAt: at,
    };
  }

  // Today's queue: fresh items across the gated task types, a few already past their SLA.
  const pending: ReadonlyArray<[key: string, minutesAgo: number]> = [
    ["ehr.note.write", 12],
    ["ehr.note.write", 38],
    ["ehr.note.write", 84],
    ["refund.issue", 21],
    ["email.reply.send", 6],
    ["email.reply.send", 31],
    ["email.reply.send", 66],
    ["email.reply.send", 151],
    ["crm.contact.update", 44],
    ["crm.contact.update", 188],
    ["route.adjust", 17],
    ["route.adjust", 73],
    ["ticket.tag", 9],
    ["ticket.tag", 47],
    ["supplies.order.place", 64],
    ["delivery.reschedule", 28],
  ];
  for (const [key, minutesAgo] of pending) {
    const spec = SPECS.find((s) => s.key === key)!;
    const rng = streams.get(key)!;
    // In flag_on_exception only an escalation waits for a person: a confidence under the threshold.
    const forceConfidenceBelow = spec.mode === "flag_on_exception" ? spec.confidenceThreshold : undefined;
    pushReview(rng, spec, spec.mode, new Date(now.getTime() - minutesAgo * MINUTE - rng.int(0, 59_000)), { forceConfidenceBelow });
  }

  // Refunds over 250 USD need two approvals: one waiting for its first, one approved by the manager and
  // one edited down by Sam Ortiz, both waiting for a second reviewer (the demo reviewer can give it).
  // Each ran on one claim, given back with the approval, so the items are at their first version.
  const refunds = SPECS.find((s) => s.key === "refund.issue")!;
  const twoPersonQueue: ReadonlyArray<[minutesAgo: number, amount: number, first: { by: string; editTo?: number } | null]> = [
    [36, 420, null],
    [118, 380.5, { by: "manager@acme.test" }],
    [141, 1250, { by: "sam.ortiz@acme.test", editTo: 900 }],
  ];
  for (const [minutesAgo, amount, first] of twoPersonQueue) {
    const { row } = pushReview(streams.get(refunds.key)!, refunds, refunds.mode, new Date(now.getTime() - minutesAgo * MINUTE), { adjust: (item) => withRefundAmount(item, amount) });
    row.priority = "normal";
    if (!first) continue;
    const approvedAt = new Date(now.getTime() - (minutesAgo - 20) * MINUTE);
    const action = first.editTo === undefined ? row.action! : { ...row.action!, amount: first.editTo };
    row.updatedAt = approvedAt;
    out.decisions.push({
      id: randomUUID(),
      organizationId: ids.organizationId,
      reviewId: row.id!,
      outcome: first.editTo === undefined ? "approved" : "edited",
      final: false,
      action,
      draft: null,
      reviewerId: ids.userIds[first.by],
      timeOnItemMs: 95_000,
      actionHash: actionHashOf(action),
      createdAt: approvedAt,
    });
  }

  out.rollups = [...rollups.values()];
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Human decisions and acceptances for one task type in one mode, from the generated rows. */
function acceptanceBefore(data: Generated, taskTypeId: string, mode: Mode): { decided: number; accepted: number } {
  const inMode = new Set(data.reviews.filter((r) => r.taskTypeId === taskTypeId && r.mode === mode).map((r) => r.id));
  const human = data.decisions.filter((d) => inMode.has(d.reviewId) && d.outcome !== "auto_approved");
  return { decided: human.length, accepted: human.filter((d) => d.outcome === "approved").length };
}

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

async function findDemoOrganization(db: Executor): Promise<string | null> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, DEMO_ORG_SLUG));
  return row?.id ?? null;
}

/** DEMO_API_KEY when set (it must look like a real key), else the documented demo key. */
export function demoApiKey(value: string | undefined = process.env.DEMO_API_KEY): string {
  if (!value) return DEMO_API_KEY;
  if (!isWellFormedApiKey(value)) {
    throw new Error("DEMO_API_KEY must be `cs_live_` followed by at least 32 URL-safe characters (A-Z, a-z, 0-9, `_`, `-`); unset it to use the demo key.");
  }
  return value;
}

/** DEMO_WEBHOOK_SECRET when set (a Standard Webhooks secret: `whsec_` + base64 of at least 24 bytes), else the documented demo secret. */
export function demoWebhookSecret(value: string | undefined = process.env.DEMO_WEBHOOK_SECRET): string {
  if (!value) return DEMO_WEBHOOK_SECRET;
  const body = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value)?.[1];
  const bytes = body ? Buffer.from(body, "base64") : null;
  // Round-tripping rejects base64 that decodes "leniently" (stray padding, bits past the end).
  if (!body || !bytes || bytes.length < 24 || bytes.toString("base64").replace(/=+$/, "") !== body.replace(/=+$/, "")) {
    throw new Error("DEMO_WEBHOOK_SECRET must be `whsec_` followed by the base64 of at least 24 random bytes (e.g. `whsec_$(openssl rand -base64 32)`); unset it to use the demo secret.");
  }
  return value;
}

/**
 * Creates the demo organization "Acme Health & Home" with its users, workspaces, task types and six
 * weeks of history, in one transaction. Does nothing when an organization with slug `acme` exists.
 */
export async function seedDemo(
  db: Db,
  options: { now?: Date; passwordHash?: string; apiKey?: string; webhookSecret?: string } = {},
): Promise<{ created: boolean; organizationId: string }> {
  // Checked on every start, seeded or not, so a mistyped value is reported rather than silently unused.
  const apiKey = demoApiKey(options.apiKey ?? (process.env.DEMO_API_KEY || undefined));
  const webhookSecret = demoWebhookSecret(options.webhookSecret ?? (process.env.DEMO_WEBHOOK_SECRET || undefined));
  const existing = await findDemoOrganization(db);
  if (existing) return { created: false, organizationId: existing };

  const now = options.now ?? new Date();
  const passwordHash = options.passwordHash ?? (await hashPassword(DEMO_PASSWORD));
  const today = startOfUtcDay(now.getTime());
  const setUpAt = new Date(today - (HISTORY_DAYS + 8) * DAY + 9 * HOUR);
  const modeSinceOf = (spec: TaskTypeSpec) => new Date(today - (spec.promoted?.daysAgo ?? HISTORY_DAYS) * DAY);

  return db.transaction(async (tx) => {
    // Two processes starting at once (two app instances on a fresh database) take turns here.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('countersign:seed-demo', 0))`);
    const raced = await findDemoOrganization(tx);
    if (raced) return { created: false, organizationId: raced };

    const emails = DEMO_USERS.map((u) => u.email);
    const taken = await tx.select({ email: users.email }).from(users).where(inArray(users.email, emails));
    if (taken.length > 0) {
      throw new Error(`Can't seed the demo organization: ${taken.map((t) => t.email).join(", ")} already belong to another account.`);
    }

    const [org] = await tx
      .insert(organizations)
      .values({
        name: DEMO_ORG_NAME,
        slug: DEMO_ORG_SLUG,
        settings: { autoRegisterTaskTypes: true, leaseMinutes: 10 },
        webhookSecretEncrypted: encryptSecret(webhookSecret),
        createdAt: setUpAt,
      })
      .returning({ id: organizations.id });
    const organizationId = org.id;

    const userRows = await tx
      .insert(users)
      .values(DEMO_USERS.map((u) => ({ email: u.email, name: u.name, passwordHash, createdAt: setUpAt, emailVerifiedAt: setUpAt })))
      .returning({ id: users.id, email: users.email });
    const userIds = Object.fromEntries(userRows.map((u) => [u.email, u.id]));
    // Staggered by a second each, so "earliest membership" orders them as listed.
    await tx
      .insert(memberships)
      .values(DEMO_USERS.map((u, i) => ({ organizationId, userId: userIds[u.email], role: u.role, createdAt: new Date(setUpAt.getTime() + i * 1000), updatedAt: setUpAt })));

    const workspaceRows = await tx
      .insert(workspaces)
      .values([
        { organizationId, name: "Clinical", isDefault: false, createdAt: setUpAt },
        { organizationId, name: "Customer operations", isDefault: true, createdAt: setUpAt },
      ])
      .returning({ id: workspaces.id, name: workspaces.name });
    const workspaceIds: Record<WorkspaceKey, string> = {
      clinical: workspaceRows.find((w) => w.name === "Clinical")!.id,
      ops: workspaceRows.find((w) => w.name === "Customer operations")!.id,
    };
    await tx
      .insert(workspaceMembers)
      .values(DEMO_USERS.flatMap((u) => u.workspaces.map((w) => ({ organizationId, workspaceId: workspaceIds[w], userId: userIds[u.email], createdAt: setUpAt }))));

    const taskTypeRows = await tx
      .insert(taskTypes)
      .values(
        SPECS.map((s) => {
          const since = modeSinceOf(s);
          return {
            organizationId,
            key: s.key,
            name: s.name,
            workspaceId: workspaceIds[s.workspace],
            mode: s.mode,
            previousMode: s.previousMode,
            modeSince: since,
            reversible: s.reversible,
            dataClass: s.dataClass,
            customerFacing: s.customerFacing,
            classified: true,
            confidenceThreshold: s.confidenceThreshold,
            amountLimit: s.amountLimit === null ? null : s.amountLimit.toFixed(2),
            amountCurrency: s.amountLimit === null ? null : "USD",
            amountPath: s.amountPath ?? null,
            twoPersonRule: s.twoPersonRule ?? null,
            auditSampleRate: s.auditSampleRate,
            slaMinutes: s.slaMinutes,
            createdAt: setUpAt,
            updatedAt: since,
          };
        }),
      )
      .returning({ id: taskTypes.id, key: taskTypes.key });
    const taskTypeIds = Object.fromEntries(taskTypeRows.map((t) => [t.key, t.id]));

    await appendAudit(tx, {
      organizationId,
      actorUserId: userIds["admin@acme.test"],
      action: "organization.created",
      targetType: "organization",
      targetId: organizationId,
      data: { name: DEMO_ORG_NAME, admin: "admin@acme.test", source: "demo seed" },
    });

    // The agent that submitted the history below; its key has the fixed demo value (or DEMO_API_KEY).
    const demoKey = await insertApiKey(tx, {
      organizationId,
      actorUserId: userIds["admin@acme.test"],
      name: DEMO_API_KEY_NAME,
      scopes: ["reviews:write", "reviews:read"],
      key: apiKey,
      createdAt: setUpAt,
      auditData: { source: "demo seed" },
    });

    const data = generate({ organizationId, apiKeyId: demoKey.id, workspaceIds, taskTypeIds, userIds }, now);
    const lastSubmission = data.reviews.reduce((latest, r) => Math.max(latest, r.createdAt!.getTime()), 0);
    await tx.update(apiKeys).set({ lastUsedAt: new Date(lastSubmission) }).where(eq(apiKeys.id, demoKey.id));
    await insertInBatches(data.reviews, (batch) => tx.insert(reviews).values(batch));
    await insertInBatches(data.decisions, (batch) => tx.insert(decisions).values(batch));
    await insertInBatches(data.rollups, (batch) => tx.insert(dailyRollups).values(batch));
    await insertRecountedRollups(tx, "reviewer_daily_rollups", organizationId);

    // How the promoted types earned flag_on_exception, oldest promotion first (the audit log is a chain).
    const promotions = SPECS.filter((spec) => spec.promoted && spec.previousMode).sort((a, b) => b.promoted!.daysAgo - a.promoted!.daysAgo);
    for (const spec of promotions) {
      const { reason, why } = spec.promoted!;
      const fromMode = spec.previousMode!;
      const since = modeSinceOf(spec);
      const before = acceptanceBefore(data, taskTypeIds[spec.key], fromMode);
      await tx.insert(taskTypeModeChanges).values({
        organizationId,
        taskTypeId: taskTypeIds[spec.key],
        fromMode,
        toMode: spec.mode,
        reason,
        confidenceThreshold: spec.confidenceThreshold,
        evidence: { decisions: before.decided, accepted: before.accepted },
        actorUserId: userIds["admin@acme.test"],
        createdAt: since,
      });
      await appendAudit(tx, {
        organizationId,
        actorUserId: userIds["admin@acme.test"],
        action: "task_type.mode_changed",
        targetType: "task_type",
        targetId: taskTypeIds[spec.key],
        data: {
          key: spec.key,
          before: { mode: fromMode },
          after: { mode: spec.mode },
          effectiveAt: since.toISOString(),
          reason: why(before.decided, `${((100 * before.accepted) / before.decided).toFixed(1)}%`),
        },
      });
    }

    return { created: true, organizationId };
  });
}

