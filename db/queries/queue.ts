import "server-only";
import { and, asc, desc, eq, gte, ilike, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { can } from "@/lib/security/permissions";
import type { Scope } from "@/db/scope";
import { announceQueueChange, notifyReviewChanged } from "../notify";
import { defaultDirection, type QueueParams } from "@/lib/validation/queue";
import { rowsOf, type Executor } from "../client";
import { auditLog, decisions, organizations, reviews, taskTypes, users, workspaceMembers, workspaces, type Review } from "../schema";
import { visibleWorkspaces } from "./overview";

/**
 * The reviewer workspace's reads and claims. An item is in the queue while a person still has to look
 * at it: a pending item, or an auto-approved one sampled for audit that nobody has reviewed yet. The
 * predicate is written once, here, and matches the partial index `reviews_queue_idx`.
 */
export const inQueue: SQL = sql`${reviews.needsHuman} and ${reviews.reviewedAt} is null and ${reviews.status} in ('pending', 'approved')`;

export const DEFAULT_LEASE_MINUTES = 10;

/** Most urgent, then oldest: exactly the order of `reviews_queue_idx`, so claims read the index instead of sorting. */
const CLAIM_ORDER = sql`${reviews.priorityRank} desc nulls last, ${reviews.createdAt} asc, ${reviews.id} asc`;

/** Items of the workspaces a scope may work: its own for reviewers, every one for managers and admins. */
export function visibleWorkspaceCondition(scope: Scope): SQL | undefined {
  if (can(scope.role, "workspaces.seeAll")) return undefined;
  return sql`${reviews.workspaceId} in (select ${workspaceMembers.workspaceId} from ${workspaceMembers} where ${workspaceMembers.organizationId} = ${scope.organizationId} and ${workspaceMembers.userId} = ${scope.userId})`;
}

function visibleTo(scope: Scope): SQL {
  return and(eq(reviews.organizationId, scope.organizationId), visibleWorkspaceCondition(scope))!;
}

/**
 * Items this person may still give an approval to: whoever approved a two-person item once can't
 * approve it again, so it is neither claimed for them nor offered as their next item.
 */
function notApprovedBy(scope: Scope): SQL {
  return sql`(${reviews.approvalsNeeded} <= 1 or not exists (
    select 1 from ${decisions} a
    where a.organization_id = ${scope.organizationId} and a.review_id = ${reviews.id} and a.reviewer_id = ${scope.userId} and not a.final))`;
}

export type Approval = { userId: string | null; name: string | null; outcome: string; at: string };

/** The approvals a two-person item has so far (its non-final human decisions), oldest first; `[]` for others. */
const approvalsOf = sql<Approval[]>`case when ${reviews.approvalsNeeded} > 1 then (
  select coalesce(json_agg(json_build_object('userId', a.reviewer_id, 'name', u.name, 'outcome', a.outcome, 'at', a.created_at) order by a.created_at), '[]'::json)
  from ${decisions} a left join ${users} u on u.id = a.reviewer_id
  where a.organization_id = ${reviews.organizationId} and a.review_id = ${reviews.id} and not a.final and a.reviewer_id is not null
) else '[]'::json end`;

export async function leaseMinutesOf(db: Executor, organizationId: string): Promise<number> {
  const [org] = await db.select({ settings: organizations.settings }).from(organizations).where(eq(organizations.id, organizationId));
  const minutes = org?.settings.leaseMinutes;
  return typeof minutes === "number" && minutes >= 1 && minutes <= 240 ? minutes : DEFAULT_LEASE_MINUTES;
}

export type QueueRow = {
  id: string;
  title: string | null;
  externalId: string | null;
  priority: Review["priority"];
  status: Review["status"];
  blocking: boolean;
  reasons: string[];
  confidence: number | null;
  amount: { value: number; currency: string } | null;
  createdAt: string;
  slaDueAt: string | null;
  taskType: { key: string; name: string; mode: Review["mode"]; confidenceThreshold: number; amountLimit: number | null; amountCurrency: string | null };
  workspace: { id: string; name: string };
  claim: { userId: string; name: string; until: string } | null;
  approvals: { needed: number; given: Approval[] };
};

const DUE_SOON_MS = 30 * 60_000;

function filtersOf(scope: Scope, params: QueueParams, now: Date): SQL {
  const nowIso = now.toISOString();
  const conditions: (SQL | undefined)[] = [visibleTo(scope), inQueue];
  if (params.workspace) conditions.push(eq(reviews.workspaceId, params.workspace));
  if (params.taskType) conditions.push(eq(taskTypes.key, params.taskType));
  if (params.priority) conditions.push(eq(reviews.priority, params.priority));
  if (params.reason === "rule") conditions.push(sql`exists (select 1 from unnest(${reviews.routingReasons}) r where r like 'rule:%' or r like 'rule\_error:%')`);
  else if (params.reason) conditions.push(sql`${params.reason} = any(${reviews.routingReasons})`);
  if (params.sla === "overdue") conditions.push(lt(reviews.slaDueAt, now));
  if (params.sla === "due_soon") conditions.push(and(gte(reviews.slaDueAt, now), lt(reviews.slaDueAt, new Date(now.getTime() + DUE_SOON_MS))));
  if (params.sla === "on_track") conditions.push(or(isNull(reviews.slaDueAt), gte(reviews.slaDueAt, new Date(now.getTime() + DUE_SOON_MS))));
  const held = sql`${reviews.claimedBy} is not null and ${reviews.leaseExpiresAt} > ${nowIso}`;
  if (params.claim === "claimed") conditions.push(held);
  if (params.claim === "unclaimed") conditions.push(sql`not (${held})`);
  if (params.claim === "mine") conditions.push(and(eq(reviews.claimedBy, scope.userId), sql`${reviews.leaseExpiresAt} > ${nowIso}`));
  if (params.age) {
    const hours = { "1h": 1, "4h": 4, "24h": 24 }[params.age];
    conditions.push(lt(reviews.createdAt, new Date(now.getTime() - hours * 3600_000)));
  }
  if (params.q) {
    const pattern = `%${params.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(or(ilike(reviews.title, pattern), ilike(reviews.externalId, pattern)));
  }
  return and(...conditions)!;
}

function orderOf(params: QueueParams): SQL[] {
  const dir = params.dir ?? defaultDirection[params.sort];
  const by = (column: SQL) => (dir === "asc" ? sql`${column} asc nulls last` : sql`${column} desc nulls last`);
  switch (params.sort) {
    case "age":
      // Oldest first is "descending age".
      return [dir === "desc" ? asc(reviews.createdAt) : desc(reviews.createdAt), asc(reviews.id)];
    case "sla":
      return [by(sql`${reviews.slaDueAt}`), asc(reviews.createdAt), asc(reviews.id)];
    case "confidence":
      return [by(sql`${reviews.confidence}`), asc(reviews.createdAt), asc(reviews.id)];
    case "amount":
      return [by(sql`${reviews.amountValue}`), asc(reviews.createdAt), asc(reviews.id)];
    default:
      // The claim order: most urgent, then oldest.
      // Descending is the index's order (reviews_queue_idx), so the default page needs no sort.
      return dir === "desc" ? [CLAIM_ORDER] : [sql`${reviews.priorityRank} asc nulls first, ${reviews.createdAt} desc, ${reviews.id} desc`];
  }
}

/** One page of the queue, filtered and sorted in the database, with the total for the pager. */
export async function listQueue(db: Executor, scope: Scope, params: QueueParams, now = new Date()): Promise<{ rows: QueueRow[]; total: number }> {
  const where = filtersOf(scope, params, now);
  const claimant = sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${reviews.claimedBy})`;
  const [rows, [count]] = await Promise.all([
    db
      .select({
        review: {
          id: reviews.id,
          title: reviews.title,
          externalId: reviews.externalId,
          priority: reviews.priority,
          status: reviews.status,
          blocking: reviews.blocking,
          routingReasons: reviews.routingReasons,
          confidence: reviews.confidence,
          amountValue: reviews.amountValue,
          amountCurrency: reviews.amountCurrency,
          createdAt: reviews.createdAt,
          slaDueAt: reviews.slaDueAt,
          claimedBy: reviews.claimedBy,
          leaseExpiresAt: reviews.leaseExpiresAt,
          approvalsNeeded: reviews.approvalsNeeded,
        },
        claimantName: claimant,
        approvals: approvalsOf,
        taskType: {
          key: taskTypes.key,
          name: taskTypes.name,
          mode: reviews.mode,
          confidenceThreshold: taskTypes.confidenceThreshold,
          amountLimit: taskTypes.amountLimit,
          amountCurrency: taskTypes.amountCurrency,
        },
        workspace: { id: workspaces.id, name: workspaces.name },
      })
      .from(reviews)
      .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
      .innerJoin(workspaces, eq(workspaces.id, reviews.workspaceId))
      .where(where)
      .orderBy(...orderOf(params))
      .limit(params.size)
      .offset((params.page - 1) * params.size),
    // The count joins task types only to filter by one (the join costs a lookup per queued item).
    params.taskType
      ? db
          .select({ n: sql<number>`count(*)::int` })
          .from(reviews)
          .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
          .where(where)
      : db
          .select({ n: sql<number>`count(*)::int` })
          .from(reviews)
          .where(where),
  ]);
  return {
    total: count.n,
    rows: rows.map(({ review: r, claimantName, approvals, taskType, workspace }) => ({
      id: r.id,
      title: r.title,
      externalId: r.externalId,
      priority: r.priority,
      status: r.status,
      blocking: r.blocking,
      reasons: r.routingReasons,
      confidence: r.confidence,
      amount: r.amountValue !== null && r.amountCurrency ? { value: Number(r.amountValue), currency: r.amountCurrency } : null,
      createdAt: r.createdAt.toISOString(),
      slaDueAt: r.slaDueAt?.toISOString() ?? null,
      taskType: { ...taskType, amountLimit: taskType.amountLimit === null ? null : Number(taskType.amountLimit) },
      workspace,
      claim: r.claimedBy && r.leaseExpiresAt && r.leaseExpiresAt > now ? { userId: r.claimedBy, name: claimantName ?? "Someone", until: r.leaseExpiresAt.toISOString() } : null,
      approvals: { needed: r.approvalsNeeded, given: approvalsFromJson(approvals) },
    })),
  };
}

/** Drivers hand json back parsed (postgres.js, PGlite); timestamps inside it are text in PostgreSQL's format. */
function approvalsFromJson(value: unknown): Approval[] {
  const list = (typeof value === "string" ? JSON.parse(value) : value) as Approval[] | null;
  return (list ?? []).map((a) => ({ ...a, at: new Date(a.at).toISOString() }));
}

/** The queue's filter choices: the visible workspaces (with what is waiting in each) and task types. */
export async function queueFacets(db: Executor, scope: Scope, now = new Date()) {
  const spaces = await visibleWorkspaces(db, scope);
  const ids = spaces.map((s) => s.id);
  const [counts, types] = ids.length
    ? await Promise.all([
        db
          .select({
            workspaceId: reviews.workspaceId,
            waiting: sql<number>`count(*)::int`,
            overdue: sql<number>`(count(*) filter (where ${reviews.slaDueAt} < ${now.toISOString()}))::int`,
          })
          .from(reviews)
          .where(and(eq(reviews.organizationId, scope.organizationId), inQueue, inArray(reviews.workspaceId, ids)))
          .groupBy(reviews.workspaceId),
        db
          .select({ key: taskTypes.key, name: taskTypes.name })
          .from(taskTypes)
          .where(and(eq(taskTypes.organizationId, scope.organizationId), inArray(taskTypes.workspaceId, ids)))
          .orderBy(asc(taskTypes.name)),
      ])
    : [[], []];
  const byId = new Map(counts.map((c) => [c.workspaceId, c]));
  return {
    workspaces: spaces.map((s) => ({ ...s, waiting: byId.get(s.id)?.waiting ?? 0, overdue: byId.get(s.id)?.overdue ?? 0 })),
    taskTypes: types,
  };
}
/**
 * Where one item sits in a queue view (its filters and sort, every page of it): "3 of 17" and the ids
 * before and after it, for the item page's previous/next. Null when the item isn't in that view (any more).
 */
export async function queuePosition(db: Executor, scope: Scope, id: string, params: QueueParams, now = new Date()) {
  const order = sql.join(orderOf(params), sql`, `);
  const ranked = db
    .select({
      id: sql<string>`${reviews.id}`.as("ranked_id"),
      index: sql<number>`row_number() over (order by ${order})::int`.as("ranked_index"),
      prevId: sql<string | null>`lag(${reviews.id}) over (order by ${order})`.as("prev_id"),
      nextId: sql<string | null>`lead(${reviews.id}) over (order by ${order})`.as("next_id"),
      total: sql<number>`(count(*) over ())::int`.as("ranked_total"),
    })
    .from(reviews)
    .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
    .where(filtersOf(scope, params, now))
    .as("ranked");
  const [row] = await db.select().from(ranked).where(sql`${ranked.id} = ${id}`);
  return row ? { index: row.index, total: row.total, prevId: row.prevId, nextId: row.nextId } : null;
}

export type QueueFacets = Awaited<ReturnType<typeof queueFacets>>;

export type Claim = { id: string; version: number; leaseExpiresAt: Date };
type ClaimRow = { id: string; version: number; lease_expires_at: Date | string };
const toClaim = (r: ClaimRow): Claim => ({ id: r.id, version: Number(r.version), leaseExpiresAt: new Date(r.lease_expires_at) });

/**
 * "Next item": claims the most urgent, oldest free item of the scope's workspaces as a lease, in one
 * statement (`skip` leaves out the item being skipped). SKIP LOCKED lets any number of reviewers, on
 * any number of instances, claim at once without waiting on each other or taking the same item. Null
 * when nothing is free.
 */
export async function claimNext(db: Executor, scope: Scope, params: { leaseMinutes: number; skip?: string }): Promise<Claim | null> {
  const [row] = await rowsOf<ClaimRow>(
    db,
    sql`with next as (
      select ${reviews.id} from ${reviews}
      where ${visibleTo(scope)} and ${inQueue}
        and (${reviews.claimedBy} is null or ${reviews.leaseExpiresAt} <= now())
        and ${notApprovedBy(scope)}
        ${params.skip ? sql`and ${reviews.id} <> ${params.skip}` : sql``}
      order by ${CLAIM_ORDER}
      limit 1
      for update skip locked
    ), claimed as (
      update ${reviews} set claimed_by = ${scope.userId}, lease_expires_at = now() + make_interval(mins => ${params.leaseMinutes}),
        version = ${reviews.version} + 1, updated_at = now()
      from next where ${reviews.id} = next.id
      returning ${reviews.id}, ${reviews.version}, ${reviews.leaseExpiresAt}
    )
    select claimed.id, claimed.version, claimed.lease_expires_at from claimed`,
  );
  if (row) announceQueueChange(db, scope.organizationId, "claimed");
  return row ? toClaim(row) : null;
}

/**
 * Opening an item claims it when it is free (or already ours: then the lease is renewed). Null when
 * it isn't claimable: someone else holds it, it's decided, or the scope can't see it.
 */
export async function claimItem(db: Executor, scope: Scope, id: string, params: { leaseMinutes: number }): Promise<Claim | null> {
  const [row] = await rowsOf<ClaimRow>(
    db,
    sql`with claimed as (
      update ${reviews} set claimed_by = ${scope.userId}, lease_expires_at = now() + make_interval(mins => ${params.leaseMinutes}),
        version = ${reviews.version} + case when ${reviews.claimedBy} = ${scope.userId} then 0 else 1 end,
        updated_at = now()
      where ${reviews.id} = ${id} and ${visibleTo(scope)} and ${inQueue}
        and (${reviews.claimedBy} is null or ${reviews.claimedBy} = ${scope.userId} or ${reviews.leaseExpiresAt} <= now())
        and ${notApprovedBy(scope)}
      returning ${reviews.id}, ${reviews.version}, ${reviews.leaseExpiresAt}
    )
    select claimed.id, claimed.version, claimed.lease_expires_at from claimed`,
  );
  if (row) announceQueueChange(db, scope.organizationId, "claimed");
  return row ? toClaim(row) : null;
}

/**
 * Keeps an open item's lease alive. Only the holder, at the version it opened, may renew: after a
 * takeover (someone claimed it once the lease ran out) the version has moved on and this says so.
 */
export async function renewLease(db: Executor, scope: Scope, params: { id: string; version: number; leaseMinutes: number }): Promise<Date | null> {
  const [row] = await db
    .update(reviews)
    .set({ leaseExpiresAt: sql`now() + make_interval(mins => ${params.leaseMinutes})` })
    .where(and(eq(reviews.id, params.id), visibleTo(scope), inQueue, eq(reviews.claimedBy, scope.userId), eq(reviews.version, params.version)))
    .returning({ leaseExpiresAt: reviews.leaseExpiresAt });
  return row?.leaseExpiresAt ?? null;
}

/** Gives an item back to the queue when its reviewer leaves it undecided. */
export async function releaseLease(db: Executor, scope: Scope, id: string): Promise<boolean> {
  const [row] = await db
    .update(reviews)
    .set({ claimedBy: null, leaseExpiresAt: null })
    .where(and(eq(reviews.id, id), eq(reviews.organizationId, scope.organizationId), eq(reviews.claimedBy, scope.userId), inQueue))
    .returning({ id: reviews.id, status: reviews.status });
  if (row) await notifyReviewChanged(db, { organizationId: scope.organizationId, reviewId: id, status: row.status, type: "released" });
  return Boolean(row);
}

/** Whether the scope may see an item (another organization's or workspace's answers false, as an unknown id). */
export async function canSeeReview(db: Executor, scope: Scope, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: reviews.id })
    .from(reviews)
    .where(and(eq(reviews.id, id), visibleTo(scope)));
  return Boolean(row);
}

export type TimelineEntry = { at: string; action: string; actor: string | null; data: Record<string, unknown> };

/** Everything the item page shows; null for an id the scope can't see (another org's, another workspace's, unknown). */
export async function getQueueItem(db: Executor, scope: Scope, id: string, now = new Date()) {
  const [row] = await db
    .select({ review: reviews, taskType: taskTypes, workspaceName: workspaces.name, claimantName: users.name })
    .from(reviews)
    .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
    .innerJoin(workspaces, eq(workspaces.id, reviews.workspaceId))
    .leftJoin(users, eq(users.id, reviews.claimedBy))
    .where(and(eq(reviews.id, id), visibleTo(scope)));
  if (!row) return null;
  const r = row.review;
  const [decisionRows, audit, original] = await Promise.all([
    db
      .select({ decision: decisions, reviewerName: users.name })
      .from(decisions)
      .leftJoin(users, eq(users.id, decisions.reviewerId))
      .where(and(eq(decisions.organizationId, scope.organizationId), eq(decisions.reviewId, id)))
      .orderBy(asc(decisions.createdAt)),
    db
      .select({ entry: auditLog, userName: users.name })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(eq(auditLog.organizationId, scope.organizationId), eq(auditLog.targetId, id)))
      .orderBy(asc(auditLog.id))
      .limit(100),
    r.revisionOf ? revisionOriginal(db, scope, r.revisionOf) : Promise.resolve(null),
  ]);
  const human = decisionRows.filter((d) => d.decision.reviewerId !== null);
  // A blocking item's non-final human decisions are the approvals of a two-person item; an audit
  // sample's single human decision is non-final too, but it is that item's decision.
  const approvals = r.blocking ? human.filter((d) => !d.decision.final) : [];
  const humanDecision = human.find((d) => d.decision.final || !r.blocking) ?? null;
  const timeline: TimelineEntry[] = audit.map(({ entry, userName }) => ({
    at: entry.createdAt.toISOString(),
    action: entry.action,
    actor: userName ?? (entry.actorApiKeyId ? "Agent (API key)" : entry.actorUserId ? "A former member" : "Countersign"),
    data: entry.data,
  }));
  // Items seeded or submitted before the audit log existed still show when they arrived.
  if (!timeline.some((e) => e.action === "review.submitted")) {
    timeline.unshift({ at: r.createdAt.toISOString(), action: "review.submitted", actor: "Agent", data: { status: r.blocking ? "pending" : r.status } });
  }
  const held = r.claimedBy && r.leaseExpiresAt && r.leaseExpiresAt > now;
  return {
    review: r,
    inQueue: r.needsHuman && r.reviewedAt === null && (r.status === "pending" || r.status === "approved"),
    auditSample: r.needsHuman && !r.blocking,
    taskType: row.taskType,
    workspaceName: row.workspaceName,
    claim: held ? { userId: r.claimedBy!, name: row.claimantName ?? "Someone", until: r.leaseExpiresAt!.toISOString() } : null,
    decision: humanDecision ? { ...humanDecision.decision, reviewerName: humanDecision.reviewerName } : null,
    approvals: approvals.map((a) => ({ ...a.decision, reviewerName: a.reviewerName })),
    original,
    timeline,
  };
}
export type QueueItem = NonNullable<Awaited<ReturnType<typeof getQueueItem>>>;

/**
 * The rejected item a revision replaces, with why it was rejected, so the reviewer sees what changed;
 * null when the viewer may not see the original itself (another workspace's), as `/queue/<original>`
 * would answer.
 */
async function revisionOriginal(db: Executor, scope: Scope, id: string) {
  const [row] = await db
    .select({ id: reviews.id, title: reviews.title, action: reviews.action, draft: reviews.draft, outcome: decisions.outcome, reason: decisions.reason, note: decisions.note })
    .from(reviews)
    .leftJoin(decisions, and(eq(decisions.organizationId, scope.organizationId), eq(decisions.reviewId, reviews.id), eq(decisions.final, true)))
    .where(and(eq(reviews.id, id), visibleTo(scope)));
  return row ?? null;
}

/** A reviewer's own decisions, newest first, with the item each was about. */
export async function listMyDecisions(
  db: Executor,
  scope: Scope,
  params: { outcome?: "approved" | "edited" | "rejected" | "changes_requested"; taskType?: string; days: number; page: number; size?: number },
  now = new Date(),
) {
  const size = params.size ?? 50;
  // What the reviewer did themselves: a second approver who only approved an earlier edit approved (older rows record only the item's outcome).
  const own = sql<(typeof decisions.$inferSelect)["outcome"]>`coalesce(${decisions.reviewerOutcome}, ${decisions.outcome})`;
  const where = and(
    eq(decisions.organizationId, scope.organizationId),
    eq(decisions.reviewerId, scope.userId),
    gte(decisions.createdAt, new Date(now.getTime() - params.days * 24 * 3600_000)),
    params.outcome ? sql`${own} = ${params.outcome}` : undefined,
    params.taskType ? eq(taskTypes.key, params.taskType) : undefined,
  );
  const [rows, [count]] = await Promise.all([
    db
      .select({
        id: decisions.id,
        reviewId: decisions.reviewId,
        outcome: own,
        reason: decisions.reason,
        note: decisions.note,
        timeOnItemMs: decisions.timeOnItemMs,
        decidedAt: decisions.createdAt,
        // An approval that waited for a second reviewer's (a blocking item's non-final decision).
        firstApproval: sql<boolean>`(not ${decisions.final} and ${reviews.blocking})`,
        title: reviews.title,
        taskTypeKey: taskTypes.key,
        taskTypeName: taskTypes.name,
      })
      .from(decisions)
      .innerJoin(reviews, eq(reviews.id, decisions.reviewId))
      .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
      .where(where)
      .orderBy(desc(decisions.createdAt), desc(decisions.id))
      .limit(size)
      .offset((params.page - 1) * size),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(decisions)
      .innerJoin(reviews, eq(reviews.id, decisions.reviewId))
      .innerJoin(taskTypes, eq(taskTypes.id, reviews.taskTypeId))
      .where(where),
  ]);
  return { rows: rows.map((r) => ({ ...r, decidedAt: r.decidedAt.toISOString() })), total: count.n, size };
}
