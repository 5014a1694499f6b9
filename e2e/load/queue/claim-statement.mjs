// The claim statement of `claimNext` (db/queries/queue.ts), copied as drizzle renders it for a
// reviewer, so phase (1) measures the database doing exactly the app's work with no app around it.
// The benchmark renders claimNext's SQL itself at start (claim-app.ts --print-sql) and reports when
// this copy no longer matches: then copy the new text here.
//
// Parameters: $1 $2 organization, $3 $4 reviewer (user id), $5 lease minutes, $6 NOTIFY channel, $7 organization.
export const CLAIM_SQL = `with next as (
      select "reviews"."id" from "reviews"
      where ("reviews"."organization_id" = $1 and "reviews"."workspace_id" in (select "workspace_members"."workspace_id" from "workspace_members" where "workspace_members"."organization_id" = $2 and "workspace_members"."user_id" = $3)) and "reviews"."needs_human" and "reviews"."reviewed_at" is null and "reviews"."status" in ('pending', 'approved') and ("reviews"."claimed_by" is null or "reviews"."lease_expires_at" <= now())
      order by "reviews"."priority_rank" desc, "reviews"."created_at" asc
      limit 1
      for update skip locked
    ), claimed as (
      update "reviews" set claimed_by = $4, lease_expires_at = now() + make_interval(mins => $5),
        version = "reviews"."version" + 1, updated_at = now()
      from next where "reviews"."id" = next.id
      returning "reviews"."id", "reviews"."version", "reviews"."lease_expires_at", "reviews"."status"
    )
    select claimed.id, claimed.version, claimed.lease_expires_at, pg_notify($6, json_build_object('organizationId', $7::text, 'reviewId', claimed.id, 'status', claimed.status, 'type', 'claimed')::text) from claimed`;

export const CHANNEL = "countersign_reviews";

/** The statement's parameters for one reviewer, in claimNext's order. */
export function claimParams({ organizationId, userId }, leaseMinutes) {
  return [organizationId, organizationId, userId, userId, leaseMinutes, CHANNEL, organizationId];
}

/** Whitespace-insensitive form, to compare this copy with what claimNext renders. */
export const normalizeSql = (text) => text.replace(/\s+/g, " ").trim();

/**
 * What-if variants of the statement (queue-bench.mjs --what-if), to show what two changes would buy:
 *   ordered  `priority_rank desc nulls last`, the order of reviews_queue_idx (DESC NULLS LAST): the
 *            index then yields the claim order and LIMIT 1 stops at the first free item, instead of
 *            sorting the whole queue on every claim (priority_rank is NOT NULL, so nothing else changes)
 *   quiet    ordered, and without the pg_notify: a NOTIFY takes a database-wide lock at commit, held
 *            until the commit is flushed, so claiming transactions commit one at a time
 * Null when the statement no longer has the shape the variant rewrites (e.g. the fix has landed).
 */
export function variantSql(variant) {
  if (!variant) return CLAIM_SQL;
  const orderBy = `order by "reviews"."priority_rank" desc, "reviews"."created_at" asc`;
  if (!CLAIM_SQL.includes(orderBy)) return null;
  const ordered = CLAIM_SQL.replace(orderBy, `order by "reviews"."priority_rank" desc nulls last, "reviews"."created_at" asc`);
  if (variant === "ordered") return ordered;
  const notify = /pg_notify\(\$6, json_build_object\('organizationId', \$7::text, 'reviewId', claimed\.id, 'status', claimed\.status, 'type', 'claimed'\)::text\)/;
  // The parameters stay bound (as $6, $7), so the call is the same apart from the NOTIFY.
  if (variant === "quiet") return notify.test(ordered) ? ordered.replace(notify, "$6::text as channel, $7::text as organization") : null;
  throw new Error(`unknown claim variant ${variant}`);
}
