/**
 * Deeper JSON is refused: agents' actions and evidence are shallow, and deep nesting only exhausts
 * stacks further on (JSON.stringify, the idempotency fingerprint, PostgreSQL's jsonb parser).
 */
export const MAX_JSON_DEPTH = 64;

/** The most JSON text the agent API reads in one request body, and so the largest action it can hold. */
export const MAX_JSON_BYTES = 256 * 1024;

/**
 * How deeply a JSON value nests (a scalar is 0) and whether its numbers are all finite (JSON text can
 * overflow to Infinity: 1e999). Walked without recursion, and only until it nests past the limit.
 */
export function jsonShape(value: unknown): { depth: number; finite: boolean } {
  let depth = 0;
  let finite = true;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0 && depth <= MAX_JSON_DEPTH) {
    const [v, level] = pending.pop()!;
    if (typeof v === "number" && !Number.isFinite(v)) finite = false;
    if (v === null || typeof v !== "object") continue;
    depth = Math.max(depth, level + 1);
    for (const child of Object.values(v)) pending.push([child, level + 1]);
  }
  return { depth, finite };
}
