import type { TwoPersonRule } from "@/lib/policy/two-person";
import type { DataClass, Mode, ReviewAttributes } from "../schema";
import type { Rng } from "./rng";

/**
 * What the demo organization is made of: the content pools its items are drawn from and the spec of
 * each task type (mode, consequences, volume, outcome shares, how its items look and how reviewers edit
 * them). Data only; db/seed.ts generates and writes the history from it.
 */

export const DAY = 24 * 3600_000;

export type WorkspaceKey = "clinical" | "ops";

// ---------------------------------------------------------------------------------------------
// Content pools

const FIRST_NAMES = ["Olivia", "Liam", "Emma", "Noah", "Ava", "Mateo", "Sophia", "Lucas", "Isabella", "Ethan", "Mia", "Amir", "Harper", "Kenji", "Zoe", "Diego", "Aaliyah", "Samuel", "Chloe", "Omar", "Grace", "Wei", "Nora", "Tomás"];
const LAST_NAMES = ["Garcia", "Smith", "Nguyen", "Johnson", "Patel", "Brown", "Kim", "Martinez", "Okafor", "Williams", "Chen", "Rossi", "Haddad", "Kowalski", "Silva", "Murphy", "Tanaka", "Lopez", "Fischer", "Ahmed"];
const CLINICIANS = ["Dr. Hannah Brooks", "Dr. Kwame Mensah", "Dr. Elena Petrova", "Dr. Raj Malhotra", "Dr. Laura Chen"];

export const REJECTION_REASONS: ReadonlyArray<readonly [string, number]> = [
  ["incorrect", 0.35],
  ["insufficient_evidence", 0.25],
  ["policy_violation", 0.18],
  ["duplicate", 0.14],
  ["other", 0.08],
];
export const REJECTION_NOTES: Record<string, string[]> = {
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

export type Item = {
  title: string;
  action: Record<string, unknown>;
  draft: string | null;
  context: Record<string, unknown>;
  amount: number | null;
  attributes: ReviewAttributes;
  externalId: string;
};

export type TaskTypeSpec = {
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

export const SPECS: readonly TaskTypeSpec[] = [
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
