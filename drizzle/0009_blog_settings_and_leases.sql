ALTER TABLE "blog"."app_settings" ADD COLUMN "is_secret" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "blog"."blog_sessions" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "blog"."blog_sessions" ADD COLUMN "lease_expires_at" timestamp;--> statement-breakpoint
CREATE INDEX "blog_sessions_draft_updated_at_idx" ON "blog"."blog_sessions" USING btree ("updated_at") WHERE status = 'draft';