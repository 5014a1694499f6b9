/**
 * Plays an AI agent against a running Countersign: submits a realistic mix of proposed actions and
 * drafts, prints what the policy did with each, cancels one, and says how to decide the rest.
 *
 *   npm run agent:demo                 # against http://localhost:3000 with the demo key
 *   npm run agent:demo -- --wait       # then wait (up to 5 min) for a person to decide the small refund
 *   COUNTERSIGN_URL=… COUNTERSIGN_API_KEY=cs_live_… npm run agent:demo
 */
import { approvedActionOf, CountersignError, createCountersignClient, type BatchItem, type Review, type ReviewSubmission } from "@/lib/client";

const DEMO_API_KEY = "cs_live_demo_countersign_acme_0000000000000000";
const baseUrl = (process.env.COUNTERSIGN_URL || "http://localhost:3000").replace(/\/+$/, "");
const apiKey = process.env.COUNTERSIGN_API_KEY || DEMO_API_KEY;
const waitForOne = process.argv.includes("--wait");

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const yellow = paint(33);
const red = paint(31);

function fail(line: string): never {
  console.error(red(`agent:demo: ${line}`));
  process.exit(1);
}

/** One line for an error the demo can't go on after; the only place the script gives up. */
function fatal(e: unknown): never {
  if (e instanceof CountersignError) {
    if (e.status === 0) fail(`can't reach Countersign at ${baseUrl} — is it running? (npm run dev, or set COUNTERSIGN_URL)`);
    if (e.status === 401) fail(`the API key was refused (401). Set COUNTERSIGN_API_KEY to a key from ${baseUrl}/admin/api-keys.`);
    if (e.status === 403) fail(`the API key lacks a scope this demo needs (reviews:write and reviews:read): ${e.detail}`);
    fail(`${e.status} ${e.title}: ${e.detail}`);
  }
  fail(e instanceof Error ? e.message : String(e));
}

const client = createCountersignClient({ baseUrl, apiKey });
// Unique per run, so the items are easy to find and a rerun never replays an earlier run's answers.
const run = new Date().toISOString().replace(/\D/g, "").slice(2, 14);
const ref = (name: string) => `demo-${run}-${name}`;

type Row = { label: string; review?: Review; error?: CountersignError };

const UNKNOWN_TASK_TYPE = "inventory.reorder";

const singles: Array<{ label: string; submission: ReviewSubmission }> = [
  {
    label: "Refund $42.50 (under the $500 limit)",
    submission: {
      taskType: "refund.issue",
      title: "Refund $42.50 on order A-318204 (late delivery)",
      action: { orderId: "A-318204", customerId: "C-40417", amount: 42.5, reason: "late_delivery" },
      amount: { value: 42.5, currency: "USD" },
      confidence: 0.93,
      context: { orderTotal: 42.5, ticketId: "T-771203", previousRefunds90d: 0, customerMessage: "My parcel arrived 6 days late." },
      externalId: ref("refund-small"),
    },
  },
  {
    label: "Refund $1,250.00 (over the limit)",
    submission: {
      taskType: "refund.issue",
      title: "Refund $1,250.00 on order A-552910 (damaged item)",
      action: { orderId: "A-552910", customerId: "C-18802", amount: 1250, reason: "damaged_item" },
      amount: { value: 1250, currency: "USD" },
      confidence: 0.97,
      context: { orderTotal: 1250, ticketId: "T-771260", photos: 3, previousRefunds90d: 1 },
      priority: "high",
      externalId: ref("refund-large"),
    },
  },
  {
    label: "EHR progress note (PHI)",
    submission: {
      taskType: "ehr.note.write",
      title: "Progress note for encounter E-4417820",
      action: { patientId: "P-203311", encounterId: "E-4417820", noteType: "progress_note" },
      draft: "Progress note — encounter E-4417820.\nPatient seen for follow-up of type 2 diabetes.\nVitals: BP 128/82, HR 74, SpO2 98%.\nPlan: continue metformin 500 mg twice daily; HbA1c in 3 months.",
      confidence: 0.88,
      attributes: { phi: true, irreversible: true },
      context: { sources: ["visit transcript", "vitals", "medication list"] },
      externalId: ref("ehr-note"),
    },
  },
  {
    label: "Customer email reply (draft)",
    submission: {
      taskType: "email.reply.send",
      title: "Reply to Dana Whitfield: Where is my order?",
      action: { to: "dana.whitfield@example.com", subject: "Re: Where is my order?", threadId: "TH-5520931" },
      draft: "Hi Dana,\n\nThanks for getting in touch about your order. It left our warehouse yesterday and the carrier expects to deliver it within two business days.\n\nBest regards,\nAcme Support",
      confidence: 0.9,
      attributes: { customerFacing: true },
      context: { customerMessage: "Where is my order? It's been a week.", sentiment: "negative" },
      externalId: ref("email"),
    },
  },
  {
    label: "Route adjustment, confident (0.97)",
    submission: {
      taskType: "route.adjust",
      title: "Route R-214: +1 / −0 stops, ETA +6 min",
      action: { routeId: "R-214", vehicleId: "V-37", stopsAdded: 1, stopsRemoved: 0, etaChangeMinutes: 6 },
      confidence: 0.97,
      context: { reason: "new same-day order", currentStops: 22, driverShiftEndsAt: "18:00" },
      externalId: ref("route-confident"),
    },
  },
  {
    label: "Route adjustment, unsure (0.41)",
    submission: {
      taskType: "route.adjust",
      title: "Route R-377: +3 / −2 stops, ETA +24 min",
      action: { routeId: "R-377", vehicleId: "V-12", stopsAdded: 3, stopsRemoved: 2, etaChangeMinutes: 24 },
      confidence: 0.41,
      context: { reason: "road closure on Main St", currentStops: 31, driverShiftEndsAt: "17:00", weather: "rain" },
      externalId: ref("route-unsure"),
    },
  },
  {
    label: "Unknown task type",
    submission: {
      taskType: UNKNOWN_TASK_TYPE,
      title: "Reorder 40 × nitrile gloves (M) for warehouse 2",
      action: { sku: "GLV-NIT-M", quantity: 40, supplier: "Medline", warehouse: "WH-2" },
      confidence: 0.95,
      context: { onHand: 6, reorderPoint: 20, averageDailyUse: 4.5 },
      externalId: ref("inventory"),
    },
  },
];

const batch: Array<{ label: string; item: BatchItem }> = [
  {
    label: "Batch: CRM phone update",
    item: {
      taskType: "crm.contact.update",
      title: "Update phone for Lena Park",
      action: { contactId: "CT-48210", field: "phone", from: "(555) 201-4431", to: "(555) 201-9902" },
      draft: 'Change phone for Lena Park (CT-48210) from "(555) 201-4431" to "(555) 201-9902". Source: signed update form.',
      confidence: 0.96,
      externalId: ref("batch-crm-1"),
    },
  },
  {
    label: "Batch: CRM job title update",
    item: {
      taskType: "crm.contact.update",
      title: "Update job title for Omar Haddad",
      action: { contactId: "CT-30977", field: "job_title", from: "Office Manager", to: "Practice Administrator" },
      draft: 'Change job title for Omar Haddad (CT-30977) from "Office Manager" to "Practice Administrator". Source: inbound email.',
      confidence: 0.91,
      externalId: ref("batch-crm-2"),
    },
  },
  {
    label: "Batch: email reply (warranty)",
    item: {
      taskType: "email.reply.send",
      title: "Reply to Ines Duarte: Question about warranty",
      action: { to: "ines.duarte@example.com", subject: "Re: Question about warranty", threadId: "TH-6610402" },
      draft: "Hi Ines,\n\nYour product is covered for two years from the date of purchase, including parts and labour for manufacturing defects.\n\nBest regards,\nAcme Support",
      confidence: 0.94,
      attributes: { customerFacing: true },
      externalId: ref("batch-email"),
    },
  },
  {
    label: "Batch: refund $18.99",
    item: {
      taskType: "refund.issue",
      title: "Refund $18.99 on order A-640018 (duplicate charge)",
      action: { orderId: "A-640018", customerId: "C-77120", amount: 18.99, reason: "duplicate_charge" },
      amount: { value: 18.99, currency: "USD" },
      confidence: 0.99,
      externalId: ref("batch-refund"),
    },
  },
  {
    label: "Batch: route adjustment (0.95)",
    item: {
      taskType: "route.adjust",
      title: "Route R-118: +0 / −1 stops, ETA −9 min",
      action: { routeId: "R-118", vehicleId: "V-54", stopsAdded: 0, stopsRemoved: 1, etaChangeMinutes: -9 },
      confidence: 0.95,
      externalId: ref("batch-route"),
    },
  },
];

function statusCell(row: Row): string {
  if (row.error) return red(`error ${row.error.status}`);
  const review = row.review!;
  if (review.status === "approved") return green(review.decision?.outcome === "auto_approved" ? "auto-approved" : "approved");
  if (review.status === "pending") return yellow("pending");
  return review.status;
}

function reasonsCell(row: Row): string {
  if (row.error) return row.error.detail;
  const reasons = row.review!.routing.reasons;
  return reasons.length ? reasons.join(", ") : dim("none — within policy");
}

const visible = (text: string) => text.replace(/\x1b\[\d+m/g, "").length;
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - visible(text)));

function printTable(rows: Row[]) {
  const cells = rows.map((row, i) => [String(i + 1), row.label, row.review?.taskType ?? "", statusCell(row), reasonsCell(row)]);
  const head = ["#", "What the agent proposed", "Task type", "Status", "Routing reasons"];
  const widths = head.map((h, c) => Math.max(visible(h), ...cells.map((r) => visible(r[c]))));
  const line = (r: string[]) => r.map((cell, c) => pad(cell, widths[c])).join("  ").trimEnd();
  console.log(bold(line(head)));
  console.log(dim(widths.map((w) => "─".repeat(w)).join("  ")));
  for (const r of cells) console.log(line(r));
}

async function main() {
  // One cheap authenticated call first, so an unreachable server or a refused key is one clear line.
  const taskTypes = await client.listTaskTypes().catch(fatal);
  console.log(`${bold("Countersign agent demo")} ${dim(`→ ${baseUrl} (run ${run})`)}\n`);
  const knewUnknown = taskTypes.some((t) => t.key === UNKNOWN_TASK_TYPE);

  const rows: Row[] = [];
  for (const { label, submission } of singles) {
    try {
      rows.push({ label, review: await client.submit(submission) });
    } catch (e) {
      if (!(e instanceof CountersignError) || e.status === 0 || e.status === 401) fatal(e);
      rows.push({ label, error: e });
    }
  }

  const results = await client.submitBatch(batch.map((b) => b.item)).catch(fatal);
  for (const result of results) {
    const label = batch[result.index]?.label ?? `Batch item ${result.index + 1}`;
    if (result.review) rows.push({ label, review: result.review });
    else rows.push({ label, error: new CountersignError(result.problem ?? { type: "about:blank", title: "Failed", status: result.status, detail: "No details." }) });
  }

  printTable(rows);

  const unknownRow = rows.find((r) => r.review?.taskType === UNKNOWN_TASK_TYPE);
  if (unknownRow?.review) {
    console.log(
      dim(
        `\n“${UNKNOWN_TASK_TYPE}” ${knewUnknown ? "was registered by an earlier run" : "was unknown: it is now registered"} in approve_before_action, unclassified until an admin classifies it (listed at ${baseUrl}/admin).`,
      ),
    );
  }

  // An auto-approved item carries a decision like any other: execute exactly its action, hash checked.
  const auto = rows.find((r) => r.review?.decision?.outcome === "auto_approved")?.review;
  if (auto) {
    const action = approvedActionOf(auto);
    console.log(`\n${green("✓")} Auto-approved ${auto.taskType} ${dim(auto.id)}: actionHash verified, the agent may execute ${JSON.stringify(action)}`);
  }

  const pending = rows.filter((r) => r.review?.status === "pending").map((r) => r.review!);
  const toCancel = pending.find((r) => r.externalId === ref("route-unsure")) ?? pending.at(-1);
  if (toCancel) {
    const cancelled = await client.cancel(toCancel.id).catch(fatal);
    console.log(`\n${yellow("↩")} Cancelled ${cancelled.taskType} “${cancelled.title ?? cancelled.id}” ${dim(cancelled.id)} → ${cancelled.status}`);
  }

  const left = pending.filter((r) => r.id !== toCancel?.id);
  console.log(`\n${bold(`${left.length} item${left.length === 1 ? "" : "s"} now wait for a person.`)}`);
  console.log(`  1. They are counted in the queue at ${baseUrl}/queue (sign in as reviewer@acme.test, demo password: countersign).`);
  console.log(`  2. Deciding them in the browser arrives with the reviewer workspace; until then they wait, or expire fail-closed.`);
  const example = left.find((r) => r.externalId === ref("refund-small")) ?? left[0];
  if (example) {
    console.log(`  3. An agent waits for the decision with a long poll, e.g.:`);
    const keyShown = process.env.COUNTERSIGN_API_KEY ? "$COUNTERSIGN_API_KEY" : DEMO_API_KEY;
    console.log(dim(`     curl -H "Authorization: Bearer ${keyShown}" "${baseUrl}/api/v1/reviews/${example.id}?wait=30"`));
  }
  console.log(dim(`  API reference: ${baseUrl}/docs/api`));

  if (waitForOne && example) {
    console.log(`\nWaiting up to 5 minutes for a person to decide “${example.title}” …`);
    const decided = await client.waitForDecision(example.id, { timeoutSeconds: 300 }).catch(fatal);
    if (decided.status === "pending") {
      console.log(yellow("Still pending after 5 minutes; an agent would keep waiting or let it expire (never act on silence)."));
    } else if (decided.status === "approved") {
      const action = approvedActionOf(decided);
      console.log(`${green("✓")} ${decided.decision?.outcome} by ${decided.decision?.reviewer?.name ?? "policy"} — actionHash verified; executing ${JSON.stringify(action)}`);
    } else {
      console.log(`${red("✗")} ${decided.status}${decided.decision?.reason ? `: ${decided.decision.reason}` : ""} — the agent does nothing.`);
    }
  }
}

main().catch(fatal);
