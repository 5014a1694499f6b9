import "server-only";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { isInvalidValue } from "@/db/errors";
import { can, type Capability } from "@/lib/security/permissions";
import { currentScope } from "@/lib/auth/session";
import type { Scope } from "@/db/scope";
import type { ActionResult, ActionState } from "@/lib/errors/action-result";
import { AppError, fieldErrorsFrom } from "@/lib/errors";

export { ok, type ActionResult, type ActionState } from "@/lib/errors/action-result";

/**
 * Options for an action's form. `arrays` names fields a form may send several times (a group of
 * checkboxes): they parse as an array of every value sent, `[]` when none, where any other field
 * keeps one value. Only named fields are arrays, so a repeated field can't change another's type.
 */
export type FormOptions = { arrays?: readonly string[] };

function formToObject(formData: FormData, options: FormOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || options.arrays?.includes(key)) continue;
    out[key] = typeof value === "string" ? value : undefined;
  }
  for (const key of options.arrays ?? []) out[key] = formData.getAll(key).filter((v): v is string => typeof v === "string");
  return out;
}

/** next/navigation's redirect() and notFound() work by throwing; they must pass through untouched. */
function isNavigationSignal(e: unknown): boolean {
  const digest = (e as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND");
}

export function failure(e: unknown): Extract<ActionResult, { ok: false }> {
  if (e instanceof AppError) {
    return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors, retryAfterSeconds: e.retryAfterSeconds };
  }
  if (isInvalidValue(e)) return { ok: false, code: "invalid", message: "A field holds a value that can't be stored, such as a NUL character." };
  const requestId = crypto.randomUUID();
  console.error(`[action ${requestId}]`, e);
  return { ok: false, code: "internal", message: `Something went wrong on our side (reference ${requestId.slice(0, 8)}). Nothing was changed; try again.` };
}

/**
 * React resets a form after its action; a failed submission hands back what was typed (never secrets)
 * so the form can offer it again as default values. An `arrays` field echoes its values joined by
 * newlines (read them back with `echoedAll`).
 */
function echoFields(formData: FormData, options: FormOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION") || /password|token|secret/i.test(key)) continue;
    out[key] = options.arrays?.includes(key) && key in out ? `${out[key]}\n${value.slice(0, 500)}`.slice(0, 2000) : value.slice(0, 500);
  }
  return out;
}

async function run<S extends z.ZodType, T>(
  schema: S,
  formData: FormData,
  fn: (input: z.output<S>) => Promise<ActionResult<T>>,
  options: FormOptions = {},
): Promise<ActionResult<T>> {
  // A crafted call can send any arguments (a plain object, a string, none at all): bad input, not a crash.
  if (!(formData instanceof FormData)) return { ok: false, code: "invalid", message: "Send the form's fields." };
  const result = await attempt(schema, formData, fn, options);
  return result.ok ? result : { ...result, values: echoFields(formData, options) };
}

async function attempt<S extends z.ZodType, T>(schema: S, formData: FormData, fn: (input: z.output<S>) => Promise<ActionResult<T>>, options: FormOptions): Promise<ActionResult<T>> {
  try {
    const parsed = schema.safeParse(formToObject(formData, options));
    if (!parsed.success) {
      return { ok: false, code: "invalid", message: "Check the highlighted fields.", fieldErrors: fieldErrorsFrom(parsed.error.issues) };
    }
    return await fn(parsed.data);
  } catch (e) {
    if (isNavigationSignal(e)) throw e;
    return failure(e);
  }
}

/** For the few actions a signed-out person may call (sign in, sign up, accept an invite). */
export function publicAction<S extends z.ZodType, T = undefined>(schema: S, fn: (input: z.output<S>, ctx: { db: Db }) => Promise<ActionResult<T>>) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionResult<T>> => run(schema, formData, (input) => fn(input, { db: getDb() }));
}

/**
 * Every other action: authenticate (session → user), authorize (role read from the database now,
 * against the capability), parse with zod, then the domain. The order matters: nothing is parsed
 * or touched for a caller who may not call it.
 */
export function scopedAction<S extends z.ZodType, T = undefined>(
  capability: Capability,
  schema: S,
  fn: (input: z.output<S>, ctx: { db: Db; scope: Scope }) => Promise<ActionResult<T>>,
  options: FormOptions = {},
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionResult<T>> => {
    const lookup = await currentScope();
    if (!lookup) return { ok: false, code: "unauthorized", message: "Your session has ended. Sign in again." };
    if (!lookup.ok) {
      const message = lookup.reason === "ended" ? "Your session has ended. Sign in again." : "Your access to this organization has been disabled.";
      return { ok: false, code: "unauthorized", message };
    }
    if (!can(lookup.scope.role, capability)) return { ok: false, code: "forbidden", message: "Your role doesn't allow this." };
    const scope = lookup.scope;
    return run(schema, formData, (input) => fn(input, { db: getDb(), scope }), options);
  };
}
