import "server-only";
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { isWellFormedApiKey } from "@/lib/security/api-key-format";
import { hashPassword } from "@/lib/security/password";
import { actionHashOf } from "@/lib/client/action-hash";
import { utcDay } from "@/lib/data/dates";
import { encryptSecret } from "@/lib/security/crypto";
import { approvalsNeededFor, type TwoPersonRule } from "@/lib/policy/two-person";
import { confidenceDecile, LATENCY_BUCKETS, latencyBucket } from "@/lib/data/rollup-buckets";
import { seededRandom } from "@/lib/data/seeded-random";
import type { Db, Executor } from "./client";
import { insertApiKey } from "./queries/api-keys";
import { appendAudit } from "./queries/audit";
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
  type DataClass,
  type Mode,
  type Outcome,
  type Priority,
  type ReviewAttributes,
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
const DAY = 24 * HOUR;
const HISTORY_DAYS = 42;
const BATCH = 500;

type WorkspaceKey = "clinical" | "ops";

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
// Deterministic randomness

type Rng = {
  next: () => number;
  int: (min: number, max: number) => number;
  chance: (p: number) => boolean;
  pick: <T>(items: readonly T[]) => T;
  weighted: <T>(items: ReadonlyArray<readonly [T, number]>) => T;
  normal: () => number;
  lognormal: (median: number, sigma: number) => number;
};


function createRng(seed: number): Rng {
  const next = seededRandom(seed);
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1][0];
    },
    normal: () => {
      // Box–Muller; 1 - next() keeps the logarithm finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    lognormal: (median, sigma) => median * Math.exp(sigma * rng.normal()),
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Content pools

const FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Isabella", "Ethan", "Mia", "Amir", "Harper", "Kenji", "Zoe", "Diego", "Aaliyah", "Samuel", "Chloe", "Omar", "Grace", "Wei", "Nora", "Tomás"];
const LAST_NAMES = ["Garcia", "Smith", "Nguyen", "Johnson", "Patel", "Brown", "Kim", "Martinez", "Okafor", "Williams", "Chen", "Rossi", "Haddad", "Kowalski", "Silva", "Murphy", "Tanaka", "Lopez", "Fischer", "Ahmed"];
const CLINICIANS = ["Dr. Hannah Brooks", "Dr. Kwame Mensah", "Dr. Elena Petrova", "Dr. Raj Malhotra", "Dr. Laura Chen"];

const REJECTION_REASONS: ReadonlyArray<readonly [string, number]> = [
  ["incorrect", 0.35],
  ["insufficient_evidence", 0.25],
  ["policy_violation", 0.18],
  ["duplicate", 0.14],
  ["other", 0.08],
];
const REJECTION_NOTES: Record<string, string[]> = {
  incorrect: ["The details don't match the source record.", "Wrong values — checked against the system of record.", "This isn't what the customer asked for."],
  insufficient_evidence: ["Not enough evidence attached to support this.", "Asked the agent to include the source document.", "Can't verify from the context given."],
  policy_violation: ["Outside policy; needs a supervisor's sign-off.", "Exceeds what we allow without a manager.", "Conflicts with our handling policy."],
  duplicate: ["Already handled in an earlier item.", "Duplicate of a request decided this morning."],
  other: ["Customer called in; handled by phone.", "Superseded by a newer request.", "Handled manually instead."],
};

/** `n` distinct items in a random order (a partial Fisher–Yates shuffle). */
function sample<T>(rng: Rng, items: readonly T[], n: number): T[] {
  const pool = [...items];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

function personName(rng: Rng): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return { first, last, full: `${first} ${last}` };
}

function emailFor(first: string, last: string, rng: Rng): string {
  const local = `${first}.${last}`.toLowerCase().normalize("NFKD").replace(/[^a-z.]/g, "");
  return `${local}${rng.chance(0.3) ? rng.int(1, 99) : ""}@${rng.pick(["example.com", "example.org", "example.net"])}`;
}

const money = (n: number) => Math.round(n * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Task types

type Item = {
  title: string;
  action: Record<string, unknown>;
  draft: string | null;
  context: Record<string, unknown>;
  amount: number | null;
  attributes: ReviewAttributes;
  externalId: string;
};

type TaskTypeSpec = {
  key: string;
  name: string;
  workspace: WorkspaceKey;
  mode: Mode;
  previousMode: Mode | null;
  /** Stepped up to `mode` this many days ago, from `previousMode`, with a mode-change row and an audit entry. */
  promoted?: { daysAgo: number; reason: "recommendation" | "admin"; why: (decided: number, acceptance: string) => string };
  reversible: boolean;
  dataClass: DataClass;
  customerFacing: boolean;
  amountLimit: number | null;
  /** Where the action carries the amount routing reads (in USD); items also send it as the top-level `amount`. */
  amountPath?: string;
  /** Two different people approve the items this rule picks (amounts compared in USD, the limit's currency). */
  twoPersonRule?: TwoPersonRule;
  confidenceThreshold: number;
  auditSampleRate: number;
  slaMinutes: number;
  /** Items per weekday; weekends see `weekendShare` of that. */
  weekday: readonly [number, number];
  weekendShare: number;
  /** Larger → confidence more concentrated near 0.99. */
  confidenceSkew: number;
  /** Human outcome shares; acceptance is the rest. */
  editRate: number;
  rejectRate: number;
  /** From this many days ago on, the outcome shares are these instead (the agent got worse). */
  drift?: { daysAgo: number; editRate: number; rejectRate: number };
  expireRate: number;
  queueWaitMedianMin: number;
  timeOnItemMedianS: number;
  make: (rng: Rng, seq: number, at: Date) => Item;
  edit: (rng: Rng, item: Item) => { action: Record<string, unknown>; draft: string | null };
};

const NOTE_TYPES = [
  ["progress_note", "Progress note"],
  ["discharge_summary", "Discharge summary"],
  ["referral_letter", "Referral letter"],
  ["medication_reconciliation", "Medication reconciliation"],
  ["visit_summary", "After-visit summary"],
] as const;
const COMPLAINTS = ["follow-up for type 2 diabetes", "hypertension check", "post-operative wound check", "persistent cough", "medication review", "knee pain after a fall", "asthma follow-up", "lower back pain"];
const PLANS = ["continue current medication", "increase metformin to 1000 mg twice daily", "order basic metabolic panel", "refer to physical therapy", "start inhaled corticosteroid", "repeat blood pressure in two weeks"];

const REFUND_REASONS = [
  ["late_delivery", "late delivery"],
  ["damaged_item", "damaged item"],
  ["wrong_item", "wrong item shipped"],
  ["duplicate_charge", "duplicate charge"],
  ["not_as_described", "not as described"],
] as const;

const EMAIL_TOPICS = [
  { subject: "Where is my order?", phrase: "your order", body: "It left our warehouse yesterday and the carrier expects to deliver it within two business days. You can follow it with the tracking link in your confirmation email." },
  { subject: "Damaged item received", phrase: "the damaged item", body: "I'm sorry it arrived that way. We've arranged a replacement at no cost, and you don't need to return the damaged one." },
  { subject: "Change delivery address", phrase: "your delivery address", body: "I've updated the address on your upcoming delivery. You'll receive a confirmation once the carrier has the change." },
  { subject: "Cancel my subscription", phrase: "your subscription", body: "Your subscription is cancelled and you won't be charged again. You keep access until the end of the current billing period." },
  { subject: "Invoice copy request", phrase: "your invoice", body: "I've attached a copy of the invoice for your most recent order. It's also available any time under Orders in your account." },
  { subject: "Question about warranty", phrase: "the warranty", body: "Your product is covered for two years from the date of purchase, including parts and labour for manufacturing defects." },
] as const;
const EMAIL_EDIT_LINES = [
  "I've also added a 10% discount to your next order for the trouble.",
  "If anything else comes up, just reply to this email and it will reach me directly.",
  "Apologies again for the inconvenience this caused.",
];

const CRM_FIELDS = ["phone", "email", "mailing_address", "job_title", "company"] as const;
const CRM_SOURCES = ["inbound email", "signed update form", "support call transcript", "customer portal change request"];
const STREETS = ["Maple Ave", "Oak St", "Harbor Rd", "Cedar Ln", "Pine St", "Lakeview Dr", "Mill Rd"];
const JOB_TITLES = ["Operations Manager", "Office Manager", "Procurement Lead", "Practice Administrator", "Head of Facilities"];
const COMPANIES = ["Northwind Clinics", "Bluebird Dental", "Riverside Pharmacy", "Summit Home Care", "Greenfield Labs"];
const ROUTE_REASONS = ["traffic incident on I-90", "new same-day order", "customer rescheduled delivery", "road closure on Main St", "vehicle capacity rebalanced", "weather delay"];

const TICKET_TOPICS = [
  { subject: "Charged twice for one order", excerpt: "I see two charges for the same order on my card statement.", tags: ["billing", "duplicate_charge"], queue: "Billing" },
  { subject: "Package hasn't arrived", excerpt: "Tracking has said 'in transit' for five days now.", tags: ["shipping", "delayed"], queue: "Logistics" },
  { subject: "Can't sign in to my account", excerpt: "The reset link says it has expired every time I click it.", tags: ["account", "login"], queue: "Accounts" },
  { subject: "Item arrived broken", excerpt: "The glass carafe was cracked when I opened the box.", tags: ["returns", "damaged"], queue: "Returns" },
  { subject: "Change my delivery slot", excerpt: "I won't be home on Thursday, can it come Friday instead?", tags: ["shipping", "scheduling"], queue: "Logistics" },
  { subject: "Invoice shows the wrong address", excerpt: "Our company moved last month and the invoice still has the old address.", tags: ["billing", "invoice"], queue: "Billing" },
  { subject: "Cancel my subscription", excerpt: "Please cancel the monthly filter subscription from next month.", tags: ["account", "cancellation"], queue: "Accounts" },
  { subject: "Thermometer won't turn on", excerpt: "New batteries, still nothing on the display.", tags: ["product", "defect"], queue: "Returns" },
] as const;
const TICKET_TAGS = ["billing", "duplicate_charge", "shipping", "delayed", "account", "login", "returns", "damaged", "scheduling", "invoice", "cancellation", "product", "defect", "refund_request", "vip"];

const SUPPLIES = [
  { sku: "GLV-NIT-M", name: "Nitrile exam gloves (M), case of 1,000", unitPrice: 68 },
  { sku: "SYR-3ML", name: "3 mL syringes with needle, box of 100", unitPrice: 24.5 },
  { sku: "TST-GLU-50", name: "Glucose test strips, box of 50", unitPrice: 31 },
  { sku: "MSK-N95", name: "N95 respirators, box of 20", unitPrice: 39 },
  { sku: "GAU-4X4", name: "Sterile gauze pads 4×4 in, box of 100", unitPrice: 12.75 },
  { sku: "VAC-FLU-10", name: "Influenza vaccine, 10 prefilled syringes", unitPrice: 185 },
  { sku: "BP-CUFF-A", name: "Blood pressure cuff, adult", unitPrice: 46 },
  { sku: "ECG-ELEC", name: "ECG electrodes, pack of 600", unitPrice: 54 },
] as const;
const SUPPLIERS = ["Medline", "Henry Schein", "McKesson", "Cardinal Health"];
const CLINIC_SITES = ["Northside Clinic", "Riverside Clinic", "Downtown Clinic", "Eastgate Clinic"];

const DELIVERY_WINDOWS = ["08:00–10:00", "10:00–12:00", "12:00–14:00", "14:00–16:00", "16:00–18:00", "18:00–20:00"];
const RESCHEDULE_REASONS = ["customer asked in chat", "customer not home at first attempt", "driver capacity on the original day", "item back-ordered by one day", "customer asked by email"];

function phone(rng: Rng): string {
  return `(555) ${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}`;
}

function crmValue(rng: Rng, field: (typeof CRM_FIELDS)[number], person: { first: string; last: string }): string {
  switch (field) {
    case "phone":
      return phone(rng);
    case "email":
      return emailFor(person.first, person.last, rng);
    case "mailing_address":
      return `${rng.int(10, 999)} ${rng.pick(STREETS)}, Springfield`;
    case "job_title":
      return rng.pick(JOB_TITLES);
    case "company":
      return rng.pick(COMPANIES);
  }
}

const SPECS: readonly TaskTypeSpec[] = [
  {
    key: "ehr.note.write",
    name: "Write EHR note",
    workspace: "clinical",
    mode: "approve_before_action",
    previousMode: null,
    reversible: false,
    dataClass: "phi",
    customerFacing: false,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.02,
    slaMinutes: 60,
    weekday: [15, 25],
    weekendShare: 0.35,
    confidenceSkew: 3,
    editRate: 0.03,
    rejectRate: 0.01,
    expireRate: 0.004,
    queueWaitMedianMin: 18,
    timeOnItemMedianS: 110,
    make(rng, seq, at) {
      const [noteType, label] = rng.pick(NOTE_TYPES);
      const patientId = `P-${rng.int(100000, 999999)}`;
      const encounterId = `E-${rng.int(1000000, 9999999)}`;
      const complaint = rng.pick(COMPLAINTS);
      const clinician = rng.pick(CLINICIANS);
      const weeks = rng.int(2, 8);
      const draft = [
        `${label} — encounter ${encounterId}.`,
        `Patient seen by ${clinician} for ${complaint}.`,
        `Vitals: BP ${rng.int(108, 150)}/${rng.int(66, 94)}, HR ${rng.int(58, 96)}, SpO2 ${rng.int(94, 99)}%.`,
        `Plan: ${rng.pick(PLANS)}. Follow-up in ${weeks} weeks.`,
      ].join("\n");
      return {
        title: `${label} for encounter ${encounterId}`,
        action: { patientId, encounterId, noteType },
        draft,
        context: {
          encounter: { id: encounterId, date: at.toISOString().slice(0, 10), clinician, reason: complaint },
          sources: ["visit transcript", "vitals", "medication list", "problem list"],
          transcriptExcerpt: `"…the ${complaint.split(" ").slice(-1)[0]} has been about the same since the last visit…"`,
        },
        amount: null,
        attributes: { phi: true, irreversible: true },
        externalId: `ehr-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      const addition = rng.pick(["Allergy to penicillin noted.", "Patient declined flu vaccine today.", "Reviewed home glucose log with patient.", "Corrected: follow-up with primary care, not cardiology."]);
      return { action: item.action, draft: `${item.draft}\n${addition}` };
    },
  },
  {
    key: "refund.issue",
    name: "Issue refund",
    workspace: "ops",
    mode: "approve_before_action",
    previousMode: null,
    reversible: true,
    dataClass: "financial",
    customerFacing: false,
    amountLimit: 500,
    amountPath: "action.amount",
    twoPersonRule: { aboveAmount: 250 },
    confidenceThreshold: 0.8,
    auditSampleRate: 0.02,
    slaMinutes: 240,
    weekday: [10, 20],
    weekendShare: 0.5,
    confidenceSkew: 3,
    editRate: 0.02,
    rejectRate: 0.04,
    expireRate: 0.006,
    queueWaitMedianMin: 45,
    timeOnItemMedianS: 75,
    make(rng, seq, at) {
      const [reason, label] = rng.pick(REFUND_REASONS);
      // Mostly small refunds; about one in twelve goes over the $500 floor.
      const amount = money(Math.min(2400, Math.max(4.99, rng.lognormal(85, 0.95))));
      const orderTotal = money(amount * (rng.chance(0.6) ? 1 : 1 + rng.next() * 2));
      const orderId = `A-${rng.int(100000, 999999)}`;
      const customerId = `C-${rng.int(10000, 99999)}`;
      return {
        title: `Refund $${amount.toFixed(2)} on order ${orderId} (${label})`,
        action: { orderId, customerId, amount, reason },
        draft: null,
        context: {
          orderTotal,
          orderDate: new Date(at.getTime() - rng.int(2, 40) * DAY).toISOString().slice(0, 10),
          customerTenureMonths: rng.int(1, 96),
          previousRefunds90d: rng.weighted([
            [0, 0.7],
            [1, 0.2],
            [2, 0.07],
            [4, 0.03],
          ] as const),
          ticketId: `T-${rng.int(100000, 999999)}`,
          customerMessage: `Requesting a refund: ${label}.`,
        },
        amount,
        attributes: {},
        externalId: `rf-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      // Typical edit: a partial refund instead of the full amount.
      const amount = money((item.action.amount as number) * rng.pick([0.5, 0.75, 0.8]));
      return { action: { ...item.action, amount }, draft: null };
    },
  },
  {
    key: "email.reply.send",
    name: "Send customer email reply",
    workspace: "ops",
    mode: "review_after_draft",
    previousMode: null,
    reversible: true,
    dataClass: "pii",
    customerFacing: true,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.02,
    slaMinutes: 120,
    weekday: [25, 40],
    weekendShare: 0.4,
    confidenceSkew: 3,
    editRate: 0.07,
    rejectRate: 0.03,
    expireRate: 0.005,
    queueWaitMedianMin: 30,
    timeOnItemMedianS: 60,
    make(rng, seq) {
      const person = personName(rng);
      const topic = rng.pick(EMAIL_TOPICS);
      const threadId = `TH-${rng.int(1000000, 9999999)}`;
      return {
        title: `Reply to ${person.full}: ${topic.subject}`,
        action: { to: emailFor(person.first, person.last, rng), subject: `Re: ${topic.subject}`, threadId },
        draft: `Hi ${person.first},\n\nThanks for getting in touch about ${topic.phrase}. ${topic.body}\n\nBest regards,\nAcme Support`,
        context: {
          customerMessage: `${topic.subject} — sent from the help centre form.`,
          sentiment: rng.weighted([
            ["neutral", 0.55],
            ["negative", 0.3],
            ["positive", 0.15],
          ] as const),
          previousContacts30d: rng.int(0, 3),
          orderStatus: rng.pick(["shipped", "delivered", "processing", "out_for_delivery"]),
        },
        amount: null,
        attributes: { customerFacing: true },
        externalId: `em-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      const draft = (item.draft ?? "").replace("\n\nBest regards", ` ${rng.pick(EMAIL_EDIT_LINES)}\n\nBest regards`);
      return { action: item.action, draft };
    },
  },
  {
    key: "crm.contact.update",
    name: "Update CRM contact",
    workspace: "ops",
    mode: "review_after_draft",
    previousMode: null,
    reversible: true,
    dataClass: "pii",
    customerFacing: false,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.02,
    slaMinutes: 480,
    weekday: [10, 16],
    weekendShare: 0.45,
    confidenceSkew: 4,
    editRate: 0.01,
    rejectRate: 0.005,
    expireRate: 0,
    queueWaitMedianMin: 90,
    timeOnItemMedianS: 32,
    make(rng, seq) {
      const person = personName(rng);
      const field = rng.pick(CRM_FIELDS);
      const from = crmValue(rng, field, person);
      let to = crmValue(rng, field, person);
      if (to === from) to = `${to} (updated)`;
      const source = rng.pick(CRM_SOURCES);
      const contactId = `CT-${rng.int(10000, 99999)}`;
      return {
        title: `Update ${field.replace("_", " ")} for ${person.full}`,
        action: { contactId, field, from, to },
        draft: `Change ${field.replace("_", " ")} for ${person.full} (${contactId}) from "${from}" to "${to}". Source: ${source}.`,
        context: { source, evidence: `${person.first} wrote: "please use ${to} from now on."`, lastUpdated: `${rng.int(2, 30)} months ago` },
        amount: null,
        attributes: {},
        externalId: `crm-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      // The reviewer corrects the new value against the evidence.
      const before = String(item.action.to);
      let after: string;
      if (item.action.field === "job_title") after = rng.pick(JOB_TITLES.filter((t) => t !== before));
      else if (item.action.field === "company") after = rng.pick(COMPANIES.filter((c) => c !== before));
      else if (/\d/.test(before)) after = before.replace(/\d(?!.*\d)/, (d) => String((Number(d) + rng.int(1, 8)) % 10));
      else after = before.replace(/@.*$/, "@example.com") === before ? before.replace(/@.*$/, "@example.org") : before.replace(/@.*$/, "@example.com");
      return { action: { ...item.action, to: after }, draft: (item.draft ?? "").replace(`"${before}"`, `"${after}"`) };
    },
  },
  {
    key: "route.adjust",
    name: "Adjust delivery route",
    workspace: "ops",
    mode: "flag_on_exception",
    previousMode: "review_after_draft",
    promoted: { daysAgo: 20, reason: "recommendation", why: (decided, acceptance) => `Promoted after ${decided} human decisions at ${acceptance} acceptance in review_after_draft.` },
    reversible: true,
    dataClass: "none",
    customerFacing: false,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.05,
    slaMinutes: 240,
    weekday: [30, 50],
    weekendShare: 0.55,
    confidenceSkew: 6,
    // Low enough that even its escalations (the low-confidence items) stay above 98%: healthy audits.
    editRate: 0.003,
    rejectRate: 0.001,
    expireRate: 0,
    queueWaitMedianMin: 25,
    timeOnItemMedianS: 45,
    make(rng, seq) {
      const routeId = `R-${rng.int(100, 480)}`;
      const stopsAdded = rng.weighted([
        [0, 0.25],
        [1, 0.4],
        [2, 0.22],
        [3, 0.1],
        [5, 0.03],
      ] as const);
      const stopsRemoved = stopsAdded === 0 ? rng.int(1, 2) : rng.weighted([
        [0, 0.6],
        [1, 0.3],
        [2, 0.1],
      ] as const);
      const etaChangeMinutes = rng.int(-15, 10) + stopsAdded * rng.int(4, 9) - stopsRemoved * rng.int(3, 6);
      const sign = etaChangeMinutes >= 0 ? "+" : "−";
      return {
        title: `Route ${routeId}: +${stopsAdded} / −${stopsRemoved} stops, ETA ${sign}${Math.abs(etaChangeMinutes)} min`,
        action: { routeId, vehicleId: `V-${rng.int(10, 99)}`, stopsAdded, stopsRemoved, etaChangeMinutes },
        draft: null,
        context: { reason: rng.pick(ROUTE_REASONS), currentStops: rng.int(12, 34), driverShiftEndsAt: `${rng.int(16, 19)}:00`, weather: rng.pick(["clear", "rain", "clear", "overcast"]) },
        amount: null,
        attributes: {},
        externalId: `rt-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      const eta = (item.action.etaChangeMinutes as number) + rng.pick([-10, -5, 5, 10]);
      return { action: { ...item.action, etaChangeMinutes: eta }, draft: null };
    },
  },
  {
    key: "ticket.tag",
    name: "Tag support ticket",
    workspace: "ops",
    mode: "review_after_draft",
    previousMode: null,
    reversible: true,
    dataClass: "none",
    customerFacing: false,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.02,
    slaMinutes: 480,
    weekday: [18, 26],
    weekendShare: 0.5,
    confidenceSkew: 5,
    editRate: 0.007,
    rejectRate: 0.003,
    expireRate: 0,
    queueWaitMedianMin: 60,
    timeOnItemMedianS: 50,
    make(rng, seq) {
      const person = personName(rng);
      const topic = rng.pick(TICKET_TOPICS);
      const ticketId = `T-${rng.int(100000, 999999)}`;
      const tier = rng.weighted([
        ["standard", 0.8],
        ["plus", 0.15],
        ["business", 0.05],
      ] as const);
      const tags = tier === "business" ? [...topic.tags, "vip"] : [...topic.tags];
      return {
        title: `Tag ticket ${ticketId}: ${topic.subject}`,
        action: { ticketId, tags, queue: topic.queue },
        draft: null,
        context: { from: person.full, channel: rng.pick(["email", "chat", "web form"]), customerTier: tier, excerpt: `"${topic.excerpt}"`, similarTickets7d: rng.int(0, 40) },
        amount: null,
        attributes: {},
        externalId: `tk-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      // The reviewer swaps the least specific tag for a better one.
      const tags = [...(item.action.tags as string[])];
      tags[tags.length - 1] = rng.pick(TICKET_TAGS.filter((t) => !tags.includes(t)));
      return { action: { ...item.action, tags }, draft: null };
    },
  },
  {
    key: "supplies.order.place",
    name: "Order clinic supplies",
    workspace: "clinical",
    mode: "approve_before_action",
    previousMode: null,
    reversible: true,
    dataClass: "financial",
    customerFacing: false,
    // Restocking orders are mostly bigger than this, so most of them go to a person in any mode.
    amountLimit: 1000,
    amountPath: "action.total",
    confidenceThreshold: 0.85,
    auditSampleRate: 0.02,
    slaMinutes: 240,
    weekday: [14, 20],
    weekendShare: 0.25,
    confidenceSkew: 5,
    editRate: 0.009,
    rejectRate: 0.003,
    expireRate: 0.003,
    queueWaitMedianMin: 45,
    timeOnItemMedianS: 75,
    make(rng, seq, at) {
      const target = Math.min(9800, Math.max(90, rng.lognormal(1600, 0.75)));
      const count = rng.weighted([
        [1, 0.35],
        [2, 0.4],
        [3, 0.25],
      ] as const);
      const skus = sample(rng, SUPPLIES, count);
      const lines = skus.map((p) => ({ sku: p.sku, description: p.name, quantity: Math.max(1, Math.round(target / count / p.unitPrice)), unitPrice: p.unitPrice }));
      const amount = money(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0));
      const supplier = rng.pick(SUPPLIERS);
      const site = rng.pick(CLINIC_SITES);
      const purchaseOrder = `PO-${rng.int(10000, 99999)}`;
      return {
        title: `${purchaseOrder}: ${count} ${count === 1 ? "line" : "lines"} from ${supplier} for ${site}, $${amount.toFixed(2)}`,
        action: { purchaseOrder, supplier, site, lines, total: amount },
        draft: null,
        context: {
          trigger: "stock below reorder point",
          onHandDays: rng.int(3, 12),
          lastOrderedOn: new Date(at.getTime() - rng.int(14, 60) * DAY).toISOString().slice(0, 10),
          budgetRemainingThisMonth: money(rng.int(4000, 30000)),
        },
        amount,
        attributes: {},
        externalId: `po-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      // The reviewer trims a quantity: the clinic has stock the inventory count missed.
      const lines = (item.action.lines as { quantity: number; unitPrice: number }[]).map((l) => ({ ...l }));
      const line = rng.pick(lines);
      line.quantity = Math.max(1, Math.floor(line.quantity * rng.pick([0.5, 0.6, 0.75])));
      if (lines.every((l, i) => l.quantity === (item.action.lines as { quantity: number }[])[i].quantity)) line.quantity += 1;
      return { action: { ...item.action, lines, total: money(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0)) }, draft: null };
    },
  },
  {
    key: "delivery.reschedule",
    name: "Reschedule home delivery",
    workspace: "ops",
    mode: "flag_on_exception",
    previousMode: "review_after_draft",
    promoted: {
      daysAgo: 26,
      reason: "admin",
      why: (decided, acceptance) => `Stepped up ahead of the 28-day criterion for the spring delivery peak, after ${decided} human decisions at ${acceptance} acceptance in review_after_draft.`,
    },
    reversible: true,
    dataClass: "pii",
    customerFacing: true,
    amountLimit: null,
    confidenceThreshold: 0.8,
    auditSampleRate: 0.05,
    slaMinutes: 120,
    weekday: [26, 38],
    weekendShare: 0.5,
    confidenceSkew: 5,
    editRate: 0.004,
    rejectRate: 0.002,
    // Twelve days ago the carrier changed its depot calendar: the agent keeps offering windows that no longer run.
    drift: { daysAgo: 12, editRate: 0.045, rejectRate: 0.02 },
    expireRate: 0,
    queueWaitMedianMin: 20,
    timeOnItemMedianS: 40,
    make(rng, seq, at) {
      const person = personName(rng);
      const orderId = `A-${rng.int(100000, 999999)}`;
      const day = (n: number) => new Date(at.getTime() + n * DAY).toISOString().slice(0, 10);
      const fromDay = rng.int(0, 2);
      const from = { date: day(fromDay), window: rng.pick(DELIVERY_WINDOWS) };
      const to = { date: day(fromDay + rng.int(1, 3)), window: rng.pick(DELIVERY_WINDOWS) };
      return {
        title: `Move delivery of ${orderId} for ${person.full} to ${to.date}, ${to.window}`,
        action: { orderId, from, to, notifyCustomer: true },
        draft: `Hi ${person.first}, your Acme delivery (order ${orderId}) is now booked for ${to.date} between ${to.window}. Reply CHANGE to pick another time.`,
        context: {
          reason: rng.pick(RESCHEDULE_REASONS),
          depot: rng.pick(["Springfield North", "Springfield South", "Shelbyville"]),
          slotsOfferedByCarrier: rng.int(2, 9),
          previousReschedules: rng.weighted([
            [0, 0.8],
            [1, 0.17],
            [2, 0.03],
          ] as const),
        },
        amount: null,
        attributes: { customerFacing: true },
        externalId: `dr-${String(seq).padStart(6, "0")}`,
      };
    },
    edit(rng, item) {
      // The reviewer picks a window the depot actually runs, and the message follows.
      const to = item.action.to as { date: string; window: string };
      const window = rng.pick(DELIVERY_WINDOWS.filter((w) => w !== to.window));
      return { action: { ...item.action, to: { ...to, window } }, draft: (item.draft ?? "").replace(to.window, window) };
    },
  },
];

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
  const outcomeFor = (rng: Rng, spec: TaskTypeSpec, mode: Mode, confidence: number, dayStart: number): Exclude<Outcome, "auto_approved"> => {
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

