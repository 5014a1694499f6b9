/** True when a database error (drizzle wraps the driver's in `cause`) is a unique violation, optionally of one constraint. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (let err = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown } | undefined; err; err = err.cause as typeof err) {
    if (err.code === "23505") return !constraint || err.constraint === constraint || err.constraint_name === constraint;
  }
  return false;
}
