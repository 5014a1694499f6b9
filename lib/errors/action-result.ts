import type { ErrorCode, FieldErrors } from "@/lib/errors";

/** What every server action returns to `useActionState`. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; retryAfterSeconds?: number; values?: Record<string, string> };

export type ActionState<T = undefined> = ActionResult<T> | null;

export function ok<T>(data: T, message?: string): ActionResult<T> {
  return { ok: true, data, message };
}

/** The value a failed submission echoed back for one field, for `defaultValue`. */
export function echoed(state: ActionState<unknown>, name: string): string | undefined {
  return state && !state.ok ? state.values?.[name] : undefined;
}

/** Every value a failed submission echoed back for a field sent several times (checkboxes; see `FormOptions.arrays`). */
export function echoedAll(state: ActionState<unknown>, name: string): string[] | undefined {
  const value = echoed(state, name);
  return value === undefined ? (state && !state.ok && state.values ? [] : undefined) : value.split("\n");
}
