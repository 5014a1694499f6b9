ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "task_types" ADD COLUMN "amount_path" text;--> statement-breakpoint
ALTER TABLE "task_types" ADD COLUMN "amount_currency_path" text;--> statement-breakpoint
-- The audit chain moves from a bare SHA-256 to an HMAC keyed outside the database (AUDIT_HMAC_KEY).
-- A bare SHA-256 chain can be re-forged by anyone who can write the table, so there is nothing to
-- keep: every entry is unlinked once, here, and the chainer links it again under the key.
ALTER TABLE "audit_log" DISABLE TRIGGER "audit_log_append_only";--> statement-breakpoint
UPDATE "audit_log" SET "chain_seq" = NULL, "prev_hash" = NULL, "hash" = NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE TRIGGER "audit_log_append_only";
--> statement-breakpoint
-- Accounts that exist before this migration keep their addresses: until now every account owned its
-- email, and none should lose it to an invite on upgrade. Only sign-ups from now on start unverified.
UPDATE "users" SET "email_verified_at" = "created_at" WHERE "email_verified_at" IS NULL;
