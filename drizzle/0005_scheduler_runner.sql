CREATE TABLE "scheduler"."JobUsage" (
	"jobId" text NOT NULL,
	"day" date NOT NULL,
	"runs" integer DEFAULT 0 NOT NULL,
	"inputTokens" integer DEFAULT 0 NOT NULL,
	"outputTokens" integer DEFAULT 0 NOT NULL,
	"totalTokens" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "JobUsage_jobId_day_pk" PRIMARY KEY("jobId","day")
);
--> statement-breakpoint
ALTER TABLE "scheduler"."Endpoint" ADD COLUMN "secretHeaders" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Endpoint" ADD COLUMN "secretHeaderNames" jsonb;--> statement-breakpoint
ALTER TABLE "scheduler"."Endpoint" ADD COLUMN "body" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "cronExpression" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "timezone" text DEFAULT 'UTC' NOT NULL;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "llmModel" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "lease_expires_at" timestamp;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "lastRunAt" timestamp;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "lastRunStatus" "scheduler"."TaskStatus";--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD COLUMN "consecutiveFailures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD COLUMN "runId" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD COLUMN "endpointId" text;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD COLUMN "httpStatus" integer;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD COLUMN "durationMs" integer;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD COLUMN "response" text;--> statement-breakpoint
ALTER TABLE "scheduler"."JobUsage" ADD CONSTRAINT "JobUsage_jobId_Job_id_fk" FOREIGN KEY ("jobId") REFERENCES "scheduler"."Job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD CONSTRAINT "Task_endpointId_Endpoint_id_fk" FOREIGN KEY ("endpointId") REFERENCES "scheduler"."Endpoint"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "Job_lease_expires_at_idx" ON "scheduler"."Job" USING btree ("lease_expires_at") WHERE lease_owner IS NOT NULL;--> statement-breakpoint
CREATE INDEX "Task_jobId_createdAt_idx" ON "scheduler"."Task" USING btree ("jobId","createdAt");--> statement-breakpoint
CREATE INDEX "Task_running_startedAt_idx" ON "scheduler"."Task" USING btree ("startedAt") WHERE status = 'RUNNING';--> statement-breakpoint
CREATE INDEX "Task_endpointId_idx" ON "scheduler"."Task" USING btree ("endpointId");