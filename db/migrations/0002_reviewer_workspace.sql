CREATE TABLE "task_type_mode_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"task_type_id" uuid NOT NULL,
	"from_mode" text NOT NULL,
	"to_mode" text NOT NULL,
	"reason" text NOT NULL,
	"confidence_threshold" double precision,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "daily_rollups" ADD COLUMN "latency_buckets" integer[] DEFAULT '{0,0,0,0,0,0,0,0,0,0,0}'::int[] NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_rollups" ADD COLUMN "sla_breached" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "priority_rank" smallint GENERATED ALWAYS AS (case priority when 'urgent' then 3 when 'high' then 2 when 'normal' then 1 else 0 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "task_type_mode_changes" ADD CONSTRAINT "task_type_mode_changes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_type_mode_changes" ADD CONSTRAINT "task_type_mode_changes_task_type_id_task_types_id_fk" FOREIGN KEY ("task_type_id") REFERENCES "public"."task_types"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_type_mode_changes" ADD CONSTRAINT "task_type_mode_changes_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_type_mode_changes_org_type_idx" ON "task_type_mode_changes" USING btree ("organization_id","task_type_id","created_at");--> statement-breakpoint
CREATE INDEX "decisions_org_review_idx" ON "decisions" USING btree ("organization_id","review_id");--> statement-breakpoint
CREATE INDEX "reviews_queue_idx" ON "reviews" USING btree ("organization_id","priority_rank" DESC NULLS LAST,"created_at","id") WHERE needs_human and reviewed_at is null and status in ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "audit_log_org_target_idx" ON "audit_log" USING btree ("organization_id","target_id");--> statement-breakpoint
UPDATE "reviews" SET "reviewed_at" = d."created_at" FROM "decisions" d WHERE d."review_id" = "reviews"."id" AND d."reviewer_id" IS NOT NULL AND "reviews"."reviewed_at" IS NULL;
