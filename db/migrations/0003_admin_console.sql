ALTER TABLE "webhook_endpoints" ADD COLUMN "description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "failing_since" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "audit_log_org_actor_idx" ON "audit_log" USING btree ("organization_id","actor_user_id","id");--> statement-breakpoint
-- The audit log is append-only, enforced by PostgreSQL rather than by the application's good manners:
-- no row can be deleted, and the only update allowed is the chainer linking an unchained row once
-- (setting chain_seq, prev_hash and hash, nothing else). Rows go only with their organization.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM "organizations" WHERE "id" = OLD."organization_id") THEN
      RAISE EXCEPTION 'audit_log is append-only: entries cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD."hash" IS NOT NULL
    OR NEW."hash" IS NULL
    OR NEW."id" IS DISTINCT FROM OLD."id"
    OR NEW."organization_id" IS DISTINCT FROM OLD."organization_id"
    OR NEW."actor_user_id" IS DISTINCT FROM OLD."actor_user_id"
    OR NEW."actor_api_key_id" IS DISTINCT FROM OLD."actor_api_key_id"
    OR NEW."action" IS DISTINCT FROM OLD."action"
    OR NEW."target_type" IS DISTINCT FROM OLD."target_type"
    OR NEW."target_id" IS DISTINCT FROM OLD."target_id"
    OR NEW."data" IS DISTINCT FROM OLD."data"
    OR NEW."created_at" IS DISTINCT FROM OLD."created_at" THEN
    RAISE EXCEPTION 'audit_log is append-only: entries cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
