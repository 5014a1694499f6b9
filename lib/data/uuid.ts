/** A uuid as PostgreSQL prints it (8-4-4-4-12 hex digits, any case). */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

const UUID = new RegExp(`^${UUID_PATTERN}$`, "i");

/** Whether an id from a URL or a tool call can be a uuid: anything else is "not found" without a query. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
