ALTER TABLE "reviews" ADD COLUMN "priority_rank" smallint GENERATED ALWAYS AS (case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "decisions_org_review_idx" ON "decisions" USING btree ("organization_id","review_id");--> statement-breakpoint
CREATE INDEX "reviews_queue_idx" ON "reviews" USING btree ("organization_id","priority_rank" DESC NULLS LAST,"created_at") WHERE needs_human and reviewed_at is null and status in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "audit_log_org_target_idx" ON "audit_log" USING btree ("organization_id","target_id");--> statement-breakpoint
UPDATE "reviews" SET "reviewed_at" = d."created_at" FROM "decisions" d WHERE d."review_id" = "reviews"."id" AND d."reviewer_id" IS NOT NULL AND "reviews"."reviewed_at" IS NULL;
