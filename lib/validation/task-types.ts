import { z } from "zod";
import { AmountPath, ExceptionRules, type DataClass, type ExceptionRule, type Mode } from "@/lib/policy";
import { TaskTypeKey } from "./reviews";

/**
 * The task type editor's form. Its fields are named as the form sends them (strings, percentages,
 * minutes); the schema turns them into the policy as it is stored (`TaskTypePolicy`), so a crafted
 * call gets exactly the checks the form does.
 */

export const modeOptions = ["approve_before_action", "review_after_draft", "flag_on_exception"] as const satisfies readonly Mode[];
export const dataClassOptions = ["none", "pii", "phi", "financial"] as const satisfies readonly DataClass[];
export const twoPersonOptions = ["off", "always", "above"] as const;

export type TwoPersonRule = { always: true } | { aboveAmount: number } | null;
export type ReadinessOverrides = { minDecisions?: number; targetAcceptance?: number; minDays?: number };

/** A task type's editable policy, as stored. */
export type TaskTypePolicy = {
  name: string;
  workspaceId: string;
  mode: Mode;
  reversible: boolean;
  dataClass: DataClass;
  customerFacing: boolean;
  confidenceThreshold: number;
  amountLimit: number | null;
  amountCurrency: string | null;
  /** Where each item's amount lives in its action, e.g. "action.amount"; null: the top-level `amount`. */
  amountPath: string | null;
  /** Where that amount's currency lives, e.g. "action.currency"; null: `amountCurrency`. */
  amountCurrencyPath: string | null;
  auditSampleRate: number;
  slaMinutes: number;
  defaultExpirySeconds: number | null;
  readinessOverrides: ReadinessOverrides;
  twoPersonRule: TwoPersonRule;
  exceptionRules: ExceptionRule[];
};

/** The shortest written justification accepted for loosening a floor. */
export const MIN_JUSTIFICATION = 20;
export const MAX_AMOUNT = 9_999_999_999_999_999.99;

const blank = (v: unknown) => v === undefined || v === null || (typeof v === "string" && v.trim() === "");

/** A number typed into a form field; blank is undefined, anything else must parse completely. */
function numberField(message: string) {
  return z.preprocess(
    (v) => (blank(v) ? undefined : typeof v === "string" ? Number(v.trim().replace(/,/g, "")) : v),
    z.number({ error: message }).finite(message).optional(),
  );
}

function required<T extends z.ZodType>(schema: T, message: string) {
  return schema.refine((v) => v !== undefined, message);
}

const twoDecimals = (v: number) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6;

/**
 * Whether the policy has a use for `amountCurrency`: the limit is in it, the two-person threshold is
 * compared in it, and an amount read from the action without a currency path is in it. Otherwise it
 * isn't stored, so a stale currency can't linger unseen.
 */
export function usesAmountCurrency(p: { amountLimit: number | string | null; amountPath: string | null; amountCurrencyPath: string | null; twoPersonRule: unknown }): boolean {
  const above = typeof p.twoPersonRule === "object" && p.twoPersonRule !== null && "aboveAmount" in p.twoPersonRule;
  return p.amountLimit !== null || above || (p.amountPath !== null && p.amountCurrencyPath === null);
}

const optionalPath = (schema: z.ZodType<string>) => z.preprocess((v) => (blank(v) ? undefined : String(v).trim()), schema.optional());

const RulesJson = z.preprocess((v) => {
  if (blank(v)) return [];
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}, ExceptionRules);

export const TaskTypeForm = z
  .object({
    key: TaskTypeKey,
    version: z.iso.datetime({ error: "Reload the page: this form is missing its version" }),
    name: z.string().trim().min(1, "Name the task type").max(100, "Use at most 100 characters"),
    workspaceId: z.uuid({ error: "Choose a workspace" }),
    mode: z.enum(modeOptions, { error: "Choose a mode" }),
    reversible: z.enum(["reversible", "irreversible"], { error: "Say whether its actions can be undone" }),
    dataClass: z.enum(dataClassOptions, { error: "Choose a data class" }),
    customerFacing: z.literal("on").optional(),
    confidenceThreshold: required(numberField("Give a number between 0 and 1"), "Give a confidence threshold").pipe(
      z.number().min(0, "Use a number between 0 and 1").max(1, "Use a number between 0 and 1"),
    ),
    amountLimit: numberField("Give an amount, e.g. 500 or 1250.50")
      .pipe(
        z
          .number()
          .min(0, "An amount limit can't be negative")
          .max(MAX_AMOUNT, "That amount is too large")
          .refine(twoDecimals, "Use at most two decimals")
          .optional(),
      ),
    amountCurrency: z.preprocess((v) => (blank(v) ? undefined : String(v).trim().toUpperCase()), z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code such as USD").optional()),
    amountPath: optionalPath(AmountPath),
    amountCurrencyPath: optionalPath(AmountPath),
    auditSamplePercent: required(numberField("Give a percentage between 0 and 100"), "Give an audit sample rate").pipe(
      z.number().min(0, "Use a percentage between 0 and 100").max(100, "Use a percentage between 0 and 100"),
    ),
    slaMinutes: required(numberField("Give a whole number of minutes"), "Give an SLA in minutes").pipe(
      z.number().int("Give a whole number of minutes").min(1, "Give at least 1 minute").max(43_200, "Use at most 43,200 minutes (30 days)"),
    ),
    defaultExpiryMinutes: numberField("Give a number of minutes, or leave it blank").pipe(
      z.number().min(1, "Give at least 1 minute, or leave it blank").max(525_600, "Use at most 525,600 minutes (a year)").optional(),
    ),
    minDecisions: numberField("Give a whole number").pipe(z.number().int("Give a whole number").min(1, "Ask for at least 1 decision").max(1_000_000, "Use at most 1,000,000").optional()),
    targetAcceptancePercent: numberField("Give a percentage").pipe(z.number().gt(50, "Use a target above 50%").max(100, "Use at most 100%").optional()),
    minDays: numberField("Give a whole number of days").pipe(z.number().int("Give a whole number of days").min(0, "Days can't be negative").max(365, "Use at most 365 days").optional()),
    twoPerson: z.enum(twoPersonOptions, { error: "Choose when two people must approve" }).default("off"),
    twoPersonAmount: numberField("Give an amount").pipe(z.number().gt(0, "Give an amount above 0").max(MAX_AMOUNT, "That amount is too large").optional()),
    exceptionRules: RulesJson,
    justification: z.preprocess((v) => (blank(v) ? undefined : String(v).trim()), z.string().max(2000, "Use at most 2,000 characters").optional()),
  })
  .superRefine((f, ctx) => {
    if (f.amountLimit !== undefined && f.amountCurrency === undefined) {
      ctx.addIssue({ code: "custom", path: ["amountCurrency"], message: "Give the limit's currency, e.g. USD" });
    }
    if (f.amountPath !== undefined && f.amountCurrencyPath === undefined && f.amountCurrency === undefined) {
      ctx.addIssue({ code: "custom", path: ["amountCurrency"], message: "Give the amount's currency, e.g. USD, or where the action says it" });
    }
    if (f.amountCurrencyPath !== undefined && f.amountPath === undefined) {
      ctx.addIssue({ code: "custom", path: ["amountPath"], message: "Say where the amount is, too" });
    }
    if (f.twoPerson === "above" && f.twoPersonAmount === undefined) {
      ctx.addIssue({ code: "custom", path: ["twoPersonAmount"], message: "Give the amount above which two people approve" });
    }
  })
  .transform((f) => {
    const twoPersonRule = f.twoPerson === "always" ? { always: true as const } : f.twoPerson === "above" && f.twoPersonAmount !== undefined ? { aboveAmount: f.twoPersonAmount } : null;
    const amounts = { amountLimit: f.amountLimit ?? null, amountPath: f.amountPath ?? null, amountCurrencyPath: f.amountCurrencyPath ?? null, twoPersonRule };
    return {
      key: f.key,
      version: f.version,
      justification: f.justification,
      policy: {
        name: f.name,
        workspaceId: f.workspaceId,
        mode: f.mode,
        reversible: f.reversible === "reversible",
        dataClass: f.dataClass,
        customerFacing: f.customerFacing === "on",
        confidenceThreshold: f.confidenceThreshold,
        amountLimit: amounts.amountLimit,
        amountCurrency: usesAmountCurrency(amounts) ? (f.amountCurrency ?? null) : null,
        amountPath: amounts.amountPath,
        amountCurrencyPath: amounts.amountCurrencyPath,
        auditSampleRate: Math.round(f.auditSamplePercent * 100) / 10_000,
        slaMinutes: f.slaMinutes,
        defaultExpirySeconds: f.defaultExpiryMinutes === undefined ? null : Math.round(f.defaultExpiryMinutes * 60),
        readinessOverrides: withoutUndefined({
          minDecisions: f.minDecisions,
          targetAcceptance: f.targetAcceptancePercent === undefined ? undefined : Math.round(f.targetAcceptancePercent * 100) / 10_000,
          minDays: f.minDays,
        }),
        twoPersonRule,
        exceptionRules: f.exceptionRules,
      } satisfies TaskTypePolicy,
    };
  });
/** A save of the editor, as the query layer takes it. */
export type TaskTypeUpdate = { key: string; version: string; justification?: string; policy: TaskTypePolicy };

/** "Test against a recent item": the same (unsaved) form, plus the item to route. */
export const RoutingPreviewForm = z
  .object({ previewReviewId: z.uuid({ error: "Choose an item to test against" }) })
  .and(TaskTypeForm)
  .transform((f) => ({ ...f, reviewId: f.previewReviewId }));

function withoutUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The form's text for a rule's value, and back. The row editor shows one text box whatever the
 * operator; these decide how it reads: numbers for comparisons, a comma-separated list for `in`,
 * JSON-ish literals for `eq` (so `true`, `12` and `null` mean what they look like; quote to keep a
 * string: `"12"`). Whatever comes out is validated by `ExceptionRule` on the server.
 */
export function ruleValueFromText(op: ExceptionRule["op"], text: string): unknown {
  const t = text.trim();
  switch (op) {
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return t === "" ? undefined : Number.isFinite(Number(t)) ? Number(t) : t;
    case "eq":
    case "neq":
      return t === "" ? undefined : literal(t);
    case "in":
    case "notIn":
      return t === "" ? [] : splitList(t).map(literal);
    case "exists":
      return t === "false" ? false : true;
  }
}

export function ruleValueToText(op: ExceptionRule["op"], value: unknown): string {
  if (value === undefined) return op === "exists" ? "true" : "";
  if (Array.isArray(value)) return value.map(literalText).join(", ");
  return literalText(value);
}

function literal(t: string): unknown {
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) {
    try {
      return JSON.parse(t);
    } catch {
      return t.slice(1, -1);
    }
  }
  return t;
}

function literalText(v: unknown): string {
  if (typeof v === "string") {
    const plain = literal(v) === v && !v.includes(",") && v.trim() === v;
    return plain ? v : JSON.stringify(v);
  }
  return JSON.stringify(v) ?? "";
}

/** Splits on commas outside double quotes, so `"a, b", c` is two entries. */
function splitList(t: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of t) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(current.trim());
      current = "";
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((s) => s !== "");
}
