import "server-only";
import { dbHandle } from "@/db/client";

/**
 * The database-outage detector of the agent API (`answer` in ./handler.ts): state shared by the requests
 * of this instance, so that once one finds the database down, the others in flight stop waiting on it.
 */

/** Whether requests find the database unreachable; cleared by the next one that gets through. */
let databaseDown = false;
/** Requests in flight, told when the database is found down. */
const outageWatchers = new Set<() => void>();
/** How long a request waits for the database once it is known to be down, before answering 503. */
const OUTAGE_WAIT_MS = 3000;
/** A request still unanswered after this long has the database probed on a connection of its own. */
const PROBE_AFTER_MS = 3000;
const PROBE_TIMEOUT_MS = 2000;
let probing: Promise<void> | undefined;

export function databaseFoundDown(): void {
  if (databaseDown) return;
  databaseDown = true;
  for (const watch of outageWatchers) watch();
}

/**
 * Whether a slow request means the database is down. A restart can leave every pooled connection in a
 * reconnect that fails only at the driver's connect timeout (30 s), so no request fails to tell the
 * others; a probe of `select 1` on its own connection finds out in PROBE_TIMEOUT_MS. One at a time.
 */
function probeDatabase(): void {
  probing ??= dbHandle()
    .probe(PROBE_TIMEOUT_MS)
    .catch(() => databaseFoundDown())
    .finally(() => (probing = undefined));
}

/** A request got through: the database is up again. */
export function databaseAnswered(): void {
  databaseDown = false;
}

/** `work`, or a CONNECT_TIMEOUT error OUTAGE_WAIT_MS after the database is found down, whichever comes first. */
export function withinOutageWait(work: Promise<Response>): Promise<Response> {
  work.catch(() => {}); // may settle after the 503 went out: nothing left to tell
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watch = () => {};
  const deadline = new Promise<never>((_, reject) => {
    watch = () => {
      timer ??= setTimeout(() => reject(Object.assign(new Error("The database did not answer during an outage"), { code: "CONNECT_TIMEOUT" })), OUTAGE_WAIT_MS);
    };
  });
  if (databaseDown) watch();
  else outageWatchers.add(watch);
  const probe = setTimeout(() => databaseDown || probeDatabase(), PROBE_AFTER_MS);
  return Promise.race([work, deadline]).finally(() => {
    clearTimeout(timer);
    clearTimeout(probe);
    outageWatchers.delete(watch);
  });
}
