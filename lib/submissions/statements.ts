import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { ApiScope } from "@/db/scope";
import { actionHashOf } from "@/lib/client/action-hash";
import { AppError } from "@/lib/errors";
import { asJsonb, asNumeric, asText } from "@/lib/data/pg-values";
import { amountConflict, itemAmount, route } from "@/lib/policy";
import { approvalsNeededFor } from "@/lib/policy/two-person";
import { Amount, type ReviewResource, type ReviewSubmissionInput } from "@/lib/validation/reviews";
import type { Executor } from "@/db/client";
import { auditLog, dailyRollups, decisions, idempotencyKeys, organizations, reviews, taskTypes, webhookDeliveries, webhookEndpoints, workspaces, type Decision, type Review, type TaskType, type WebhookEvent } from "@/db/schema";
import { apiKeyCtes, apiKeyJsonSql, commitWithoutFlushSql, countedApiKeyOf, type CountedApiKey, type KeyMeter } from "@/db/queries/api-keys";
import { appendAudit, auditChainLockSql } from "@/db/queries/audit";
import { rowsOfPrepared } from "@/db/queries/execute";
import { existingClaim, type IdempotencyClaim } from "@/db/queries/idempotency";
import { policyOf, toResource } from "@/db/queries/reviews";
import { newMessageIdSql, subscribedEndpointsSql, webhookBody } from "@/db/queries/webhooks";
import { submittedReviewColumnList, submittedReviewRecord, submittedReviewRecordset } from "./columns";

/**
 * Agent submissions in bulk: a batch of any size (one for POST /reviews) costs two statements — one
 * to authorize and read what routing needs, one to claim its idempotency keys and write everything —
 * instead of a transaction of about ten round trips per item; one statement, guarded, for a key the
 * instance already read for (`SubmissionGuard`). Each statement is atomic on its own, which is what
 * the transaction was for.
 */

/** The task type fields a submission needs: its policy, where it lands, its SLA and default expiry. */
export type SubmissionTaskType = Pick<
  TaskType,
  "id" | "key" | "workspaceId" | "mode" | "reversible" | "dataClass" | "confidenceThreshold" | "amountLimit" | "amountCurrency" | "amountPath" | "amountCurrencyPath" | "auditSampleRate" | "exceptionRules" | "slaMinutes"
  | "defaultExpirySeconds" | "twoPersonRule"
>;

/**
 * What a task type looked like when read: a digest of its whole row, so any change to it (policy,
 * workspace, SLA, …) changes the digest. A write guarded by `SubmissionGuard` compares it.
 */
const taskTypeDigestSql = sql`md5(t::text)`;

/** Over the CTEs of `apiKeyCtes` (`k`, `hit`): the presented key has the meter's scope and is within its rate. */
const keyAllowedSql = (meter: KeyMeter & { limit: number }) => sql`${meter.scope} = any(k.scopes) and (select count from hit) <= ${meter.limit}`;

/** The events at least one enabled endpoint of an organization subscribes to (rows of `event`). */
const subscribedEventsSql = (org: SQL) => sql`select s.event from ${webhookEndpoints} e cross join unnest(e.events) as s(event)
  where e.organization_id = ${org} and e.disabled_at is null`;

export type SubmissionLookup = {
  /**
   * Per requested key: "new" when no request has used it yet (the write claims it), the outcome of a
   * finished or running request with it, or null when a request holding it died (stale: take it over
   * with `claimIdempotencyKey`).
   */
  claims: Map<string, IdempotencyClaim | null>;
  taskTypes: Map<string, SubmissionTaskType>;
  /** Per task type id: the digest of its row as read (see `SubmissionGuard`). */
  taskTypeDigests: Map<string, string>;
  /** Status and task type key of each named `revisionOf` review of the organization. */
  revisions: Map<string, { status: Review["status"]; taskType: string }>;
  /** Events at least one enabled endpoint of the organization subscribes to. */
  subscribedEvents: Set<WebhookEvent>;
};

type LookupRow = {
  key: Parameters<typeof countedApiKeyOf>[0];
  existing: { key: string; requestHash: string; responseStatus: number | null; responseBody: string | null; completed: boolean; stale: boolean }[];
  task_types: (SubmissionTaskType & { digest: string })[];
  revisions: { id: string; status: Review["status"]; taskType: string }[];
  subscribed: WebhookEvent[];
};

/** An in-flight claim older than this belongs to a request that died; `claimIdempotencyKey` may take it over. */
const STALE_CLAIM = sql`interval '60 seconds'`;

/**
 * Who submits: an organization whose request was already authorized, or a presented API key that the
 * lookup authenticates and counts itself (`apiKeyCtes`), reading the organization's data only when the
 * key has the scope and is within its rate (`limit`).
 */
export type SubmissionActor = { organizationId: string } | { presentedKey: string; meter: KeyMeter & { limit: number } };

/**
 * One statement: (for a key actor: authenticates and counts the request,) reads the idempotency keys
 * already taken, the task types and revised reviews named, and which webhook events have subscribers.
 * It claims nothing: `writeSubmissions` claims a free key in the statement that writes its submission.
 */
export async function lookUpForSubmissions(
  db: Executor,
  actor: SubmissionActor,
  params: { idempotency: { key: string; requestHash: string }[]; taskTypeKeys: string[]; revisionIds: string[] },
): Promise<SubmissionLookup & { key?: CountedApiKey | null }> {
  const wanted = JSON.stringify(params.idempotency.map((c) => ({ key: c.key })));
  const byKey = "presentedKey" in actor;
  const who = byKey
    ? sql`${apiKeyCtes(actor.presentedKey, actor.meter)},
      actor as (
        select k.organization_id from k where ${keyAllowedSql(actor.meter)}
      ),`
    : sql`actor as (select ${actor.organizationId}::uuid as organization_id),`;
  const org = sql`(select organization_id from actor)`;
  // Prepared, so PostgreSQL parses it once per connection, and planned on every call (the app's sessions
  // force custom plans, db/client.ts): its input is a JSON recordset joined to tables that grow, and a
  // cached generic plan chosen while they were small kept scanning them as they grew.
  const [row] = await rowsOfPrepared<LookupRow>(
    db,
    "submission_lookup",
    sql`
      with ${who}
      wanted as (
        select * from json_to_recordset(${wanted}::json) as w(key text)
      )
      select
        ${byKey ? apiKeyJsonSql(actor.meter) : sql`null`} as key,
        (select coalesce(json_agg(json_build_object('key', ik.key, 'requestHash', ik.request_hash, 'responseStatus', ik.response_status,
            'responseBody', ik.response_body, 'completed', ik.completed_at is not null, 'stale', ik.created_at < now() - ${STALE_CLAIM})), '[]')
          from ${idempotencyKeys} ik where ik.organization_id = ${org} and ik.key in (select key from wanted)) as existing,
        (select coalesce(json_agg(json_build_object('id', t.id, 'key', t.key, 'workspaceId', t.workspace_id, 'mode', t.mode,
            'reversible', t.reversible, 'dataClass', t.data_class, 'confidenceThreshold', t.confidence_threshold,
            'amountLimit', t.amount_limit::text, 'amountCurrency', t.amount_currency, 'amountPath', t.amount_path,
            'amountCurrencyPath', t.amount_currency_path, 'auditSampleRate', t.audit_sample_rate,
            'exceptionRules', t.exception_rules, 'slaMinutes', t.sla_minutes, 'defaultExpirySeconds', t.default_expiry_seconds,
            'twoPersonRule', t.two_person_rule, 'digest', ${taskTypeDigestSql})), '[]')
          from ${taskTypes} t
          where t.organization_id = ${org} and t.key in (select json_array_elements_text(${JSON.stringify(params.taskTypeKeys)}::json))) as task_types,
        (select coalesce(json_agg(json_build_object('id', r.id, 'status', r.status, 'taskType', rt.key)), '[]')
          from ${reviews} r join ${taskTypes} rt on rt.id = r.task_type_id and rt.organization_id = ${org}
          where r.organization_id = ${org} and r.id in (select json_array_elements_text(${JSON.stringify(params.revisionIds)}::json)::uuid)) as revisions,
        (select coalesce(json_agg(distinct event), '[]') from (${subscribedEventsSql(org)}) s) as subscribed,
        ${commitWithoutFlushSql} as commit_mode`,
  );
  const existing = new Map(row.existing.map((e) => [e.key, e]));
  const claims = new Map<string, IdempotencyClaim | null>();
  for (const { key, requestHash } of params.idempotency) {
    const found = existing.get(key);
    if (!found) claims.set(key, { kind: "new" });
    else claims.set(key, existingClaim({ ...found, completedAt: found.completed }, requestHash) ?? (found.stale ? null : { kind: "in_flight" }));
  }
  return {
    ...(byKey ? { key: countedApiKeyOf(row.key) } : {}),
    claims,
    taskTypes: new Map(row.task_types.map((t) => [t.key, t])),
    taskTypeDigests: new Map(row.task_types.map((t) => [t.id, t.digest])),
    revisions: new Map(row.revisions.map((r) => [r.id, { status: r.status, taskType: r.taskType }])),
    subscribedEvents: new Set(row.subscribed),
  };
}

/**
 * New task types start strict: approve_before_action, unclassified, in the default workspace, until an
 * admin classifies them — unless the organization turned automatic registration off (422). Audited.
 */
export async function registerTaskType(db: Executor, actor: { organizationId: string; apiKeyId: string | null }, key: string): Promise<SubmissionTaskType> {
  return db.transaction(async (tx) => {
    const where = and(eq(taskTypes.organizationId, actor.organizationId), eq(taskTypes.key, key));
    const [existing] = await tx.select().from(taskTypes).where(where);
    if (existing) return existing;
    const [org] = await tx.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, actor.organizationId));
    if (org?.settings.autoRegisterTaskTypes === false) {
      throw new AppError("invalid", `Unknown task type "${key}", and this organization doesn't register new task types automatically.`, {
        fieldErrors: { taskType: [`Unknown task type "${key}"`] },
      });
    }
    const [workspace] = await tx
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(and(eq(workspaces.organizationId, actor.organizationId), eq(workspaces.isDefault, true)));
    if (!workspace) throw new AppError("conflict", "This organization has no default workspace to register a new task type in.");
    const [created] = await tx
      .insert(taskTypes)
      .values({ organizationId: actor.organizationId, key, name: key, workspaceId: workspace.id, mode: "approve_before_action", classified: false })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      const [raced] = await tx.select().from(taskTypes).where(where);
      return raced;
    }
    await appendAudit(tx, {
      organizationId: actor.organizationId,
      actorApiKeyId: actor.apiKeyId,
      action: "task_type.registered",
      targetType: "task_type",
      targetId: created.id,
      data: { key, mode: created.mode },
    });
    return created;
  });
}

/**
 * `revisionOf` must name a rejected review of the same organization and the same task type: a revision
 * is shown beside its original to the revision's reviewers, who may not see another task type's (or
 * workspace's) items.
 */
export function checkRevisionOf(input: { revisionOf?: string; taskType: string }, revisions: SubmissionLookup["revisions"]): void {
  if (!input.revisionOf) return;
  const original = revisions.get(input.revisionOf.toLowerCase());
  const problem = !original
    ? "No such review"
    : original.status !== "rejected"
      ? `That review is ${original.status}, not rejected`
      : original.taskType !== input.taskType
        ? `That review is of another task type, not "${input.taskType}"`
        : null;
  if (problem) {
    throw new AppError("invalid", "`revisionOf` must be the id of a rejected review of this organization and of the same task type.", {
      fieldErrors: { revisionOf: [problem] },
    });
  }
}

/** A routed submission: the rows it will write and the review as the API shows it, built before writing. */
export type PlannedSubmission = {
  review: Review;
  decision: Decision | null;
  taskTypeKey: string;
  resource: ReviewResource;
};

/**
 * Routes one submission with the pure policy and builds the rows it will write — with values as the
 * database will hold them (`lib/pg-values`), so the resource built from them is the one a read of the
 * row returns — and the resource itself.
 */
export function planSubmission(
  scope: Pick<ApiScope, "organizationId" | "apiKeyId">,
  taskType: SubmissionTaskType,
  input: ReviewSubmissionInput,
  options: { now: Date; random?: () => number },
): PlannedSubmission {
  const { now } = options;
  const policy = policyOf(taskType);
  const conflict = amountConflict(policy, input);
  if (conflict) {
    throw new AppError("invalid", `The submission states two different amounts: ${conflict}. Send the same amount in both, or only one.`, {
      fieldErrors: { amount: [conflict] },
    });
  }
  const routing = route(
    policy,
    { action: input.action, context: input.context, confidence: input.confidence, amount: input.amount, attributes: input.attributes },
    options.random,
  );
  // The amount routing went by (at the task type's path, else the top-level one): stored, so the
  // queue shows and sorts by it, and compared by the two-person rule.
  const amount = itemAmount(policy, input);
  // An amount read from the action gets the checks a top-level one got from the request schema.
  const range = amount ? Amount.shape.value.safeParse(amount.value) : null;
  if (range && !range.success) {
    const message = range.error.issues[0]?.message ?? "Not a usable amount";
    throw new AppError("invalid", `The amount at ${policy.amountPath} can't be used: ${message}.`, { fieldErrors: { [policy.amountPath ?? "amount"]: [message] } });
  }
  const autoApproved = !routing.blocking;
  const expirySeconds = input.expiresInSeconds ?? taskType.defaultExpirySeconds ?? null;
  const review: Review = {
    id: randomUUID(),
    organizationId: scope.organizationId,
    workspaceId: taskType.workspaceId,
    taskTypeId: taskType.id,
    apiKeyId: scope.apiKeyId,
    status: autoApproved ? "approved" : "pending",
    mode: taskType.mode,
    needsHuman: routing.needsHuman,
    blocking: routing.blocking,
    routingReasons: routing.reasons.map((r) => asText(r)),
    title: asText(input.title),
    action: asJsonb(input.action),
    draft: asText(input.draft),
    context: input.context === undefined ? null : asJsonb(input.context),
    confidence: input.confidence ?? null,
    amountValue: amount ? asNumeric(amount.value, 2) : null,
    amountCurrency: amount ? asText(amount.currency) : null,
    attributes: asJsonb(input.attributes ?? {}),
    priority: input.priority ?? "normal",
    priorityRank: { urgent: 3, high: 2, normal: 1, low: 0 }[input.priority ?? "normal"],
    externalId: asText(input.externalId),
    callbackUrl: asText(input.callbackUrl),
    expiresAt: expirySeconds && !autoApproved ? new Date(now.getTime() + expirySeconds * 1000) : null,
    slaDueAt: routing.needsHuman ? new Date(now.getTime() + taskType.slaMinutes * 60_000) : null,
    revisionOf: input.revisionOf ? input.revisionOf.toLowerCase() : null,
    claimedBy: null,
    leaseExpiresAt: null,
    // Read now: a rule changed later applies to items submitted after the change, not to those waiting.
    approvalsNeeded: approvalsNeededFor(taskType.twoPersonRule, taskType, { blocking: routing.blocking, amount }),
    version: 1,
    createdAt: now,
    updatedAt: now,
    decidedAt: autoApproved ? now : null,
    reviewedAt: null,
  };
  const decision: Decision | null = autoApproved
    ? {
        id: randomUUID(),
        organizationId: scope.organizationId,
        reviewId: review.id,
        outcome: "auto_approved",
        reviewerOutcome: null,
        final: true,
        action: review.action,
        draft: review.draft,
        reason: null,
        note: null,
        reviewerId: null,
        timeOnItemMs: null,
        actionHash: actionHashOf(input.action),
        createdAt: now,
      }
    : null;
  const resource = toResource(review, taskType.key, decision ? { decision, reviewerName: null, reviewerEmail: null } : null);
  return { review, decision, taskTypeKey: taskType.key, resource };
}

export type SubmissionWrite = PlannedSubmission & {
  /**
   * The submission's Idempotency-Key and request fingerprint. A free key is claimed by the write
   * itself, complete with its response; one this request already holds (`claimIdempotencyKey`) gets
   * the response.
   */
  idempotency?: { key: string; requestHash: string; held: boolean };
  /** The response body stored with the key (the JSON of `resource`). */
  responseBody?: string;
};

/**
 * A write planned from what an earlier request read (task types, subscribed events, the key's
 * organization), instead of from a lookup of its own: the statement authenticates and counts the
 * presented key itself (`apiKeyCtes`), and writes only when the key still is the one planned with,
 * has the scope and is within its rate, and the task types and subscriptions are as planned with.
 */
export type SubmissionGuard = {
  presentedKey: string;
  meter: KeyMeter & { limit: number };
  organizationId: string;
  apiKeyId: string;
  /** Per task type id the write uses: its digest as planned with (`SubmissionLookup.taskTypeDigests`). */
  taskTypeDigests: ReadonlyMap<string, string>;
  subscribedEvents: ReadonlySet<WebhookEvent>;
};

export type SubmissionWriteResult = {
  /** Keys another request took meanwhile: their submissions were not written. */
  lost: Set<string>;
  /** Guarded writes: the presented key as counted (null: no such key), and whether anything was written. */
  guard?: { key: CountedApiKey | null; current: boolean };
};

/** The guard's condition over the CTEs of `apiKeyCtes` (`k`, `hit`). */
function guardConditionSql(guard: SubmissionGuard): SQL {
  const ids = [...guard.taskTypeDigests.keys()].sort();
  const digests = ids.map((id) => guard.taskTypeDigests.get(id)!);
  const org = sql`${guard.organizationId}::uuid`;
  return sql`exists (select 1 from k where k.id = ${guard.apiKeyId} and k.organization_id = ${org} and ${keyAllowedSql(guard.meter)})
    and (select coalesce(array_agg(${taskTypeDigestSql} order by t.id::text), '{}') from ${taskTypes} t
      where t.organization_id = ${org} and t.id::text in (select json_array_elements_text(${JSON.stringify(ids)}::json))) = array(select json_array_elements_text(${JSON.stringify(digests)}::json))
    and (select coalesce(array_agg(distinct event order by event), '{}') from (${subscribedEventsSql(org)}) s) = array(select json_array_elements_text(${JSON.stringify([...guard.subscribedEvents].sort())}::json))`;
}

/**
 * Claims the free idempotency keys and writes planned submissions — reviews, auto-approvals with their
 * decisions and rollups, audit entries, webhook messages and the idempotent responses — in one
 * statement, so all of them commit or none does.
 * A submission whose free key another request took meanwhile is not written (its key is in `lost`;
 * that request's answer is the one to give). A request with the same key arriving while this runs
 * waits for it and then finds the answer, so a key is never seen in flight between claim and write.
 * `subscribedEvents` (from the lookup) spares serializing messages nobody receives; the endpoints
 * themselves are read by the statement. With a `guard`, the statement is also the request's
 * authentication and count, and writes nothing unless what the write was planned from still holds.
 */
export async function writeSubmissions(
  db: Executor,
  scope: Pick<ApiScope, "organizationId" | "apiKeyId">,
  items: SubmissionWrite[],
  options: { now: Date; subscribedEvents: ReadonlySet<WebhookEvent>; guard?: SubmissionGuard },
): Promise<SubmissionWriteResult> {
  const { guard } = options;
  if (items.length === 0 && !guard) return { lost: new Set() };
  const { now } = options;
  const org = scope.organizationId;
  const records = items.map((item, ord) => {
    const r = item.review;
    const payload = { review: item.resource };
    const decided = item.decision !== null;
    return {
      ord,
      ...submittedReviewRecord(r),
      decision_id: item.decision?.id ?? null,
      action_hash: item.decision?.actionHash ?? null,
      audit_data: { taskType: item.taskTypeKey, status: r.status, reasons: r.routingReasons, externalId: r.externalId },
      idempotency_key: item.idempotency?.key ?? null,
      request_hash: item.idempotency?.requestHash ?? null,
      held: item.idempotency?.held ?? false,
      response_body: item.idempotency === undefined ? null : (item.responseBody ?? JSON.stringify(item.resource)),
      created_body: options.subscribedEvents.has("review.created") ? webhookBody("review.created", payload, now) : null,
      decided_body: decided && (r.callbackUrl || options.subscribedEvents.has("review.decided")) ? webhookBody("review.decided", payload, now) : null,
    };
  });
  const at = sql`${now.toISOString()}::timestamptz`;
  // Only the parts this write needs: planning (per call) costs as much as all of the executing.
  const decides = records.some((r) => r.decision_id !== null);
  const messages = records.some((r) => r.created_body !== null || r.decided_body !== null);
  const held = records.some((r) => r.held);
  // Prepared, planned per call: see lookUpForSubmissions.
  const [row] = await rowsOfPrepared<{ key: Parameters<typeof countedApiKeyOf>[0]; current: boolean; lost: string[] }>(
    db,
    guard ? "submission_guarded_write" : "submission_write",
    sql`
    with ${guard ? sql`${apiKeyCtes(guard.presentedKey, guard.meter)},
    guard as (select coalesce(${guardConditionSql(guard)}, false) as current),` : sql``}
    input as (
      select * from json_to_recordset(${JSON.stringify(records)}::json) as x(
        ord int, ${sql.raw(submittedReviewRecordset)}, decision_id uuid, action_hash text,
        audit_data jsonb, idempotency_key text, request_hash text, held boolean, response_body text, created_body text, decided_body text)
      ${guard ? sql`where (select current from guard)` : sql``}
    ),
    claimed as (
      -- In key order, so two batches sharing keys can't deadlock on each other's. A key another request
      -- holds makes this wait for that request's end, then skip it.
      insert into ${idempotencyKeys} (organization_id, key, request_hash, response_status, response_body, created_at, completed_at)
      select ${org}, idempotency_key, request_hash, 201, response_body, ${at}, ${at} from input
      where idempotency_key is not null and not held order by idempotency_key
      on conflict do nothing
      returning key
    ),
    written as (
      select * from input where idempotency_key is null or held or idempotency_key in (select key from claimed)
    ),
    new_reviews as (
      insert into ${reviews} (organization_id, api_key_id, created_at, updated_at, ${sql.raw(submittedReviewColumnList)})
      select ${org}, ${scope.apiKeyId}, ${at}, ${at}, ${sql.raw(submittedReviewColumnList)}
      from written order by ord
    ),
    ${decides ? sql`new_decisions as (
      insert into ${decisions} (id, organization_id, review_id, outcome, action, draft, action_hash, created_at)
      select decision_id, ${org}, id, 'auto_approved', action, draft, action_hash, ${at} from written where decision_id is not null order by ord
    ),` : sql``}
    rollups as (
      -- Grouped, and in key order so concurrent batches take the rollup rows' locks in the same order.
      insert into ${dailyRollups} (organization_id, task_type_id, mode, day, submitted, auto_approved)
      select ${org}, task_type_id, mode, ${now.toISOString().slice(0, 10)}::date, count(*)::int, (count(*) filter (where decision_id is not null))::int
      from written group by task_type_id, mode order by task_type_id, mode
      on conflict (organization_id, task_type_id, mode, day) do update set
        submitted = ${dailyRollups}.submitted + excluded.submitted, auto_approved = ${dailyRollups}.auto_approved + excluded.auto_approved
    ),
    audit_writer as (
      -- The audit chain's lock, shared (see appendAudit): taken before the entries below get their ids.
      select pg_advisory_xact_lock_shared(${auditChainLockSql(org)})
    ),
    audit as (
      insert into ${auditLog} (organization_id, actor_api_key_id, action, target_type, target_id, data, created_at)
      select ${org}, ${scope.apiKeyId}, 'review.submitted', 'review', id::text, audit_data, clock_timestamp() from written cross join audit_writer order by ord
    )${messages ? sql`,
    messages as (
      select i.ord, 0 as rank, null::timestamptz as created_at, null::uuid as endpoint_id, i.callback_url as url, 'review.decided' as event, i.decided_body as body, i.id
      from written i where i.decided_body is not null and i.callback_url is not null
      union all
      select i.ord, 1, e.created_at, e.id, e.url, m.event, m.body, i.id
      from written i
      cross join lateral (values ('review.created', i.created_body), ('review.decided', i.decided_body)) as m(event, body)
      cross join lateral (${subscribedEndpointsSql(org, sql`m.event`)}) as e
      where m.body is not null
    ),
    new_messages as (
      insert into ${webhookDeliveries} (organization_id, endpoint_id, url, message_id, event, payload)
      select ${org}, endpoint_id, url, ${newMessageIdSql}, event, jsonb_build_object('body', body, 'reviewId', id::text)
      from messages order by ord, event, rank, created_at, endpoint_id
    )` : sql``}${held ? sql`,
    responses as (
      update ${idempotencyKeys} k set response_status = 201, response_body = i.response_body, completed_at = ${at}
      from input i where i.held and k.organization_id = ${org} and k.key = i.idempotency_key
    )` : sql``}
    select
      ${guard ? apiKeyJsonSql(guard.meter) : sql`null`} as key,
      ${guard ? sql`(select current from guard)` : sql`true`} as current,
      (select coalesce(json_agg(idempotency_key), '[]') from input
        where idempotency_key is not null and not held and idempotency_key not in (select key from claimed)) as lost`,
  );
  return { lost: new Set(row.lost), ...(guard ? { guard: { key: countedApiKeyOf(row.key), current: row.current } } : {}) };
}
