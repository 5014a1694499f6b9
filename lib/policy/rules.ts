import { z } from "zod";

/**
 * Exception rules: data, not code. An admin writes them per task type; in `flag_on_exception` an item
 * whose action or context matches one goes to a person (reason `rule:<name>`).
 *
 * Semantics of a missing or mistyped value. A rule is a predicate over a value that is present:
 * every comparison (gt/gte/lt/lte/eq/neq/in/notIn) is false when the path is absent. A numeric one
 * (gt/gte/lt/lte) over a value that is present but not a finite number (`"5000"`, `[5000]`, `{}`)
 * can't be evaluated (`ruleUnevaluable`): `route` sends the item to a person as `rule_error:<name>`
 * rather than reading it as "no match", which would let the mistyped value through.
 * Matching on absence would make rules fire on items they were never written for
 * (`action.priority eq "urgent"` escalating every item without a priority, `gt` and `lt` both matching
 * the same missing field), so absence is stated explicitly instead: pair a rule with `{ op: "exists", value: false }` on the same path when a missing field
 * should send the item to a person. Missing or invalid *confidence* is not a rule's business: `route`
 * escalates it as `missing_confidence` on its own.
 */

export const ruleOps = ["gt", "gte", "lt", "lte", "eq", "neq", "in", "notIn", "exists"] as const;
export type RuleOp = (typeof ruleOps)[number];

/** What a rule looks at: the proposed action and the evidence sent with it. */
export type RuleSubject = { action: Record<string, unknown>; context?: Record<string, unknown> | null };

const pathRoots = new Set(["action", "context"]);
// Keys that reach an object's prototype machinery rather than its data: never followed.
const forbiddenSegments = new Set(["__proto__", "constructor", "prototype"]);
const arrayIndex = /^(0|[1-9][0-9]*)$/;
const maxInEntries = 100;

export const MAX_RULES = 50;

export type JsonPrimitive = string | number | boolean | null;

export function isJsonPrimitive(value: unknown): value is JsonPrimitive {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

const isFiniteNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Why a path is not usable, or null when it is. Shared by the schema and `resolvePath`. */
function pathProblem(path: string): string | null {
  const segments = path.split(".");
  if (!pathRoots.has(segments[0]) || segments.length < 2) return 'Start the path with "action." or "context.", e.g. "action.amount"';
  for (const segment of segments.slice(1)) {
    if (segment === "") return "Path segments can't be empty (look for a doubled or trailing dot)";
    if (/\s/.test(segment)) return "Path segments can't contain spaces";
    if (forbiddenSegments.has(segment)) return `"${segment}" can't be used in a path`;
  }
  return null;
}

export const RulePath = z
  .string()
  .max(200, "Use at most 200 characters")
  .refine((path) => pathProblem(path) === null, { error: (issue) => pathProblem(String(issue.input)) ?? "Invalid path" })
  .meta({ description: 'A dotted path into the item, rooted at "action." or "context."; array indices are segments ("action.items.0.qty").', example: "action.amount" });

/** Where a task type's amount lives: a path into the proposed action, which is what executes. */
export const AmountPath = RulePath.refine((path) => path.startsWith("action."), 'Start the path with "action.", e.g. "action.amount"');

export const ExceptionRule = z
  .object({
    name: z
      .string()
      .min(1, "Name the rule")
      .max(60, "Use at most 60 characters")
      .regex(/^[a-z0-9_.-]+$/i, "Use letters, digits, '.', '_' and '-' only"),
    path: RulePath,
    op: z.enum(ruleOps, { error: `Use one of ${ruleOps.join(", ")}` }),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const problem = valueProblem(rule.op, rule.value);
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  })
  .meta({
    description:
      "Sends an item to a person in flag_on_exception when its action or context matches. Comparisons need the value to be present (numeric ones: a finite number); use `exists` with value false to catch a missing field.",
    example: { name: "large-refund", path: "action.amount", op: "gt", value: 1000 },
  });

export type ExceptionRule = z.infer<typeof ExceptionRule>;

function valueProblem(op: RuleOp, value: unknown): string | null {
  switch (op) {
    case "gt":
    case "gte":
    case "lt":
    case "lte":
      return isFiniteNumber(value) ? null : `"${op}" compares with a number: give a finite number as value`;
    case "eq":
    case "neq":
      return value !== undefined && isJsonPrimitive(value) ? null : `"${op}" compares with a single value: give a string, number, boolean or null`;
    case "in":
    case "notIn":
      if (!Array.isArray(value)) return `"${op}" checks membership: give a list as value`;
      if (value.length > maxInEntries) return `Use at most ${maxInEntries} values`;
      return value.every(isJsonPrimitive) ? null : "List only strings, numbers, booleans or null";
    case "exists":
      return value === undefined || typeof value === "boolean" ? null : '"exists" takes true (the path is present, the default) or false (it is missing)';
  }
}

export const ExceptionRules = z
  .array(ExceptionRule)
  .max(MAX_RULES, `Use at most ${MAX_RULES} rules`)
  .superRefine((rules, ctx) => {
    // Names become reason chips (`rule:<name>`): two that differ only in case would read as one.
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      const key = rule.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", path: [index, "name"], message: `Another rule is already named "${rule.name}"` });
      seen.add(key);
    });
  });

/** An own data property of an object or array element, never an inherited or prototype key, never a getter. */
function ownValue(container: unknown, key: string): unknown {
  if (typeof container !== "object" || container === null || forbiddenSegments.has(key)) return undefined;
  if (Array.isArray(container) && !arrayIndex.test(key)) return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(container, key);
  return descriptor && "value" in descriptor ? descriptor.value : undefined;
}

/**
 * The value at a dotted path ("action.items.0.qty"), or undefined when any segment is absent, the path
 * is malformed, or it names a prototype key. JSON has no undefined, so undefined means "absent".
 */
export function resolvePath(item: RuleSubject, path: string): unknown {
  if (typeof path !== "string" || path.length > 200 || pathProblem(path) !== null) return undefined;
  let current: unknown = item;
  for (const segment of path.split(".")) {
    current = ownValue(current, segment);
    if (current === undefined) return undefined;
  }
  return current;
}

/** Whether the rule's condition holds for the item; see the header for missing and mistyped values. */
export function ruleMatches(rule: ExceptionRule, item: RuleSubject): boolean {
  const found = resolvePath(item, rule.path);
  const value = rule.value;
  switch (rule.op) {
    case "exists":
      return (found !== undefined) === (value !== false);
    case "gt":
      return isFiniteNumber(found) && isFiniteNumber(value) && found > value;
    case "gte":
      return isFiniteNumber(found) && isFiniteNumber(value) && found >= value;
    case "lt":
      return isFiniteNumber(found) && isFiniteNumber(value) && found < value;
    case "lte":
      return isFiniteNumber(found) && isFiniteNumber(value) && found <= value;
    case "eq":
      return found !== undefined && isJsonPrimitive(value) && found === value;
    case "neq":
      return found !== undefined && isJsonPrimitive(value) && found !== value;
    case "in":
      return found !== undefined && Array.isArray(value) && value.some((entry) => entry === found);
    case "notIn":
      return found !== undefined && Array.isArray(value) && !value.some((entry) => entry === found);
    default:
      return false;
  }
}

/** Whether a numeric rule meets a value that is present but not a finite number: it can't be evaluated. */
export function ruleUnevaluable(rule: ExceptionRule, item: RuleSubject): boolean {
  if (rule.op !== "gt" && rule.op !== "gte" && rule.op !== "lt" && rule.op !== "lte") return false;
  const found = resolvePath(item, rule.path);
  return found !== undefined && !isFiniteNumber(found);
}

/** Whether a stored rule is well formed; `route` treats a malformed one as matching (fail closed). */
export function isValidRule(rule: unknown): rule is ExceptionRule {
  return ExceptionRule.safeParse(rule).success;
}
