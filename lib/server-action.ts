import "server-only";
import { z } from "zod";
import { getDb, type Db } from "@/db/client";
import { can, type Capability } from "@/lib/auth/permissions";
import { currentScope } from "@/lib/auth/session";
import type { Scope } from "@/lib/auth/scope";
import { AppError, fieldErrorsFrom, type ErrorCode, type FieldErrors } from "@/lib/errors";

/** What every server action returns to `useActionState`. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; retryAfterSeconds?: number };

export type ActionState<T = undefined> = ActionResult<T> | null;

function formToObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    out[key] = typeof value === "string" ? value : undefined;
  }
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
  const requestId = crypto.randomUUID();
  console.error(`[action ${requestId}]`, e);
  return { ok: false, code: "internal", message: `Something went wrong on our side (reference ${requestId.slice(0, 8)}). Nothing was changed; try again.` };
}

async function run<S extends z.ZodType, T>(schema: S, formData: FormData, fn: (input: z.output<S>) => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    const parsed = schema.safeParse(formToObject(formData));
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
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionResult<T>> => {
    const lookup = await currentScope();
    if (!lookup) return { ok: false, code: "unauthorized", message: "Your session has ended. Sign in again." };
    if (!lookup.ok) return { ok: false, code: "unauthorized", message: "Your access to this organization has been disabled." };
    if (!can(lookup.scope.role, capability)) return { ok: false, code: "forbidden", message: "Your role doesn't allow this." };
    const scope = lookup.scope;
    return run(schema, formData, (input) => fn(input, { db: getDb(), scope }));
  };
}

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return { ok: true, data, message };
}
