/** One readable line for a failure: drizzle wraps driver errors ("Failed query: …"), so prefer the innermost cause. */
export function errorLine(e: unknown): string {
  let current: unknown = e;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.split("\n")[0];
}
