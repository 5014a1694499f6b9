import { isValidRule, resolvePath, ruleMatches, ruleUnevaluable, type ExceptionRule } from "./rules";
import type { TwoPersonRule } from "./two-person";

export { AmountPath, ExceptionRule, ExceptionRules, isJsonPrimitive, isValidRule, MAX_RULES, resolvePath, RulePath, ruleMatches, ruleOps, ruleUnevaluable } from "./rules";
export type { JsonPrimitive, RuleOp, RuleSubject } from "./rules";

/**
 * Routing: whether a person must look at an item first. Pure (the only outside input is `random`, for
 * audit sampling), so the same function explains a routing in the queue and in the API response.
 *
 * Everything here fails closed: a value that can't be compared (NaN, a currency that differs from the
 * limit's, a malformed rule, a threshold that isn't a number) sends the item to a person rather than
 * letting it through. Item fields can only add reasons; nothing an agent sends loosens the policy.
 */

export type Mode = "approve_before_action" | "review_after_draft" | "flag_on_exception";

/** A mode as it reads inside a sentence ("Now in flag on exception"). */
export const modeLabel: Record<Mode, string> = {
  approve_before_action: "approve before action",
  review_after_draft: "review after draft",
  flag_on_exception: "flag on exception",
};
export type DataClass = "none" | "pii" | "phi" | "financial";

export type Policy = {
  mode: Mode;
  reversible: boolean;
  dataClass: DataClass;
  confidenceThreshold: number;
  amountLimit: number | null;
  amountCurrency: string | null;
  /** Where the item's amount lives in its action ("action.amount"); null: only the top-level `amount`. */
  amountPath: string | null;
  /** Where that amount's currency lives ("action.currency"); null: it is in `amountCurrency`. */
  amountCurrencyPath: string | null;
  auditSampleRate: number;
  exceptionRules: ExceptionRule[];
  /** Read here only to know whether the task type needs every item's amount (`aboveAmount`). */
  twoPersonRule: TwoPersonRule;
};

export type RoutedItem = {
  action: Record<string, unknown>;
  context?: Record<string, unknown> | null;
  confidence?: number | null;
  amount?: { value: number; currency: string } | null;
  attributes?: { irreversible?: boolean; phi?: boolean; customerFacing?: boolean; flagged?: boolean } | null;
};

export type Routing = { needsHuman: boolean; blocking: boolean; reasons: string[] };

export type Floor = "irreversible" | "phi" | "amount";

/**
 * The fixed reasons, in the order they are listed; `rule:<name>` and `rule_error:<name>` reasons sit
 * between `low_confidence` and `agent_flagged`, in the order of the rules.
 */
export const reasonCodes = [
  "floor:irreversible",
  "floor:phi",
  "floor:amount",
  "floor:amount_missing",
  "mode:approve_before_action",
  "mode:review_after_draft",
  "missing_confidence",
  "low_confidence",
  "agent_flagged",
  "sampled_for_audit",
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export const RULE_REASON_PREFIX = "rule:";
/** A numeric rule whose value is present but not a finite number: it can't say no, so a person looks. */
export const RULE_ERROR_PREFIX = "rule_error:";

const normalizeCurrency = (currency: unknown) => (typeof currency === "string" ? currency.trim().toUpperCase() : "");

/**
 * Whether an amount must go to a person. Without a limit there is no floor; with one, an amount that
 * can't be compared (another currency, or a limit with no currency or that isn't a number) fails
 * closed. An amount that isn't a finite number is not compared here: it is `floor:amount_missing`.
 * Exactly at the limit passes: the floor is for amounts *above* it.
 */
function amountOverLimit(policy: Pick<Policy, "amountLimit" | "amountCurrency">, amount: StatedAmount): boolean {
  const limit = policy.amountLimit;
  if (limit === null || limit === undefined || !isFiniteNumber(amount.value)) return false;
  if (typeof limit !== "number" || Number.isNaN(limit)) return true;
  const currency = normalizeCurrency(amount.currency);
  if (currency === "" || currency !== normalizeCurrency(policy.amountCurrency)) return true;
  return amount.value > limit;
}

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** An amount as an item states it, before anything is known about it. */
type StatedAmount = { value: unknown; currency: unknown };
type AmountPolicy = Pick<Policy, "amountLimit" | "amountCurrency" | "amountPath" | "amountCurrencyPath" | "twoPersonRule">;

/**
 * The amounts an item states: the one at the task type's amount path (when its action has a value
 * there, whatever that value is; its currency at the currency path, else the task type's currency),
 * and the top-level `amount`. An agent may write either or both; routing looks at every one.
 */
function statedAmounts(policy: AmountPolicy, item: Pick<RoutedItem, "action" | "amount">): { atPath?: StatedAmount; topLevel?: StatedAmount } {
  const out: { atPath?: StatedAmount; topLevel?: StatedAmount } = {};
  if (typeof policy.amountPath === "string" && policy.amountPath !== "") {
    const value = resolvePath({ action: item.action }, policy.amountPath);
    if (value !== undefined) {
      const currency = policy.amountCurrencyPath ? resolvePath({ action: item.action }, policy.amountCurrencyPath) : policy.amountCurrency;
      out.atPath = { value, currency };
    }
  }
  if (item.amount !== null && item.amount !== undefined) out.topLevel = { value: (item.amount as { value?: unknown }).value, currency: (item.amount as { currency?: unknown }).currency };
  return out;
}

/** Whether the task type has to know every item's amount: it limits amounts, or asks two people above one. */
export function needsAmount(policy: Pick<Policy, "amountLimit" | "twoPersonRule">): boolean {
  const rule = policy.twoPersonRule;
  const above = rule !== null && typeof rule === "object" && "aboveAmount" in rule && rule.aboveAmount !== undefined && rule.aboveAmount !== null;
  return (policy.amountLimit !== null && policy.amountLimit !== undefined) || above;
}

/**
 * The amount the policy goes by: the one at the amount path when the action has one there (in the
 * top-level amount's currency when the path names none), else the top-level `amount`. Null when that
 * isn't a finite number. The two-person rule compares this one; the submission stores it.
 */
export function itemAmount(policy: AmountPolicy, item: Pick<RoutedItem, "action" | "amount">): { value: number; currency: string } | null {
  const { atPath, topLevel } = statedAmounts(policy, item);
  const stated = atPath ?? topLevel;
  if (!stated || !isFiniteNumber(stated.value)) return null;
  const currency = typeof stated.currency === "string" && stated.currency.trim() !== "" ? stated.currency : topLevel?.currency;
  return { value: stated.value, currency: typeof currency === "string" ? currency : "" };
}

/**
 * Why the top-level `amount` disagrees with the amount at the task type's path, or null when it
 * doesn't (or only one is given). A submission that disagrees with itself is refused: which of the two
 * the action executes can't be known here. Currencies are compared when both are known.
 */
export function amountConflict(policy: AmountPolicy, item: Pick<RoutedItem, "action" | "amount">): string | null {
  const { atPath, topLevel } = statedAmounts(policy, item);
  if (!atPath || !topLevel) return null;
  const path = policy.amountPath;
  if (!isFiniteNumber(atPath.value)) return `${path} is not a number, so it can't be checked against \`amount\``;
  if (atPath.value !== topLevel.value) return `\`amount.value\` is ${String(topLevel.value)} but ${path} is ${atPath.value}`;
  const [a, b] = [normalizeCurrency(atPath.currency), normalizeCurrency(topLevel.currency)];
  if (a !== "" && b !== "" && a !== b) {
    const where = policy.amountCurrencyPath ? policy.amountCurrencyPath : `the currency of ${path} (the task type's)`;
    return `\`amount.currency\` is ${b} but ${where} is ${a}`;
  }
  return null;
}

/** A usable confidence, or null: NaN, ±Infinity and non-numbers count as not given. */
function givenConfidence(confidence: unknown): number | null {
  return typeof confidence === "number" && Number.isFinite(confidence) ? confidence : null;
}

function clampRate(rate: unknown): number {
  if (typeof rate !== "number" || Number.isNaN(rate)) return 0;
  return Math.min(1, Math.max(0, rate));
}

/** The hard floors an item carries, from its task type and from itself, in reason order. */
function floorReasons(policy: Policy, item: RoutedItem): string[] {
  const attributes = item.attributes ?? {};
  const reasons: string[] = [];
  if (!policy.reversible || attributes.irreversible) reasons.push("floor:irreversible");
  if (policy.dataClass === "phi" || attributes.phi) reasons.push("floor:phi");
  const { atPath, topLevel } = statedAmounts(policy, item);
  const stated = [atPath, topLevel].filter((a): a is StatedAmount => a !== undefined);
  if (stated.some((a) => amountOverLimit(policy, a))) reasons.push("floor:amount");
  // Floor-like: an amount the policy needs and can't read is never let through, in any mode.
  if (needsAmount(policy) && (stated.length === 0 || stated.some((a) => !isFiniteNumber(a.value)))) reasons.push("floor:amount_missing");
  return reasons;
}

function ruleName(rule: unknown): string {
  const name = typeof rule === "object" && rule !== null ? (rule as { name?: unknown }).name : undefined;
  return typeof name === "string" && name !== "" ? name : "invalid";
}

/** The exception signals of `flag_on_exception`, after the floors: confidence, rules, the agent's own flag. */
function exceptionReasons(policy: Policy, item: RoutedItem): string[] {
  const reasons: string[] = [];
  const confidence = givenConfidence(item.confidence);
  if (confidence === null) reasons.push("missing_confidence");
  // Written as "not at or above" so that a threshold which isn't a number escalates instead of passing.
  else if (!(confidence >= policy.confidenceThreshold)) reasons.push("low_confidence");
  const rules: unknown[] = Array.isArray(policy.exceptionRules) ? policy.exceptionRules : [];
  const subject = { action: item.action, context: item.context };
  for (const rule of rules) {
    // A malformed stored rule can't be evaluated; it matches, so a broken policy shows up on every item.
    if (!isValidRule(rule)) reasons.push(`${RULE_REASON_PREFIX}${ruleName(rule)}`);
    else if (ruleUnevaluable(rule, subject)) reasons.push(`${RULE_ERROR_PREFIX}${rule.name}`);
    else if (ruleMatches(rule, subject)) reasons.push(`${RULE_REASON_PREFIX}${rule.name}`);
  }
  if (item.attributes?.flagged) reasons.push("agent_flagged");
  return reasons;
}

/**
 * Where an item goes. Floors apply in every mode. The two strict modes always block on a person and
 * explain themselves by floors plus the mode (confidence and rules don't change the outcome there, so
 * they aren't listed). `flag_on_exception` escalates with every applicable reason, or auto-approves,
 * sampling a share `auditSampleRate` of auto-approvals for non-blocking audit review.
 * A mode this code doesn't know is treated as `approve_before_action`.
 */
export function route(policy: Policy, item: RoutedItem, random: () => number = Math.random): Routing {
  const floors = floorReasons(policy, item);
  if (policy.mode !== "flag_on_exception") {
    const mode = policy.mode === "review_after_draft" ? "mode:review_after_draft" : "mode:approve_before_action";
    return { needsHuman: true, blocking: true, reasons: [...floors, mode] };
  }
  const reasons = [...new Set([...floors, ...exceptionReasons(policy, item)])];
  if (reasons.length > 0) return { needsHuman: true, blocking: true, reasons };
  const rate = clampRate(policy.auditSampleRate);
  if (rate >= 1 || (rate > 0 && random() < rate)) return { needsHuman: true, blocking: false, reasons: ["sampled_for_audit"] };
  return { needsHuman: false, blocking: false, reasons: [] };
}

/** The task type's own hard floors (amount: it has a limit, so items above it always go to a person). */
export function policyFloors(policy: Pick<Policy, "reversible" | "dataClass" | "amountLimit">): Floor[] {
  const floors: Floor[] = [];
  if (!policy.reversible) floors.push("irreversible");
  if (policy.dataClass === "phi") floors.push("phi");
  if (policy.amountLimit !== null && policy.amountLimit !== undefined) floors.push("amount");
  return floors;
}

/**
 * Whether the task type may ever run in `flag_on_exception`: never when it is irreversible or writes
 * PHI. An amount limit doesn't prevent it; items over the limit are floored one by one.
 */
export function canRunUnattended(policy: Pick<Policy, "reversible" | "dataClass">): boolean {
  return Boolean(policy.reversible) && policy.dataClass !== "phi";
}

export type ReasonContext = {
  confidence?: number | null;
  threshold?: number;
  amount?: { value: number; currency: string } | null;
  limit?: number | null;
  currency?: string | null;
};

const money = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : String(value));

/** Two numbers with as many decimals as it takes (2 to 6) to show that they differ. */
function distinct(a: number, b: number): [string, string] {
  for (let digits = 2; digits < 6; digits++) {
    const [x, y] = [a.toFixed(digits), b.toFixed(digits)];
    if (x !== y) return [x, y];
  }
  return [a.toFixed(6), b.toFixed(6)];
}

function describeAmount(ctx: ReasonContext): string {
  const { amount, limit, currency } = ctx;
  if (!amount || typeof amount.value !== "number" || limit === null || limit === undefined) return "Amount over the limit";
  const given = `${money(amount.value)} ${amount.currency}`;
  if (!currency) return `Amount ${given}, limit ${money(limit)} without a currency`;
  if (normalizeCurrency(amount.currency) !== normalizeCurrency(currency)) return `Amount ${given}, limit ${money(limit)} ${currency}: other currency`;
  if (!Number.isFinite(amount.value)) return `Amount ${given} can't be compared with the ${money(limit)} ${currency} limit`;
  return `Amount ${given} > ${money(limit)} ${currency} limit`;
}

function describeConfidence(ctx: ReasonContext): string {
  const { confidence, threshold } = ctx;
  if (typeof confidence !== "number" || !Number.isFinite(confidence) || typeof threshold !== "number" || !Number.isFinite(threshold)) return "Low confidence";
  const [c, t] = distinct(confidence, threshold);
  return `Confidence ${c} < ${t}`;
}

/** A reason as a short, readable chip; an unknown reason is shown as is. */
export function describeReason(reason: string, ctx: ReasonContext = {}): string {
  if (reason.startsWith(RULE_REASON_PREFIX)) return `Rule: ${reason.slice(RULE_REASON_PREFIX.length)}`;
  if (reason.startsWith(RULE_ERROR_PREFIX)) return `Rule could not be evaluated: ${reason.slice(RULE_ERROR_PREFIX.length)}`;
  switch (reason as ReasonCode) {
    case "floor:irreversible":
      return "Irreversible";
    case "floor:phi":
      return "PHI write";
    case "floor:amount":
      return describeAmount(ctx);
    case "floor:amount_missing":
      return "Amount missing";
    case "mode:approve_before_action":
      return "Approve before action";
    case "mode:review_after_draft":
      return "Review after draft";
    case "missing_confidence":
      return "No confidence given";
    case "low_confidence":
      return describeConfidence(ctx);
    case "agent_flagged":
      return "Flagged by the agent";
    case "sampled_for_audit":
      return "Audit sample";
    default:
      return reason;
  }
}
