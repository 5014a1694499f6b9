import { canRunUnattended, modeLabel, type Mode } from "@/lib/policy";
import { taskTypeFloors } from "@/lib/readiness/criteria";
import type { TaskTypePolicy } from "@/lib/validation/task-types";

/**
 * What a save of the task type editor changes, and which of those changes loosen a floor. Pure, so the
 * editor can warn as the admin types and the server decides with the same rules.
 */

export type PolicyField = keyof TaskTypePolicy | "classified";
export type FieldChange = { from: unknown; to: unknown };
export type PolicyChanges = Partial<Record<PolicyField, FieldChange>>;

/** Labels in the order the editor shows the fields (and the summary lists the changes). */
export const fieldLabels: Record<PolicyField, string> = {
  classified: "Classified",
  name: "Name",
  workspaceId: "Workspace",
  reversible: "Reversible",
  dataClass: "Data class",
  customerFacing: "Customer-facing",
  mode: "Mode",
  confidenceThreshold: "Confidence threshold",
  auditSampleRate: "Audit sample rate",
  amountLimit: "Amount limit",
  amountCurrency: "Amount currency",
  amountPath: "Amount path",
  amountCurrencyPath: "Currency path",
  slaMinutes: "SLA",
  defaultExpirySeconds: "Default expiry",
  twoPersonRule: "Two-person rule",
  readinessOverrides: "Readiness overrides",
  exceptionRules: "Exception rules",
};

const fieldOrder = Object.keys(fieldLabels) as PolicyField[];

/** Key order doesn't make a change: `{a, b}` and `{b, a}` are the same overrides. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

/** Every field whose value differs, as `{ field: { from, to } }`, in the editor's order. */
export function policyChanges(before: TaskTypePolicy, after: TaskTypePolicy): PolicyChanges {
  const out: PolicyChanges = {};
  for (const field of fieldOrder) {
    if (field === "classified") continue;
    const from = before[field];
    const to = after[field];
    if (canonical(from) !== canonical(to)) out[field] = { from: from ?? null, to: to ?? null };
  }
  return out;
}

export type Loosening = { field: "reversible" | "dataClass" | "amountLimit" | "amountCurrency" | "amountPath" | "amountCurrencyPath"; message: string };

const pathText = (path: string | null) => path ?? "the top-level amount";

const money = (v: number, currency: string | null) => `${v.toFixed(2)}${currency ? ` ${currency}` : ""}`;

/**
 * The changes that let more items past a person's sign-off: marking an irreversible type reversible,
 * a PHI type anything else, raising or removing the amount limit, moving the limit to another
 * currency (items in the new currency were floored until now), or, under a limit, reading the amount or
 * its currency somewhere else (the new place may hold a smaller number, or be unset, leaving only the
 * top-level amount the agent writes as it likes).
 */
export function floorLoosenings(before: TaskTypePolicy, after: TaskTypePolicy): Loosening[] {
  const out: Loosening[] = [];
  if (!before.reversible && after.reversible) out.push({ field: "reversible", message: "Marks an irreversible task type reversible" });
  if (before.dataClass === "phi" && after.dataClass !== "phi") out.push({ field: "dataClass", message: `Marks a PHI task type as ${after.dataClass === "none" ? "no personal data" : after.dataClass.toUpperCase()}` });
  if (before.amountLimit !== null) {
    if (after.amountLimit === null) out.push({ field: "amountLimit", message: `Removes the ${money(before.amountLimit, before.amountCurrency)} amount limit` });
    else if (after.amountLimit > before.amountLimit) {
      out.push({ field: "amountLimit", message: `Raises the amount limit from ${money(before.amountLimit, before.amountCurrency)} to ${money(after.amountLimit, after.amountCurrency)}` });
    } else if ((after.amountCurrency ?? "") !== (before.amountCurrency ?? "")) {
      out.push({ field: "amountCurrency", message: `Moves the amount limit from ${before.amountCurrency ?? "no currency"} to ${after.amountCurrency ?? "no currency"}` });
    }
    if (after.amountLimit !== null && (after.amountPath ?? null) !== (before.amountPath ?? null)) {
      out.push({ field: "amountPath", message: `Reads the amount from ${pathText(after.amountPath)} instead of ${pathText(before.amountPath)}` });
    }
    if (after.amountLimit !== null && (after.amountCurrencyPath ?? null) !== (before.amountCurrencyPath ?? null)) {
      out.push({ field: "amountCurrencyPath", message: `Reads the amount's currency from ${after.amountCurrencyPath ?? "the task type"} instead of ${before.amountCurrencyPath ?? "the task type"}` });
    }
  }
  return out;
}

/**
 * Why this policy may not run in `flag_on_exception`, or null when it may. Irreversible actions and
 * PHI writes rule it out (the same rule `changeTaskTypeMode` applies); an amount limit doesn't, since
 * items over it are floored one by one in every mode.
 */
export function unattendedRefusal(policy: Pick<TaskTypePolicy, "mode" | "reversible" | "dataClass">): string | null {
  if (policy.mode !== "flag_on_exception" || canRunUnattended(policy)) return null;
  const why = [!policy.reversible && "its actions are irreversible", policy.dataClass === "phi" && "it writes PHI"].filter(Boolean).join(" and ");
  return `A task type can't run on exception when ${why}: a person always approves first. Keep approve before action or review after draft.`;
}

/** The floors the policy carries, in words, for the editor and the list. */
export function floorsOf(policy: Pick<TaskTypePolicy, "reversible" | "dataClass" | "amountLimit" | "amountCurrency" | "mode">): string[] {
  return taskTypeFloors({ ...policy, mode: policy.mode as Mode }).map((floor) =>
    floor === "irreversible" ? "Irreversible" : floor === "phi" ? "PHI write" : `Amounts over ${money(policy.amountLimit ?? 0, policy.amountCurrency)}`,
  );
}

const dataClassText: Record<string, string> = { none: "No personal data", pii: "PII", phi: "PHI", financial: "Financial" };

function durationText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${Number(minutes.toFixed(2))} min`;
}

/** A value as the change summary shows it; `workspaces` names workspace ids. */
export function formatPolicyValue(field: PolicyField, value: unknown, workspaces: Record<string, string> = {}): string {
  if (value === null || value === undefined) {
    if (field === "amountLimit") return "No limit";
    if (field === "defaultExpirySeconds") return "Never";
    if (field === "twoPersonRule") return "Off";
    if (field === "amountPath") return "Top-level amount";
    if (field === "amountCurrencyPath") return "Amount currency";
    return "—";
  }
  switch (field) {
    case "classified":
    case "customerFacing":
      return value ? "Yes" : "No";
    case "reversible":
      return value ? "Reversible" : "Irreversible";
    case "workspaceId":
      return workspaces[String(value)] ?? String(value);
    case "dataClass":
      return dataClassText[String(value)] ?? String(value);
    case "mode":
      return capitalize(modeLabel[value as Mode] ?? String(value));
    case "confidenceThreshold":
      return Number(value).toFixed(2);
    case "auditSampleRate":
      return `${Number((Number(value) * 100).toFixed(2))}%`;
    case "amountLimit":
      return Number(value).toFixed(2);
    case "slaMinutes":
      return durationText(Number(value));
    case "defaultExpirySeconds":
      return durationText(Number(value) / 60);
    case "twoPersonRule": {
      const rule = value as { always?: boolean; aboveAmount?: number };
      return rule.always ? "Always" : rule.aboveAmount !== undefined ? `Above ${rule.aboveAmount}` : "Off";
    }
    case "readinessOverrides": {
      const o = value as { minDecisions?: number; targetAcceptance?: number; minDays?: number };
      const parts = [
        o.minDecisions !== undefined && `${o.minDecisions} decisions`,
        o.targetAcceptance !== undefined && `${Number((o.targetAcceptance * 100).toFixed(2))}% acceptance`,
        o.minDays !== undefined && `${o.minDays} days`,
      ].filter(Boolean);
      return parts.length ? parts.join(", ") : "Organization defaults";
    }
    case "exceptionRules": {
      const rules = value as { name: string }[];
      return rules.length === 0 ? "None" : rules.map((r) => r.name).join(", ");
    }
    default:
      return String(value);
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
