// The claim statement of `claimNext` (db/queries/queue.ts), copied as drizzle renders it for a
// reviewer, so phase (1) measures the database doing exactly the app's work with no app around it.
// The benchmark renders claimNext's SQL itself at start (claim-app.ts --print-sql) and reports when
// this copy no longer matches: then copy the new text here.
//
// Parameters: $1 $2 organization, $3 reviewer (user id), $4 organization, $5 $6 reviewer, $7 lease minutes.
// (claimNext also announces claims with one NOTIFY per organization every 250 ms at most, outside
// this statement: not part of the bare work.)
export const CLAIM_SQL = `with next as (
      select "reviews"."id" from "reviews"
      where ("reviews"."organization_id" = $1 and "reviews"."workspace_id" in (select "workspace_members"."workspace_id" from "workspace_members" where "workspace_members"."organization_id" = $2 and "workspace_members"."user_id" = $3)) and "reviews"."needs_human" and "reviews"."reviewed_at" is null and "reviews"."status" in ('pending', 'approved')
        and ("reviews"."claimed_by" is null or "reviews"."lease_expires_at" <= now())
        and ("reviews"."approvals_needed" <= 1 or not exists (
    select 1 from "decisions" a
    where a.organization_id = $4 and a.review_id = "reviews"."id" and a.reviewer_id = $5 and not a.final))
        
      order by "reviews"."priority_rank" desc nulls last, "reviews"."created_at" asc, "reviews"."id" asc
      limit 1
      for update skip locked
    ), claimed as (
      update "reviews" set claimed_by = $6, lease_expires_at = now() + make_interval(mins => $7),
        version = "reviews"."version" + 1, updated_at = now()
      from next where "reviews"."id" = next.id
      returning "reviews"."id", "reviews"."version", "reviews"."lease_expires_at"
    )
    select claimed.id, claimed.version, claimed.lease_expires_at from claimed`;

/** The statement's parameters for one reviewer, in claimNext's order. */
export function claimParams({ organizationId, userId }, leaseMinutes) {
  return [organizationId, organizationId, userId, organizationId, userId, userId, leaseMinutes];
}

/** Whitespace-insensitive form, to compare this copy with what claimNext renders. */
export const normalizeSql = (text) => text.replace(/\s+/g, " ").trim();
