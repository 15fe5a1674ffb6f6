CREATE TABLE "influencer"."trial_reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"kind" varchar(20) NOT NULL,
	"due_at" timestamp NOT NULL,
	"status" varchar(20) DEFAULT 'scheduled' NOT NULL,
	"marked_at" timestamp,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "trial_reminders_user_kind_key" UNIQUE("user_id","kind"),
	CONSTRAINT "trial_reminders_kind_check" CHECK (kind IN ('day_2', 'day_5', 'expiry')),
	CONSTRAINT "trial_reminders_status_check" CHECK (status IN ('scheduled', 'due', 'skipped'))
);
--> statement-breakpoint
CREATE INDEX "idx_trial_reminders_scheduled_due" ON "influencer"."trial_reminders" USING btree ("due_at") WHERE status = 'scheduled';--> statement-breakpoint
CREATE INDEX "idx_campaigns_user_created" ON "influencer"."campaigns" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_scraping_jobs_active_timeout" ON "influencer"."scraping_jobs" USING btree ("timeout_at") WHERE status IN ('pending', 'processing');