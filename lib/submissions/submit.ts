import "server-only";
import { dbHandle, type Db } from "@/db/client";
import { claimIdempotencyKey, releaseIdempotencyKeys, type IdempotencyClaim } from "@/db/queries/idempotency";
import { hitRateLimit } from "@/db/queries/rate-limit";
import {
  checkRevisionOf,
  lookUpForSubmissions,
  planSubmission,
  registerTaskType,
  writeSubmissions,
  type SubmissionGuard,
  type SubmissionTaskType,
  type SubmissionWrite,
} from "@/lib/submissions/statements";
import { isInvalidValue } from "@/db/errors";
import { env } from "@/lib/config/env";
import { announceQueueChange } from "@/db/notify";
import { AppError } from "@/lib/errors";
import { ReviewSubmission, type ReviewSubmissionInput } from "@/lib/validation/reviews";
import { checkWebhookTargets, type LookupAddresses } from "@/lib/webhooks/ssrf";
import { parseWith } from "@/lib/api/body";
import { forgetSubmitter, knownSubmitter, rememberSubmitter, type KnownSubmitter } from "./known-submitters";
import { authorize, scopeFromCountedKey, type ApiAuthority, type ApiScope } from "@/lib/api/handler";
import { requestFingerprint, type StoredResponse } from "@/lib/api/idempotency";

/**
 * The agent submission path (POST /api/v1/reviews, POST /api/v1/reviews/batch, MCP `request_review`).
 * Every request validates its entries and checks their callback URLs (authorizing first, when it has
 * any), then takes one of three paths per pass (`submitWave`):
 *
 * 1. Known key — this instance read for the presented key a moment ago (./known-submitters.ts), and
 *    the pass names only task types it read and no `revisionOf`: one guarded statement
 *    (`writeSubmissions` with a `SubmissionGuard`) authenticates and counts the key (`apiKeyCtes` in
 *    db/queries/api-keys.ts) and writes, on the generic-plan sessions of db/client.ts. If what it was
 *    planned from changed, it writes nothing and the pass takes path 2.
 * 2. Lookup — otherwise: one statement (`lookUpForSubmissions`) authenticates and counts the key (or
 *    takes an already authorized scope) and reads idempotency keys, task types, revised reviews and
 *    webhook subscriptions; unknown task types register; one statement writes every entry.
 * 3. One by one — when that bulk write fails (an entry the database refuses), each entry of the pass
 *    is written alone, so one bad entry doesn't sink the others.
 *
 * Every path writes through `writeSubmissions` (./statements.ts), whose columns are listed once in
 * ./columns.ts.
 */

/** What an Idempotency-Key fingerprints: POST /reviews and each batch item are the same operation. */
const SUBMIT_OPERATION = "POST /api/v1/reviews";

export type SubmissionEntry = { body: unknown; idempotencyKey?: string };
export type SubmissionOutcome = { ok: true; response: StoredResponse } | { ok: false; error: unknown };

/**
 * The problem for each refused callback URL: private, loopback and link-local targets (the allow-list
 * aside), and names that don't resolve in time. A few lookups at a time, however many URLs a batch has.
 */
async function refusedCallbackUrls(urls: string[], lookup: LookupAddresses | undefined): Promise<Map<string, AppError>> {
  const refused = new Map<string, AppError>();
  for (const [url, verdict] of await checkWebhookTargets(urls, { allowlist: env().WEBHOOK_ALLOWLIST, lookup })) {
    if (!verdict.ok) refused.set(url, new AppError("invalid", "The callbackUrl can't be used.", { fieldErrors: { callbackUrl: [verdict.reason] } }));
  }
  return refused;
}

/** A value the database can't store (a NUL character, a lone surrogate): that item's 422, not a 500. */
function asBadValue(e: unknown): unknown {
  return isInvalidValue(e) ? new AppError("invalid", "The submission holds a value that can't be stored, such as a NUL character.") : e;
}

const mismatch = () =>
  new AppError("invalid", "This Idempotency-Key was already used with a different request body.", { fieldErrors: { "Idempotency-Key": ["Already used with a different body"] } });
const inFlight = () => new AppError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.", { retryAfterSeconds: 1 });

type Ready = { index: number; input: ReviewSubmissionInput; key?: string; fingerprint?: string };

/** How many unknown task types a request may register, and an API key in an hour (counted in PostgreSQL). */
export const NEW_TASK_TYPES_PER_REQUEST = 5;
export const NEW_TASK_TYPES_PER_HOUR = 20;

/** The 422 of an item whose unknown task type is past the registration limit, naming every key refused. */
function registrationRefusal(keys: string[], limit: string): AppError {
  const named = keys.map((k) => `"${k}"`).join(", ");
  return new AppError("invalid", `Too many new task types: ${limit}. Not registered: ${named}. Send them later, or in fewer requests.`, {
    fieldErrors: { taskType: [`New task types are limited to ${limit}; not registered: ${named}`] },
  });
}

/** The outcome of an existing claim (anything but "new"). */
function outcomeOfClaim(claim: Exclude<IdempotencyClaim, { kind: "new" }>): SubmissionOutcome {
  if (claim.kind === "replay") return { ok: true, response: { status: claim.status, body: claim.body, replayed: true } };
  return { ok: false, error: claim.kind === "mismatch" ? mismatch() : inFlight() };
}

type WaveOptions = { now?: Date; random?: () => number; lookUp?: boolean };

/**
 * One pass over submissions whose idempotency keys are all distinct: look up in one statement, route,
 * then claim the keys and write all of them in one statement. When that write fails (an item the
 * database refuses), each item is written alone, so one bad item doesn't sink the others. Returns the
 * scope and the entries to run again: those whose key another request took between lookup and write.
 *
 * A key this instance knows (`knownSubmitter`) skips the lookup when the pass needs nothing else
 * (no `revisionOf`, only task types it knows): its write is guarded, and is then also the request's
 * authentication and count. If what it was planned from changed, it writes nothing and the pass runs
 * again with a lookup.
 */
async function submitWave(db: Db, who: ApiScope | ApiAuthority, wave: Ready[], outcomes: SubmissionOutcome[], options: WaveOptions): Promise<{ scope: ApiScope; again: Ready[] }> {
  const now = options.now ?? new Date();
  const distinct = <T>(xs: (T | undefined)[]) => [...new Set(xs.filter((x): x is T => x !== undefined))];
  const byKey = "presentedKey" in who;
  const known = byKey && !options.lookUp ? knownSubmitter(who.presentedKey) : undefined;
  if (byKey && known && wave.every((r) => !r.input.revisionOf && known.taskTypes.has(r.input.taskType))) {
    return submitKnown(db, who, known, wave, outcomes, { ...options, now });
  }
  let lookup;
  try {
    lookup = await lookUpForSubmissions(db, byKey ? { presentedKey: who.presentedKey, meter: who.meter } : { organizationId: who.organizationId }, {
      idempotency: wave.filter((r) => r.key !== undefined).map((r) => ({ key: r.key!, requestHash: r.fingerprint! })),
      taskTypeKeys: distinct(wave.map((r) => r.input.taskType)),
      revisionIds: distinct(wave.map((r) => r.input.revisionOf?.toLowerCase())),
    });
  } catch (e) {
    // Not knowing whether the request is authorized, fail it as a whole.
    if (byKey) throw e;
    for (const r of wave) outcomes[r.index] = { ok: false, error: e };
    return { scope: who, again: [] };
  }
  // 401/403/429 before anything about the items; nothing was claimed for a request refused here.
  const scope = byKey ? scopeFromCountedKey(who, lookup.key ?? null) : who;
  if (byKey) rememberSubmitter(who.presentedKey, { organizationId: scope.organizationId, apiKeyId: scope.apiKeyId }, lookup);

  // Keys this pass took over from a request that died: freed again for every item that ends up not written.
  const held = new Map<number, string>();
  const proceed: Ready[] = [];
  for (const r of wave) {
    if (r.key === undefined) {
      proceed.push(r);
      continue;
    }
    try {
      const found = lookup.claims.get(r.key);
      // null: held by a request that died (rare); the one-key path takes it over.
      const claim = found ?? (await claimIdempotencyKey(db, scope.organizationId, r.key, r.fingerprint!));
      if (claim.kind === "new") {
        if (!found) held.set(r.index, r.key);
        proceed.push(r);
      } else outcomes[r.index] = outcomeOfClaim(claim);
    } catch (e) {
      outcomes[r.index] = { ok: false, error: e };
    }
  }

  // An item with a bad revisionOf is refused before anything is registered for it.
  const valid = proceed.filter((r) => {
    try {
      checkRevisionOf(r.input, lookup.revisions);
      return true;
    } catch (e) {
      outcomes[r.index] = { ok: false, error: e };
      return false;
    }
  });

  // Unknown task types register (strict) once per key, and only for items that will be written; a
  // few per request and per hour (`registrationRefusal`), so an agent can't flood the admin's list.
  const registered = new Map<string, { taskType: SubmissionTaskType } | { error: unknown }>();
  const unknown = distinct(valid.map((r) => (lookup.taskTypes.has(r.input.taskType) ? undefined : r.input.taskType)));
  const overRequest = unknown.slice(NEW_TASK_TYPES_PER_REQUEST);
  const overHour: string[] = [];
  for (const key of unknown.slice(0, NEW_TASK_TYPES_PER_REQUEST)) {
    try {
      const verdict = await hitRateLimit(db, `task-types:${scope.apiKeyId}`, { limit: NEW_TASK_TYPES_PER_HOUR, windowSeconds: 3600 }, now);
      if (verdict.allowed) registered.set(key, { taskType: await registerTaskType(db, { organizationId: scope.organizationId, apiKeyId: scope.apiKeyId }, key) });
      else overHour.push(key);
    } catch (error) {
      registered.set(key, { error });
    }
  }
  for (const key of overRequest) registered.set(key, { error: registrationRefusal(overRequest, `at most ${NEW_TASK_TYPES_PER_REQUEST} per request`) });
  for (const key of overHour) registered.set(key, { error: registrationRefusal(overHour, `at most ${NEW_TASK_TYPES_PER_HOUR} an hour per API key`) });

  const writes = planWrites(scope, valid, (r) => {
    const taskType = lookup.taskTypes.get(r.input.taskType);
    return taskType ? { taskType } : registered.get(r.input.taskType)!;
  }, held, outcomes, { ...options, now });

  // Entries whose key another request took between lookup and write: the next pass finds its answer.
  const again: Ready[] = [];
  const write = async (items: PlannedWrite[]) => {
    const { lost } = await writeSubmissions(db, scope, items.map((w) => w.write), { now, subscribedEvents: lookup.subscribedEvents });
    recordWritten(items, lost, outcomes, again);
  };
  try {
    await write(writes);
  } catch (e) {
    if (writes.length === 1) outcomes[writes[0].ready.index] = { ok: false, error: asBadValue(e) };
    else {
      for (const w of writes) {
        try {
          await write([w]);
        } catch (itemError) {
          outcomes[w.ready.index] = { ok: false, error: asBadValue(itemError) };
        }
      }
    }
  }
  announceWritten(db, scope.organizationId, writes, outcomes);
  const release = [...held].filter(([index]) => !outcomes[index]?.ok).map(([, key]) => key);
  await releaseIdempotencyKeys(db, scope.organizationId, release).catch(() => {});
  return { scope, again };
}

/**
 * A pass for a key this instance knows (see `submitWave`): planned from what its last lookup read,
 * written with a guard that authenticates and counts the request and checks what the plan used.
 */
async function submitKnown(
  db: Db,
  authority: ApiAuthority,
  known: KnownSubmitter,
  wave: Ready[],
  outcomes: SubmissionOutcome[],
  options: WaveOptions & { now: Date },
): Promise<{ scope: ApiScope; again: Ready[] }> {
  const planned = { organizationId: known.organizationId, apiKeyId: known.apiKeyId };
  const writes = planWrites(planned, wave, (r) => ({ taskType: known.taskTypes.get(r.input.taskType)! }), new Map(), outcomes, options);
  const used = new Set(writes.map((w) => w.write.review.taskTypeId));
  const guard: SubmissionGuard = {
    presentedKey: authority.presentedKey,
    meter: authority.meter,
    ...planned,
    taskTypeDigests: new Map([...used].map((id) => [id, known.taskTypeDigests.get(id) ?? ""])),
    subscribedEvents: known.subscribedEvents,
  };
  let result;
  try {
    // On sessions keeping generic plans (db/client.ts): this statement reads only keys, task types,
    // endpoints and rate counters by the planner's choice, and otherwise only writes.
    result = await writeSubmissions(dbHandle().generic, planned, writes.map((w) => w.write), { now: options.now, subscribedEvents: known.subscribedEvents, guard });
  } catch {
    // Nothing was written or counted: the pass again, with a lookup (which can write entries one by one).
    return submitWave(db, authority, wave, outcomes, { ...options, lookUp: true });
  }
  const { key, current } = result.guard!;
  if (!current) forgetSubmitter(authority.presentedKey);
  // 401/403/429 before anything about the items, as after a lookup.
  const scope = scopeFromCountedKey(authority, key);
  // Authenticated and counted, but planned from something that changed: again, with a lookup.
  if (!current) return submitWave(db, scope, wave, outcomes, options);
  const again: Ready[] = [];
  recordWritten(writes, result.lost, outcomes, again);
  announceWritten(db, scope.organizationId, writes, outcomes);
  return { scope, again };
}

type PlannedWrite = { ready: Ready; write: SubmissionWrite };

/** Routes and plans each entry with its task type (or the error registering it); a failing entry gets its outcome. */
function planWrites(
  scope: Pick<ApiScope, "organizationId" | "apiKeyId">,
  entries: Ready[],
  taskTypeOf: (r: Ready) => { taskType: SubmissionTaskType } | { error: unknown },
  held: ReadonlyMap<number, string>,
  outcomes: SubmissionOutcome[],
  options: { now: Date; random?: () => number },
): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const r of entries) {
    try {
      const found = taskTypeOf(r);
      if ("error" in found) throw found.error;
      const plan = planSubmission(scope, found.taskType, r.input, options);
      const idempotency = r.key === undefined ? undefined : { key: r.key, requestHash: r.fingerprint!, held: held.has(r.index) };
      writes.push({ ready: r, write: { ...plan, idempotency, responseBody: JSON.stringify(plan.resource) } });
    } catch (e) {
      outcomes[r.index] = { ok: false, error: e };
    }
  }
  return writes;
}

/** Each written entry's answer; an entry whose key another request took (`lost`) goes to `again`. */
function recordWritten(writes: PlannedWrite[], lost: ReadonlySet<string>, outcomes: SubmissionOutcome[], again: Ready[]): void {
  for (const w of writes) {
    if (w.ready.key !== undefined && lost.has(w.ready.key)) again.push(w.ready);
    else outcomes[w.ready.index] = { ok: true, response: { status: 201, body: w.write.responseBody!, replayed: false } };
  }
}

/**
 * Open queues re-read on a coalesced event: one NOTIFY per instance and moment, not one per submission
 * (no one waits on a review that didn't exist until now).
 */
function announceWritten(db: Db, organizationId: string, writes: PlannedWrite[], outcomes: SubmissionOutcome[]): void {
  if (writes.some((w) => outcomes[w.ready.index]?.ok)) announceQueueChange(db, organizationId, "created");
}

/**
 * Submissions as POST /reviews (one) and POST /reviews/batch (up to 100) run them: validate each and
 * check its callback, then claim, route and write them in bulk. One outcome per entry, in order; a
 * failing entry has its own error and doesn't affect the others. Idempotency holds per entry, inside a
 * batch too: a repeated key replays the first entry's response (same body) or is a 422 (another body).
 */
/**
 * An authorized request's scope, or (POST /reviews) the request's unchecked authority: then the first
 * lookup authenticates, checks the scope and counts the request itself, and 401/403/429 are thrown
 * before any entry's own error.
 */
export type Submitter = { scope: ApiScope } | { authority: ApiAuthority };

export async function submitReviews(
  db: Db,
  submitter: Submitter,
  entries: SubmissionEntry[],
  options: { now?: Date; random?: () => number; /** Resolves callback hosts (tests); the system resolver otherwise. */ lookup?: LookupAddresses } = {},
): Promise<SubmissionOutcome[]> {
  const outcomes: SubmissionOutcome[] = new Array(entries.length);
  const ready: Ready[] = [];
  for (const [index, entry] of entries.entries()) {
    try {
      const input = parseWith(ReviewSubmission, entry.body, "The submission has invalid fields.");
      const keyed = entry.idempotencyKey !== undefined;
      ready.push({ index, input, key: entry.idempotencyKey, fingerprint: keyed ? requestFingerprint(SUBMIT_OPERATION, entry.body) : undefined });
    } catch (e) {
      outcomes[index] = { ok: false, error: e };
    }
  }

  const urls = [...new Set(ready.map((r) => r.input.callbackUrl).filter((u): u is string => !!u))];
  let scope = "scope" in submitter ? submitter.scope : null;
  const authority = "authority" in submitter ? submitter.authority : null;
  // Checking a callback resolves its host name: done only for a request known to be authorized.
  if (!scope && urls.length > 0 && authority) scope = await authorize(db, authority);
  const refused = await refusedCallbackUrls(urls, options.lookup);
  let pending = ready.filter((r) => {
    const problem = r.input.callbackUrl ? refused.get(r.input.callbackUrl) : null;
    if (problem) outcomes[r.index] = { ok: false, error: problem };
    return !problem;
  });

  // Nothing left to submit: the request is still authorized (and counted) before its errors are told.
  if (!scope && pending.length === 0 && authority) scope = await authorize(db, authority);

  // Passes: each takes the first pending entry of every key. A later entry with the same key takes
  // the first one's answer; if the first failed (its key is free again, or someone else's), it goes
  // to the next pass and asks the database itself, as it would have one request later.
  while (pending.length > 0) {
    const firstOfKey = new Map<string, Ready>();
    const wave: Ready[] = [];
    const repeats: Ready[] = [];
    for (const r of pending) {
      if (r.key === undefined) wave.push(r);
      else if (firstOfKey.has(r.key)) repeats.push(r);
      else {
        firstOfKey.set(r.key, r);
        wave.push(r);
      }
    }
    const pass = await submitWave(db, scope ?? authority!, wave, outcomes, options);
    scope = pass.scope;
    pending = pass.again;
    for (const r of repeats) {
      const first = firstOfKey.get(r.key!)!;
      const answer = outcomes[first.index];
      // No answer yet (the first runs again) or a failure (its key is free again): ask again.
      if (!answer?.ok) pending.push(r);
      else outcomes[r.index] = first.fingerprint === r.fingerprint ? { ok: true, response: { ...answer.response, replayed: true } } : { ok: false, error: mismatch() };
    }
  }
  return outcomes;
}

/** One submission (POST /reviews): the stored response, or the error to answer with. */
export async function submitOne(db: Db, submitter: Submitter, body: unknown, idempotencyKey: string | undefined): Promise<StoredResponse> {
  const [outcome] = await submitReviews(db, submitter, [{ body, idempotencyKey }]);
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}
