import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { decryptSecret, encryptSecret, newWebhookSecret } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import { rowsOf, type Db, type Executor, type Tx } from "../client";
import { organizations, webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookEvent } from "../schema";
import { appendAudit } from "./audit";

/**
 * The webhook outbox. Rows are written in the same transaction as the change they announce (so a
 * rolled-back decision sends nothing) and sent later by `deliverDueWebhooks`, which claims due rows
 * with SKIP LOCKED so any number of instances share the work without sending a message twice.
 */

/**
 * What `webhook_deliveries.payload` holds: the exact body sent on every attempt (jsonb would reorder
 * the keys of a stored object, and the signature covers the bytes), plus the review it concerns and
 * whether it is an admin's test event, for the delivery log.
 */
export type StoredWebhookPayload = { body: string; reviewId: string | null; test?: true };

export type EnqueueWebhookParams = {
  organizationId: string;
  event: WebhookEvent;
  /** The event's `data`; it must be JSON-serializable. */
  payload: Record<string, unknown>;
  /** The item's own callback URL, if it has one; it gets its own message besides the org's endpoints. */
  callbackUrl?: string | null;
  reviewId?: string | null;
};

export function newMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

/**
 * The same shape as `newMessageId` (msg_ + base64url of 18 random bytes), made by the database for
 * rows whose number isn't known before the statement runs (one per subscribed endpoint).
 */
export const newMessageIdSql = sql`'msg_' || translate(encode(substring(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) from 1 for 18), 'base64'), '+/', '-_')`;

/** The exact bytes every target of a message is sent (and that its signature covers). */
export function webhookBody(event: WebhookEvent, payload: Record<string, unknown>, at = new Date()): string {
  return JSON.stringify({ type: event, timestamp: at.toISOString(), data: payload });
}

/** Enabled endpoints of the organization subscribed to `event` (an SQL expression), oldest first: the rows a message fans out to. */
export function subscribedEndpointsSql(organizationId: string, event: SQL): SQL {
  return sql`select e.id, e.url, e.created_at from ${webhookEndpoints} e
    where e.organization_id = ${organizationId} and e.disabled_at is null and ${event} = any(e.events)`;
}

/**
 * Queues one message per target: the item's callback URL (if any) and every enabled org endpoint
 * subscribed to the event. Call it inside the transaction that makes the change. Returns the new
 * message ids (the `webhook-id` each target will see on every attempt), the callback's first.
 * One statement: the endpoints are looked up by the insert itself.
 */
export async function enqueueWebhook(tx: Executor, params: EnqueueWebhookParams): Promise<string[]> {
  const payload: StoredWebhookPayload = { body: webhookBody(params.event, params.payload), reviewId: params.reviewId ?? null };
  const callback = params.callbackUrl ? sql`select null::uuid as id, ${params.callbackUrl}::text as url, null::timestamptz as created_at, 0 as rank union all ` : sql``;
  const rows = await rowsOf<{ message_id: string }>(
    tx,
    sql`
      insert into ${webhookDeliveries} (organization_id, endpoint_id, url, message_id, event, payload)
      select ${params.organizationId}, t.id, t.url, ${newMessageIdSql}, ${params.event}, ${JSON.stringify(payload)}::jsonb
      from (${callback}select s.id, s.url, s.created_at, 1 as rank from (${subscribedEndpointsSql(params.organizationId, sql`${params.event}::text`)}) s) t
      order by t.rank, t.created_at, t.id
      returning message_id`,
  );
  return rows.map((r) => r.message_id);
}

/** A claimed delivery: everything needed to send it, secrets still sealed. */
export type ClaimedDelivery = {
  id: string;
  organizationId: string;
  endpointId: string | null;
  url: string;
  messageId: string;
  event: WebhookEvent;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  /** Signs per-item callbacks; null until the organization has one. */
  organizationSecretEncrypted: string | null;
  /** Endpoint deliveries are signed with the endpoint's own secret, and its previous one until that expires. */
  endpointSecretEncrypted: string | null;
  endpointPreviousSecretEncrypted: string | null;
  endpointDisabled: boolean;
};

type ClaimRow = {
  id: string;
  organization_id: string;
  endpoint_id: string | null;
  url: string;
  message_id: string;
  event: WebhookEvent;
  body: string;
  attempts: number;
  organization_secret: string | null;
  endpoint_secret: string | null;
  endpoint_previous_secret: string | null;
  endpoint_disabled: boolean | null;
};

/**
 * Takes up to `limit` due pending deliveries, oldest first, in one statement: SKIP LOCKED lets other
 * instances pass over rows being claimed, and pushing `next_attempt_at` out by the lease hides the
 * claimed rows from later claims. The lease must outlast one send; if the worker dies mid-send, the
 * rows simply come due again when it ends (at-least-once: receivers dedupe on `webhook-id`).
 */
export async function claimDueDeliveries(db: Executor, params: { limit: number; leaseSeconds: number; now?: Date }): Promise<ClaimedDelivery[]> {
  const now = params.now ? sql`${params.now.toISOString()}::timestamptz` : sql`now()`;
  const rows = await rowsOf<ClaimRow>(
    db,
    sql`
      with due as (
        select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= ${now}
        order by next_attempt_at, id
        limit ${params.limit}
        for update skip locked
      ),
      claimed as (
        update webhook_deliveries d
        set next_attempt_at = ${now} + make_interval(secs => ${params.leaseSeconds})
        from due
        where d.id = due.id
        returning d.id, d.organization_id, d.endpoint_id, d.url, d.message_id, d.event, d.payload ->> 'body' as body, d.attempts, d.created_at
      )
      select c.id, c.organization_id, c.endpoint_id, c.url, c.message_id, c.event, c.body, c.attempts,
        o.webhook_secret_encrypted as organization_secret,
        e.secret_encrypted as endpoint_secret,
        case when e.previous_secret_expires_at > ${now} then e.previous_secret_encrypted end as endpoint_previous_secret,
        e.disabled_at is not null as endpoint_disabled
      from claimed c
      join organizations o on o.id = c.organization_id
      left join webhook_endpoints e on e.id = c.endpoint_id and e.organization_id = c.organization_id
      order by c.created_at, c.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    endpointId: r.endpoint_id,
    url: r.url,
    messageId: r.message_id,
    event: r.event,
    body: r.body,
    attempts: Number(r.attempts),
    organizationSecretEncrypted: r.organization_secret,
    endpointSecretEncrypted: r.endpoint_secret,
    endpointPreviousSecretEncrypted: r.endpoint_previous_secret,
    endpointDisabled: r.endpoint_disabled === true,
  }));
}

/**
 * The organization's sealed signing secret, created on first need: a callback must never go out
 * unsigned, and an admin can reveal or rotate the secret later. Racing workers agree on one secret
 * (the conditional update lets only the first write win).
 */
export async function ensureOrganizationWebhookSecret(db: Executor, organizationId: string): Promise<string> {
  await db
    .update(organizations)
    .set({ webhookSecretEncrypted: encryptSecret(newWebhookSecret()) })
    .where(and(eq(organizations.id, organizationId), isNull(organizations.webhookSecretEncrypted)));
  const [row] = await db.select({ secret: organizations.webhookSecretEncrypted }).from(organizations).where(eq(organizations.id, organizationId));
  if (!row?.secret) throw new Error(`Organization ${organizationId} has no webhook secret`);
  return row.secret;
}

export type DeliveryAttemptResult = {
  id: string;
  organizationId: string;
  ok: boolean;
  /** The HTTP status, when a response came back at all. */
  status?: number | null;
  error?: string | null;
  durationMs: number;
  /** When to try again after a failure; null gives up (`failed`). Ignored when `ok`. */
  nextAttemptAt: Date | null;
  now?: Date;
};

/**
 * Logs the attempt and moves the delivery on, in one transaction. Returns false (and changes nothing
 * but the log) when the delivery is no longer pending — another worker finished it after this one's
 * lease ran out — so a late failure can't undo a success.
 */
export async function recordDeliveryAttempt(db: Db, params: DeliveryAttemptResult): Promise<boolean> {
  const now = params.now ?? new Date();
  return db.transaction(async (tx) => {
    const where = and(eq(webhookDeliveries.id, params.id), eq(webhookDeliveries.organizationId, params.organizationId));
    const [current] = await tx.select({ status: webhookDeliveries.status, endpointId: webhookDeliveries.endpointId }).from(webhookDeliveries).where(where).for("update");
    if (!current) return false;
    await tx.insert(webhookAttempts).values({
      organizationId: params.organizationId,
      deliveryId: params.id,
      attemptedAt: now,
      responseStatus: params.status ?? null,
      durationMs: Math.round(params.durationMs),
      error: params.ok ? null : (params.error ?? null),
    });
    if (current.status !== "pending") return false;
    await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastResponseStatus: params.status ?? null,
        lastError: params.ok ? null : (params.error ?? null),
        status: params.ok ? "delivered" : params.nextAttemptAt ? "pending" : "failed",
        deliveredAt: params.ok ? now : null,
        ...(!params.ok && params.nextAttemptAt ? { nextAttemptAt: params.nextAttemptAt } : {}),
      })
      .where(where);
    if (current.endpointId) await trackEndpointHealth(tx, { organizationId: params.organizationId, endpointId: current.endpointId, ok: params.ok, now });
    return true;
  });
}

/**
 * `failing_since`: the first failure since the last success, which the auto-disable sweep reads.
 * Written only when it changes, so busy endpoints don't queue every attempt behind one row lock; a
 * disabled endpoint's refusals don't count (it isn't being tried).
 */
async function trackEndpointHealth(tx: Tx, params: { organizationId: string; endpointId: string; ok: boolean; now: Date }) {
  const endpoint = and(eq(webhookEndpoints.organizationId, params.organizationId), eq(webhookEndpoints.id, params.endpointId));
  if (params.ok) {
    await tx.update(webhookEndpoints).set({ failingSince: null }).where(and(endpoint, isNotNull(webhookEndpoints.failingSince)));
  } else {
    await tx.update(webhookEndpoints).set({ failingSince: params.now }).where(and(endpoint, isNull(webhookEndpoints.failingSince), isNull(webhookEndpoints.disabledAt)));
  }
}

export type DeliveryRow = {
  id: string;
  endpointId: string | null;
  reviewId: string | null;
  /** A test event an admin sent from the endpoint's page. */
  test: boolean;
  url: string;
  messageId: string;
  event: WebhookEvent;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  nextAttemptAt: Date;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

/**
 * The delivery log, newest first, for the scope's organization only. Whether the viewer may see it
 * (e.g. `webhooks.manage`) is the caller's check.
 */
export async function listDeliveries(db: Executor, scope: Scope, params: { reviewId?: string; endpointId?: string; limit?: number } = {}): Promise<DeliveryRow[]> {
  const limit = Math.min(Math.max(params.limit ?? 50, 1), 200);
  return db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      reviewId: sql<string | null>`${webhookDeliveries.payload} ->> 'reviewId'`,
      test: sql<boolean>`coalesce((${webhookDeliveries.payload} ->> 'test')::boolean, false)`,
      url: webhookDeliveries.url,
      messageId: webhookDeliveries.messageId,
      event: webhookDeliveries.event,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastResponseStatus: webhookDeliveries.lastResponseStatus,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.organizationId, scope.organizationId),
        params.reviewId ? sql`${webhookDeliveries.payload} ->> 'reviewId' = ${params.reviewId}` : undefined,
        params.endpointId ? eq(webhookDeliveries.endpointId, params.endpointId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);
}

export type DeliveryAttemptRow = { id: string; attemptedAt: Date; responseStatus: number | null; durationMs: number | null; error: string | null };

/** One delivery's attempts, oldest first; empty for another organization's delivery. */
export async function listDeliveryAttempts(db: Executor, scope: Scope, params: { deliveryId: string }): Promise<DeliveryAttemptRow[]> {
  return db
    .select({
      id: webhookAttempts.id,
      attemptedAt: webhookAttempts.attemptedAt,
      responseStatus: webhookAttempts.responseStatus,
      durationMs: webhookAttempts.durationMs,
      error: webhookAttempts.error,
    })
    .from(webhookAttempts)
    .where(and(eq(webhookAttempts.organizationId, scope.organizationId), eq(webhookAttempts.deliveryId, params.deliveryId)))
    .orderBy(asc(webhookAttempts.attemptedAt), asc(webhookAttempts.id));
}

/**
 * The organization's signing secret in plain text, for an admin to hand to their agents; created on
 * first need, exactly as the first delivery would. Audited (who looked, not what they saw). Whether
 * the caller may see it (`webhooks.manage`) is the caller's check.
 */
export async function revealOrganizationWebhookSecret(db: Executor, scope: Scope): Promise<string> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ sealed: organizations.webhookSecretEncrypted })
      .from(organizations)
      .where(eq(organizations.id, scope.organizationId))
      .for("update");
    if (!current) throw new AppError("not_found", "Organization not found.");
    const sealed = current.sealed ?? (await ensureOrganizationWebhookSecret(tx, scope.organizationId));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "webhook_secret.revealed",
      targetType: "organization",
      targetId: scope.organizationId,
      data: { created: current.sealed === null },
    });
    return decryptSecret(sealed);
  });
}

/**
 * Replaces the organization's signing secret. There is no overlap period: the next delivery, retries
 * of earlier messages included, is signed with the new secret, so agents must switch at once. Returns
 * the new secret (the only time it leaves the server unasked); the audit entry never holds it.
 */
export async function rotateOrganizationWebhookSecret(db: Executor, scope: Scope): Promise<string> {
  const secret = newWebhookSecret();
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ sealed: organizations.webhookSecretEncrypted })
      .from(organizations)
      .where(eq(organizations.id, scope.organizationId))
      .for("update");
    if (!current) throw new AppError("not_found", "Organization not found.");
    await tx.update(organizations).set({ webhookSecretEncrypted: encryptSecret(secret) }).where(eq(organizations.id, scope.organizationId));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "webhook_secret.rotated",
      targetType: "organization",
      targetId: scope.organizationId,
      data: { replacedExisting: current.sealed !== null },
    });
  });
  return secret;
}
