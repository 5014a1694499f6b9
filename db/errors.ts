type DriverError = { code?: unknown; constraint?: unknown; constraint_name?: unknown; errors?: unknown[]; cause?: unknown };

/** An error and what it wraps (drizzle wraps the driver's error in `cause`), outermost first. */
function* causes(e: unknown): Generator<DriverError> {
  for (let err = e as DriverError | undefined; err; err = err.cause as DriverError | undefined) yield err;
}

/** True when a database error is a unique violation, optionally of one constraint. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  for (const err of causes(e)) {
    if (err.code === "23505") return !constraint || err.constraint === constraint || err.constraint_name === constraint;
  }
  return false;
}

/**
 * True for PostgreSQL's data exceptions (class 22): a value the database can't store or compare, such
 * as a NUL character, a malformed uuid or a timestamp out of range. Bad input, not a failure of ours.
 */
export function isInvalidValue(e: unknown): boolean {
  for (const err of causes(e)) if (typeof err.code === "string" && err.code.startsWith("22")) return true;
  return false;
}

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/** True when the database can't be reached right now (restart, failover): the client should retry. */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (const err of causes(e)) {
    if (typeof err.code === "string" && (unavailableCodes.has(err.code) || err.code.startsWith("08"))) return true;
    // AggregateError from a failed connect to several addresses
    if (Array.isArray(err.errors) && err.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}
