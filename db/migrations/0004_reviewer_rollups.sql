CREATE TABLE "reviewer_daily_rollups" (
	"organization_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"task_type_id" uuid NOT NULL,
	"day" date NOT NULL,
	"approved" integer DEFAULT 0 NOT NULL,
	"edited" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"time_on_item_ms_sum" bigint DEFAULT 0 NOT NULL,
	"approval_time_buckets" integer[] DEFAULT '{0,0,0,0,0}'::int[] NOT NULL,
	CONSTRAINT "reviewer_daily_rollups_organization_id_reviewer_id_task_type_id_day_pk" PRIMARY KEY("organization_id","reviewer_id","task_type_id","day")
);
--> statement-breakpoint
ALTER TABLE "reviewer_daily_rollups" ADD CONSTRAINT "reviewer_daily_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviewer_daily_rollups" ADD CONSTRAINT "reviewer_daily_rollups_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviewer_daily_rollups" ADD CONSTRAINT "reviewer_daily_rollups_task_type_id_task_types_id_fk" FOREIGN KEY ("task_type_id") REFERENCES "public"."task_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reviewer_daily_rollups_org_day_idx" ON "reviewer_daily_rollups" USING btree ("organization_id","day");--> statement-breakpoint
-- Backfill from the decisions already made (edges as APPROVAL_TIME_EDGES_MS in lib/rollup-buckets.ts).
INSERT INTO "reviewer_daily_rollups" ("organization_id", "reviewer_id", "task_type_id", "day", "approved", "edited", "rejected", "time_on_item_ms_sum", "approval_time_buckets")
SELECT d."organization_id", d."reviewer_id", r."task_type_id", (d."created_at" AT TIME ZONE 'UTC')::date,
  count(*) FILTER (WHERE d."outcome" = 'approved')::int,
  count(*) FILTER (WHERE d."outcome" = 'edited')::int,
  count(*) FILTER (WHERE d."outcome" = 'rejected')::int,
  coalesce(sum(d."time_on_item_ms"), 0)::bigint,
  ARRAY[
    count(*) FILTER (WHERE d."outcome" = 'approved' AND coalesce(d."time_on_item_ms", 0) < 2000),
    count(*) FILTER (WHERE d."outcome" = 'approved' AND coalesce(d."time_on_item_ms", 0) >= 2000 AND d."time_on_item_ms" < 5000),
    count(*) FILTER (WHERE d."outcome" = 'approved' AND d."time_on_item_ms" >= 5000 AND d."time_on_item_ms" < 10000),
    count(*) FILTER (WHERE d."outcome" = 'approved' AND d."time_on_item_ms" >= 10000 AND d."time_on_item_ms" < 30000),
    count(*) FILTER (WHERE d."outcome" = 'approved' AND d."time_on_item_ms" >= 30000)
  ]::int[]
FROM "decisions" d JOIN "reviews" r ON r."id" = d."review_id" AND r."organization_id" = d."organization_id"
WHERE d."reviewer_id" IS NOT NULL
GROUP BY 1, 2, 3, 4;
