import "server-only";
import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Scope } from "@/db/scope";
import { encryptSecret, newWebhookSecret } from "@/lib/security/crypto";
import { AppError } from "@/lib/errors";
import { AUTO_DISABLE_AFTER_DAYS, endpointEvents, ROTATION_OVERLAP_HOURS, type CreateWebhookEndpointInput, type UpdateWebhookEndpointInput } from "@/lib/validation/webhooks";
import { rowsOf, type Db, type Executor, type Tx } from "../client";
import { webhookDeliveries, webhookEndpoints, type WebhookEvent } from "../schema";
import { appendAudit } from "./audit";
import { newMessageId, webhookBody, type StoredWebhookPayload } from "./webhooks";

/**
 * Organization-level webhook endpoints: an admin's receivers, each with its own signing secret (sealed
 * at rest, shown once), its event subscriptions, and a status the delivery worker can change (it
 * disables an endpoint that has failed for days). Every change is audited in its own transaction;
 * secrets never reach the audit log. Whether the caller may manage endpoints (`webhooks.manage`) is
 * the caller's check; every statement here is confined to the scope's organization.
 */

export type EndpointStatus = "active" | "disabled_by_admin" | "disabled_failing";

export type WebhookEndpointRow = {
  id: string;
  url: string;
  description: string;
  events: WebhookEvent[];
  status: EndpointStatus;
  disabledAt: Date | null;
  /** The first failed attempt since the last success; null while healthy. */
  failingSince: Date | null;
  /** Set while a rotated-out secret still signs alongside the current one. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
  /** The endpoint's most recent attempt, of any delivery. */
  lastAttempt: { at: Date; responseStatus: number | null; error: string | null } | null;
};

type EndpointSqlRow = {
  id: string;
  url: string;
  description: string;
  events: WebhookEvent[] | string;
  disabled_at: Date | string | null;
  disabled_reason: "admin" | "failing" | null;
  failing_since: Date | string | null;
  previous_secret_expires_at: Date | string | null;
  created_at: Date | string;
  last_attempt_at: Date | string | null;
  last_response_status: number | null;
  last_error: string | null;
};

const asDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** postgres.js parses a text[] column; PGlite's raw rows may hand back its literal. */
function eventsOf(value: WebhookEvent[] | string): WebhookEvent[] {
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, "").split(",").filter(Boolean) as WebhookEvent[];
}

function toRow(r: EndpointSqlRow): WebhookEndpointRow {
  const lastAt = asDate(r.last_attempt_at);
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: eventsOf(r.events),
    status: r.disabled_at === null ? "active" : r.disabled_reason === "failing" ? "disabled_failing" : "disabled_by_admin",
    disabledAt: asDate(r.disabled_at),
    failingSince: asDate(r.failing_since),
    previousSecretExpiresAt: asDate(r.previous_secret_expires_at),
    createdAt: new Date(r.created_at),
    lastAttempt: lastAt ? { at: lastAt, responseStatus: r.last_response_status, error: r.last_error } : null,
  };
}

/** Explicit columns: no secret, sealed or not, ever leaves this query. */
function selectEndpointsSql(organizationId: string, id?: string) {
  return sql`
    select e.id, e.url, e.description, e.events, e.disabled_at, e.disabled_reason, e.failing_since,
      case when e.previous_secret_expires_at > now() then e.previous_secret_expires_at end as previous_secret_expires_at,
      e.created_at, last.attempted_at as last_attempt_at, last.response_status as last_response_status, last.error as last_error
    from ${webhookEndpoints} e
    left join lateral (
      select a.attempted_at, a.response_status, a.error
      from webhook_deliveries d
      join webhook_attempts a on a.organization_id = d.organization_id and a.delivery_id = d.id
      where d.organization_id = e.organization_id and d.endpoint_id = e.id
      order by a.attempted_at desc, a.id desc
      limit 1
    ) last on true
    where e.organization_id = ${organizationId} ${id ? sql`and e.id = ${id}` : sql``}
    order by e.created_at, e.id`;
}

export async function listWebhookEndpoints(db: Executor, scope: Scope): Promise<WebhookEndpointRow[]> {
  return (await rowsOf<EndpointSqlRow>(db, selectEndpointsSql(scope.organizationId))).map(toRow);
}

/** Another organization's endpoint is `not_found`, exactly like an unknown id. */
export async function getWebhookEndpoint(db: Executor, scope: Scope, params: { id: string }): Promise<WebhookEndpointRow> {
  const [row] = await rowsOf<EndpointSqlRow>(db, selectEndpointsSql(scope.organizationId, params.id));
  if (!row) throw new AppError("not_found", "No such webhook endpoint.");
  return toRow(row);
}

/**
 * Adds an endpoint whose URL the caller has already checked (`createWebhookEndpoint` in
 * lib/webhooks/endpoints.ts runs the SSRF checks, which resolve DNS, before calling this). Returns its
 * signing secret: the only time it leaves the server.
 */
export async function insertWebhookEndpoint(db: Db, scope: Scope, input: CreateWebhookEndpointInput): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ organizationId: scope.organizationId, url: input.url, description: input.description, events: input.events, secretEncrypted: encryptSecret(secret) })
      .returning({ id: webhookEndpoints.id });
    await audit(tx, scope, "webhook_endpoint.created", row.id, { url: input.url, description: input.description, events: input.events });
    return row.id;
  });
  return { id, secret };
}

async function audit(tx: Tx, scope: Scope, action: string, endpointId: string, data: Record<string, unknown>) {
  await appendAudit(tx, { organizationId: scope.organizationId, actorUserId: scope.userId, action, targetType: "webhook_endpoint", targetId: endpointId, data });
}

/** Locks the endpoint for a change; `not_found` outside the organization. */
async function lockEndpoint(tx: Tx, scope: Scope, id: string) {
  const [row] = await tx
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      events: webhookEndpoints.events,
      disabledAt: webhookEndpoints.disabledAt,
      disabledReason: webhookEndpoints.disabledReason,
      failingSince: webhookEndpoints.failingSince,
    })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, scope.organizationId), eq(webhookEndpoints.id, id)))
    .for("update");
  if (!row) throw new AppError("not_found", "No such webhook endpoint.");
  return row;
}

const whereEndpoint = (scope: Scope, id: string) => and(eq(webhookEndpoints.organizationId, scope.organizationId), eq(webhookEndpoints.id, id));

/** Description and subscriptions; the URL is fixed (a new receiver gets a new endpoint and secret). */
export async function updateWebhookEndpoint(db: Db, scope: Scope, input: UpdateWebhookEndpointInput): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, scope, input.id);
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (current.description !== input.description) [before.description, after.description] = [current.description, input.description];
    if (current.events.join(",") !== input.events.join(",")) [before.events, after.events] = [current.events, input.events];
    if (Object.keys(after).length === 0) return { changed: false };
    await tx.update(webhookEndpoints).set({ description: input.description, events: input.events }).where(whereEndpoint(scope, input.id));
    await audit(tx, scope, "webhook_endpoint.updated", input.id, { url: current.url, before, after });
    return { changed: true };
  });
}

/**
 * Disabling stops new messages at once (queued ones fail when they come due); enabling starts afresh,
 * so an endpoint the worker disabled for failing isn't disabled again at the next sweep.
 */
export async function setWebhookEndpointEnabled(db: Db, scope: Scope, params: { id: string; enabled: boolean }): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, scope, params.id);
    if (params.enabled === (current.disabledAt === null)) throw new AppError("conflict", params.enabled ? "This endpoint is already enabled." : "This endpoint is already disabled.");
    const status = (disabledAt: Date | null, reason: string | null) => (disabledAt === null ? "active" : reason === "failing" ? "disabled_failing" : "disabled_by_admin");
    if (params.enabled) {
      await tx.update(webhookEndpoints).set({ disabledAt: null, disabledReason: null, failingSince: null }).where(whereEndpoint(scope, params.id));
    } else {
      await tx.update(webhookEndpoints).set({ disabledAt: new Date(), disabledReason: "admin" }).where(whereEndpoint(scope, params.id));
    }
    await audit(tx, scope, params.enabled ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", params.id, {
      url: current.url,
      before: { status: status(current.disabledAt, current.disabledReason) },
      after: { status: params.enabled ? "active" : "disabled_by_admin" },
    });
  });
}

/** Its delivery log goes with it (the outbox rows cascade); the audit log keeps the record. */
export async function deleteWebhookEndpoint(db: Db, scope: Scope, params: { id: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, scope, params.id);
    await tx.delete(webhookEndpoints).where(whereEndpoint(scope, params.id));
    await audit(tx, scope, "webhook_endpoint.deleted", params.id, { url: current.url, description: current.description, events: current.events });
  });
}

/**
 * A new secret signs from now on; the one it replaces keeps signing beside it until the overlap ends,
 * so a receiver can switch at its own pace (Standard Webhooks sends both signatures). Rotating again
 * within the window drops the oldest secret: only two ever sign.
 */
export async function rotateWebhookEndpointSecret(db: Db, scope: Scope, params: { id: string; now?: Date }): Promise<{ secret: string; previousSecretExpiresAt: Date }> {
  const now = params.now ?? new Date();
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_HOURS * 3600_000);
  await db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, scope, params.id);
    await tx
      .update(webhookEndpoints)
      .set({ previousSecretEncrypted: sql`${webhookEndpoints.secretEncrypted}`, secretEncrypted: encryptSecret(secret), previousSecretExpiresAt })
      .where(whereEndpoint(scope, params.id));
    await audit(tx, scope, "webhook_endpoint.secret_rotated", params.id, { url: current.url, previousSecretSignsUntil: previousSecretExpiresAt.toISOString() });
  });
  return { secret, previousSecretExpiresAt };
}

/**
 * A test message through the ordinary outbox (signed, retried, logged like any other), so it proves
 * the whole path. The event column is fixed to the schema's event names, so the test goes out as the
 * first event the endpoint subscribes to, with `data.test: true` and no review in it: receivers
 * should acknowledge it and act on nothing.
 */
export async function sendWebhookEndpointTest(db: Db, scope: Scope, params: { id: string }): Promise<{ messageId: string; event: WebhookEvent }> {
  return db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, scope, params.id);
    if (current.disabledAt) throw new AppError("conflict", "This endpoint is disabled. Enable it to send a test event.");
    const event = endpointEvents.find((e) => current.events.includes(e)) ?? current.events[0];
    const messageId = newMessageId();
    const data = { test: true, message: "A test event from Countersign. Nothing happened; acknowledge it with a 2xx and act on nothing.", endpointId: current.id, sentBy: scope.email };
    const payload: StoredWebhookPayload = { body: webhookBody(event, data), reviewId: null, test: true };
    await tx.insert(webhookDeliveries).values({ organizationId: scope.organizationId, endpointId: current.id, url: current.url, messageId, event, payload });
    await audit(tx, scope, "webhook_endpoint.test_sent", params.id, { url: current.url, event, messageId });
    return { messageId, event };
  });
}

/**
 * Sends a pending or failed delivery at the next pass of the worker. A failed one gets one more
 * attempt (and the backoff's remaining steps, if any). Refused while its endpoint is disabled.
 */
export async function retryWebhookDelivery(db: Db, scope: Scope, params: { id: string }): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await rowsOf<{ status: string; message_id: string; endpoint_id: string | null; endpoint_disabled: boolean | null; url: string }>(
      tx,
      sql`select d.status, d.message_id, d.endpoint_id, d.url, e.disabled_at is not null as endpoint_disabled
        from ${webhookDeliveries} d
        left join ${webhookEndpoints} e on e.id = d.endpoint_id and e.organization_id = d.organization_id
        where d.organization_id = ${scope.organizationId} and d.id = ${params.id}
        for update of d`,
    );
    if (!row) throw new AppError("not_found", "No such delivery.");
    if (row.status === "delivered") throw new AppError("conflict", "This delivery already succeeded.");
    if (row.endpoint_disabled) throw new AppError("conflict", "Its endpoint is disabled. Enable the endpoint, then retry.");
    await tx
      .update(webhookDeliveries)
      .set({ status: "pending", nextAttemptAt: sql`now()` })
      .where(and(eq(webhookDeliveries.organizationId, scope.organizationId), eq(webhookDeliveries.id, params.id)));
    await appendAudit(tx, {
      organizationId: scope.organizationId,
      actorUserId: scope.userId,
      action: "webhook_delivery.retried",
      targetType: "webhook_delivery",
      targetId: params.id,
      data: { messageId: row.message_id, endpointId: row.endpoint_id, url: row.url, before: { status: row.status } },
    });
  });
}

/** Endpoints the worker disabled for failing, for the admins' alerts; they stay listed until enabled or deleted. */
export async function listEndpointsDisabledForFailing(db: Executor, scope: Scope): Promise<{ id: string; url: string; description: string; disabledAt: Date; failingSince: Date | null }[]> {
  const rows = await db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, description: webhookEndpoints.description, disabledAt: webhookEndpoints.disabledAt, failingSince: webhookEndpoints.failingSince })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, scope.organizationId), eq(webhookEndpoints.disabledReason, "failing"), isNotNull(webhookEndpoints.disabledAt)))
    .orderBy(asc(webhookEndpoints.disabledAt));
  return rows.map((r) => ({ ...r, disabledAt: r.disabledAt! }));
}

/**
 * The worker's sweep, across organizations: an enabled endpoint whose deliveries have failed, with no
 * success since, for `AUTO_DISABLE_AFTER_DAYS` is disabled as `failing`, audited with no actor (the
 * system did it). Returns what it disabled.
 */
export async function disableFailingEndpoints(db: Db, params: { now?: Date; afterDays?: number } = {}): Promise<{ id: string; organizationId: string }[]> {
  const now = params.now ?? new Date();
  const cutoff = new Date(now.getTime() - (params.afterDays ?? AUTO_DISABLE_AFTER_DAYS) * 86400_000);
  return db.transaction(async (tx) => {
    const disabled = await tx
      .update(webhookEndpoints)
      .set({ disabledAt: now, disabledReason: "failing" })
      .where(and(isNull(webhookEndpoints.disabledAt), isNotNull(webhookEndpoints.failingSince), lte(webhookEndpoints.failingSince, cutoff)))
      .returning({ id: webhookEndpoints.id, organizationId: webhookEndpoints.organizationId, url: webhookEndpoints.url, failingSince: webhookEndpoints.failingSince });
    for (const e of disabled) {
      await appendAudit(tx, {
        organizationId: e.organizationId,
        action: "webhook_endpoint.auto_disabled",
        targetType: "webhook_endpoint",
        targetId: e.id,
        data: { url: e.url, failingSince: e.failingSince?.toISOString() ?? null, afterDays: params.afterDays ?? AUTO_DISABLE_AFTER_DAYS, before: { status: "active" }, after: { status: "disabled_failing" } },
      });
    }
    return disabled.map((e) => ({ id: e.id, organizationId: e.organizationId }));
  });
}
