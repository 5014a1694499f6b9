/**
 * The two-person rule: a task type may require two different people to approve an item before it is
 * approved — always, or when the item's amount is above a threshold. Pure, like `route`, and failing
 * closed the same way:
 * - the amount is the one routing went by (`itemAmount`: at the task type's amount path, else the
 *   top-level `amount`); an item without one needs two approvals, since it may be above (routing
 *   already sent it to a person as `floor:amount_missing`);
 * - an amount in another currency than the task type's amount currency, or a task type with no amount
 *   currency to compare in, needs two approvals;
 * - an amount or threshold that isn't a finite number needs two approvals;
 * - exactly at the threshold needs one: the rule is for amounts *above* it, like the amount floor.
 * Only items that wait for a person's sign-off are affected: audit samples and auto-approvals already ran.
 */

export type TwoPersonRule = { always?: boolean; aboveAmount?: number } | null;

export const TWO_APPROVALS = 2;

const normalizeCurrency = (currency: unknown) => (typeof currency === "string" ? currency.trim().toUpperCase() : "");

export function approvalsNeededFor(
  rule: TwoPersonRule | undefined,
  taskType: { amountCurrency: string | null },
  item: { blocking: boolean; amount?: { value: number; currency: string } | null },
): number {
  if (!item.blocking || !rule || typeof rule !== "object") return 1;
  if (rule.always === true) return TWO_APPROVALS;
  if (rule.aboveAmount === undefined || rule.aboveAmount === null) return 1;
  const amount = item.amount;
  if (amount === null || amount === undefined) return TWO_APPROVALS;
  const threshold: unknown = rule.aboveAmount;
  const value: unknown = (amount as { value?: unknown }).value;
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || typeof value !== "number" || !Number.isFinite(value)) return TWO_APPROVALS;
  const currency = normalizeCurrency((amount as { currency?: unknown }).currency);
  if (currency === "" || currency !== normalizeCurrency(taskType.amountCurrency)) return TWO_APPROVALS;
  return value > threshold ? TWO_APPROVALS : 1;
}

/** The rule in one sentence, for the queue and the admin pages ("Two approvals above 250.00 USD"). */
export function describeTwoPersonRule(rule: TwoPersonRule | undefined, amountCurrency: string | null): string | null {
  if (!rule || typeof rule !== "object") return null;
  if (rule.always === true) return "Two approvals on every item";
  if (typeof rule.aboveAmount !== "number") return null;
  const threshold = Number.isFinite(rule.aboveAmount) ? rule.aboveAmount.toFixed(2) : String(rule.aboveAmount);
  return `Two approvals above ${threshold}${amountCurrency ? ` ${amountCurrency}` : ""}`;
}
