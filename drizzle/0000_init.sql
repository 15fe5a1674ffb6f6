CREATE SCHEMA "blog";
--> statement-breakpoint
CREATE SCHEMA "chat";
--> statement-breakpoint
CREATE SCHEMA "influencer";
--> statement-breakpoint
CREATE SCHEMA "marketing";
--> statement-breakpoint
CREATE SCHEMA "scheduler";
--> statement-breakpoint
CREATE TYPE "scheduler"."HttpMethod" AS ENUM('GET', 'POST', 'PUT', 'PATCH', 'DELETE');--> statement-breakpoint
CREATE TYPE "scheduler"."JobStatus" AS ENUM('ACTIVE', 'PAUSED', 'ARCHIVED');--> statement-breakpoint
CREATE TYPE "scheduler"."MessageRole" AS ENUM('system', 'user', 'assistant', 'tool');--> statement-breakpoint
CREATE TYPE "scheduler"."TaskStatus" AS ENUM('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');--> statement-breakpoint
CREATE TABLE "blog"."agent_model_configs" (
	"id" serial PRIMARY KEY NOT NULL,
	"agent_id" text NOT NULL,
	"agent_label" text NOT NULL,
	"model_id" text NOT NULL,
	"temperature" text DEFAULT '0.7',
	"max_tokens" text DEFAULT '4096',
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "agent_model_configs_agent_id_unique" UNIQUE("agent_id")
);
--> statement-breakpoint
CREATE TABLE "blog"."app_settings" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "app_settings_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "blog"."blog_sessions" (
	"id" text PRIMARY KEY DEFAULT gen_random_uuid()::text NOT NULL,
	"store_url" text,
	"brand_voice" text,
	"selected_dress_ids" text,
	"additional_instructions" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"generated_blog" text,
	"seo_metadata" text,
	"agent_log" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "blog"."brand_voice_cache" (
	"id" serial PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"analysis_result" text NOT NULL,
	"cached_at" timestamp DEFAULT now() NOT NULL,
	"expires_at" timestamp NOT NULL,
	CONSTRAINT "brand_voice_cache_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "blog"."cached_dresses" (
	"id" serial PRIMARY KEY NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"designer" text,
	"description" text,
	"price" text,
	"image_url" text,
	"category" text,
	"tags" text,
	"raw_data" text,
	"cached_at" timestamp DEFAULT now() NOT NULL,
	"expires_at" timestamp NOT NULL,
	CONSTRAINT "cached_dresses_external_id_unique" UNIQUE("external_id")
);
--> statement-breakpoint
CREATE TABLE "chat"."agent_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"system_prompt" text NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"tools" jsonb,
	"capabilities" jsonb,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."agent_instances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"definition_id" uuid NOT NULL,
	"name" text NOT NULL,
	"configuration" jsonb,
	"status" text DEFAULT 'active' NOT NULL,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."agent_tools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"schema" jsonb NOT NULL,
	"is_system" boolean DEFAULT false NOT NULL,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "agent_tools_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "chat"."artifacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"message_id" uuid,
	"type" text NOT NULL,
	"title" text NOT NULL,
	"content" text,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"title" text NOT NULL,
	"system_prompt" text,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"parts" jsonb,
	"attachments" jsonb,
	"reasoning" text,
	"created_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"stripe_customer_id" text,
	"stripe_subscription_id" text,
	"stripe_price_id" text,
	"stripe_current_period_end" timestamp,
	"plan" text NOT NULL,
	"status" text NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"agent_limit" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"avatar_url" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "chat"."workflows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"agent_instance_id" uuid,
	"workflow_id" text NOT NULL,
	"status" text NOT NULL,
	"goal" text NOT NULL,
	"steps" jsonb,
	"result" jsonb,
	"metadata" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "influencer"."campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"search_type" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'draft' NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "campaigns_search_type_check" CHECK (search_type IN ('keyword', 'similar')),
	CONSTRAINT "campaigns_status_check" CHECK (status IN ('draft', 'active', 'completed', 'archived'))
);
--> statement-breakpoint
CREATE TABLE "influencer"."scraping_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"campaign_id" uuid,
	"platform" varchar(50) DEFAULT 'Tiktok' NOT NULL,
	"keywords" jsonb,
	"target_username" text,
	"search_params" jsonb,
	"region" varchar(10) DEFAULT 'US' NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"run_id" text,
	"qstash_message_id" text,
	"processed_runs" integer DEFAULT 0 NOT NULL,
	"processed_results" integer DEFAULT 0 NOT NULL,
	"target_results" integer DEFAULT 1000 NOT NULL,
	"cursor" integer DEFAULT 0,
	"progress" numeric DEFAULT 0,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"started_at" timestamp,
	"completed_at" timestamp,
	"timeout_at" timestamp,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"error" text,
	CONSTRAINT "scraping_jobs_status_check" CHECK (status IN ('pending', 'processing', 'completed', 'error', 'timeout')),
	CONSTRAINT "scraping_jobs_progress_check" CHECK (progress >= 0 AND progress <= 100)
);
--> statement-breakpoint
CREATE TABLE "influencer"."scraping_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" uuid,
	"creators" jsonb NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "influencer"."search_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" uuid,
	"platform" varchar(20) NOT NULL,
	"search_type" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'queued' NOT NULL,
	"total_count" integer NOT NULL,
	"completed_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"completed_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "influencer"."search_results" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"username" text NOT NULL,
	"display_name" text,
	"platform" varchar(20) NOT NULL,
	"profile_url" text,
	"post_url" text,
	"post_description" text,
	"avatar_url" text,
	"followers" integer DEFAULT 0,
	"is_verified" varchar(10) DEFAULT 'false',
	"email" text,
	"bio" text,
	"raw_data" jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "influencer"."system_configurations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"category" varchar(50) NOT NULL,
	"key" varchar(100) NOT NULL,
	"value" text NOT NULL,
	"value_type" varchar(20) NOT NULL,
	"description" text,
	"is_hot_reloadable" varchar(5) DEFAULT 'true' NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "unique_category_key" UNIQUE("category","key")
);
--> statement-breakpoint
CREATE TABLE "influencer"."user_profiles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"email" text,
	"name" text,
	"company_name" text,
	"industry" text,
	"signup_timestamp" timestamp DEFAULT now() NOT NULL,
	"onboarding_step" varchar(50) DEFAULT 'pending' NOT NULL,
	"full_name" text,
	"business_name" text,
	"brand_description" text,
	"email_schedule_status" jsonb DEFAULT '{}'::jsonb,
	"trial_start_date" timestamp,
	"trial_end_date" timestamp,
	"trial_status" varchar(20) DEFAULT 'pending',
	"stripe_customer_id" text,
	"stripe_subscription_id" text,
	"subscription_status" varchar(20) DEFAULT 'none',
	"is_admin" boolean DEFAULT false,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "user_profiles_user_id_key" UNIQUE("user_id"),
	CONSTRAINT "user_profiles_onboarding_step_check" CHECK (onboarding_step IN ('pending', 'info_captured', 'intent_captured', 'completed')),
	CONSTRAINT "user_profiles_trial_status_check" CHECK (trial_status IN ('pending', 'active', 'expired', 'cancelled', 'converted')),
	CONSTRAINT "user_profiles_subscription_status_check" CHECK (subscription_status IN ('none', 'trialing', 'active', 'past_due', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "marketing"."clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"slug" varchar(100) NOT NULL,
	"description" text,
	"s3_prefix" varchar(500) NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing"."feedback" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"output_id" uuid NOT NULL,
	"accuracy_score" integer,
	"quality_score" integer,
	"usefulness_score" integer,
	"rule_compliance_score" integer,
	"overall_score" integer NOT NULL,
	"what_worked_well" text,
	"issues" jsonb DEFAULT '[]'::jsonb,
	"suggested_rule_changes" jsonb DEFAULT '[]'::jsonb,
	"source" varchar(50) NOT NULL,
	"reviewer_name" varchar(100),
	"created_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing"."outputs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"run_id" uuid NOT NULL,
	"s3_key" varchar(500) NOT NULL,
	"format" varchar(20) DEFAULT 'markdown' NOT NULL,
	"title" varchar(255),
	"preview" text,
	"size_bytes" integer,
	"created_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing"."runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"skill_id" uuid NOT NULL,
	"client_id" uuid,
	"status" varchar(20) DEFAULT 'queued' NOT NULL,
	"user_message" text NOT NULL,
	"inngest_event_id" varchar(100),
	"tokens_input" integer,
	"tokens_output" integer,
	"error_message" text,
	"metadata" text,
	"queued_at" timestamp DEFAULT now() NOT NULL,
	"started_at" timestamp,
	"completed_at" timestamp
);
--> statement-breakpoint
CREATE TABLE "marketing"."skills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(100) NOT NULL,
	"description" text NOT NULL,
	"type" varchar(20) NOT NULL,
	"s3_key" varchar(500) NOT NULL,
	"has_rules" boolean DEFAULT false NOT NULL,
	"has_subdirectories" boolean DEFAULT false NOT NULL,
	"trigger_keywords" jsonb NOT NULL,
	"related_skills" jsonb DEFAULT '[]'::jsonb,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "skills_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "marketing"."user_channels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"channel" varchar(50) NOT NULL,
	"channel_user_id" varchar(255) NOT NULL,
	"channel_username" varchar(255),
	"linked_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255),
	"api_key" varchar(64) NOT NULL,
	"api_key_hash" varchar(128) NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_api_key_unique" UNIQUE("api_key")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."account" (
	"userId" text NOT NULL,
	"type" text NOT NULL,
	"provider" text NOT NULL,
	"providerAccountId" text NOT NULL,
	"refresh_token" text,
	"access_token" text,
	"expires_at" integer,
	"token_type" text,
	"scope" text,
	"id_token" text,
	"session_state" text,
	CONSTRAINT "account_provider_providerAccountId_pk" PRIMARY KEY("provider","providerAccountId")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."ApiKey" (
	"id" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"salt" text NOT NULL,
	"hash" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"lastUsedAt" timestamp,
	CONSTRAINT "ApiKey_prefix_unique" UNIQUE("prefix")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."ContextEntry" (
	"id" text PRIMARY KEY NOT NULL,
	"jobId" text NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "ContextEntry_jobId_key_unique" UNIQUE("jobId","key")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."Endpoint" (
	"id" text PRIMARY KEY NOT NULL,
	"jobId" text NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"method" "scheduler"."HttpMethod" DEFAULT 'GET' NOT NULL,
	"headers" jsonb,
	"bearerToken" text,
	"timeoutMs" integer DEFAULT 5000 NOT NULL,
	"fireAndForget" boolean DEFAULT false NOT NULL,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler"."Job" (
	"id" text PRIMARY KEY NOT NULL,
	"definitionNL" text NOT NULL,
	"nextRunAt" timestamp,
	"status" "scheduler"."JobStatus" DEFAULT 'PAUSED' NOT NULL,
	"locked" boolean DEFAULT false NOT NULL,
	"lockExpiresAt" timestamp,
	"userId" text,
	"inputTokens" integer DEFAULT 0 NOT NULL,
	"outputTokens" integer DEFAULT 0 NOT NULL,
	"totalTokens" integer DEFAULT 0 NOT NULL,
	"createdAt" timestamp DEFAULT now(),
	"updatedAt" timestamp DEFAULT now()
);
--> statement-breakpoint
CREATE TABLE "scheduler"."Message" (
	"id" text PRIMARY KEY NOT NULL,
	"jobId" text NOT NULL,
	"role" "scheduler"."MessageRole" NOT NULL,
	"content" jsonb NOT NULL,
	"metadata" jsonb,
	"createdAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler"."session" (
	"sessionToken" text PRIMARY KEY NOT NULL,
	"userId" text NOT NULL,
	"expires" timestamp NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler"."Task" (
	"id" text PRIMARY KEY NOT NULL,
	"jobId" text NOT NULL,
	"name" text NOT NULL,
	"status" "scheduler"."TaskStatus" DEFAULT 'PENDING' NOT NULL,
	"result" jsonb,
	"error" text,
	"startedAt" timestamp,
	"completedAt" timestamp,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scheduler"."user" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"email" text,
	"emailVerified" timestamp,
	"image" text,
	"createdAt" timestamp DEFAULT now() NOT NULL,
	"updatedAt" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "user_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "scheduler"."verificationToken" (
	"identifier" text NOT NULL,
	"token" text NOT NULL,
	"expires" timestamp NOT NULL,
	CONSTRAINT "verificationToken_identifier_token_pk" PRIMARY KEY("identifier","token")
);
--> statement-breakpoint
ALTER TABLE "chat"."agent_definitions" ADD CONSTRAINT "agent_definitions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."agent_instances" ADD CONSTRAINT "agent_instances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."agent_instances" ADD CONSTRAINT "agent_instances_definition_id_agent_definitions_id_fk" FOREIGN KEY ("definition_id") REFERENCES "chat"."agent_definitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."artifacts" ADD CONSTRAINT "artifacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."artifacts" ADD CONSTRAINT "artifacts_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "chat"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."conversations" ADD CONSTRAINT "conversations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "chat"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."workflows" ADD CONSTRAINT "workflows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "chat"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat"."workflows" ADD CONSTRAINT "workflows_agent_instance_id_agent_instances_id_fk" FOREIGN KEY ("agent_instance_id") REFERENCES "chat"."agent_instances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "influencer"."scraping_jobs" ADD CONSTRAINT "scraping_jobs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "influencer"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "influencer"."scraping_results" ADD CONSTRAINT "scraping_results_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "influencer"."scraping_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "influencer"."search_jobs" ADD CONSTRAINT "search_jobs_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "influencer"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "influencer"."search_results" ADD CONSTRAINT "search_results_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "influencer"."search_jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."clients" ADD CONSTRAINT "clients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "marketing"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."feedback" ADD CONSTRAINT "feedback_output_id_outputs_id_fk" FOREIGN KEY ("output_id") REFERENCES "marketing"."outputs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."outputs" ADD CONSTRAINT "outputs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "marketing"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."runs" ADD CONSTRAINT "runs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "marketing"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."runs" ADD CONSTRAINT "runs_skill_id_skills_id_fk" FOREIGN KEY ("skill_id") REFERENCES "marketing"."skills"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."runs" ADD CONSTRAINT "runs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "marketing"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing"."user_channels" ADD CONSTRAINT "user_channels_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "marketing"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."account" ADD CONSTRAINT "account_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "scheduler"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."ApiKey" ADD CONSTRAINT "ApiKey_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "scheduler"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."ContextEntry" ADD CONSTRAINT "ContextEntry_jobId_Job_id_fk" FOREIGN KEY ("jobId") REFERENCES "scheduler"."Job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."Endpoint" ADD CONSTRAINT "Endpoint_jobId_Job_id_fk" FOREIGN KEY ("jobId") REFERENCES "scheduler"."Job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."Job" ADD CONSTRAINT "Job_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "scheduler"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."Message" ADD CONSTRAINT "Message_jobId_Job_id_fk" FOREIGN KEY ("jobId") REFERENCES "scheduler"."Job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."session" ADD CONSTRAINT "session_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "scheduler"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduler"."Task" ADD CONSTRAINT "Task_jobId_Job_id_fk" FOREIGN KEY ("jobId") REFERENCES "scheduler"."Job"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_scraping_jobs_status" ON "influencer"."scraping_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_scraping_jobs_platform" ON "influencer"."scraping_jobs" USING btree ("platform");--> statement-breakpoint
CREATE INDEX "idx_scraping_jobs_user_campaign" ON "influencer"."scraping_jobs" USING btree ("user_id","campaign_id");--> statement-breakpoint
CREATE INDEX "idx_scraping_results_job_id" ON "influencer"."scraping_results" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "idx_scraping_results_created_at" ON "influencer"."scraping_results" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_user_profiles_trial_status" ON "influencer"."user_profiles" USING btree ("trial_status");--> statement-breakpoint
CREATE INDEX "idx_user_profiles_trial_dates" ON "influencer"."user_profiles" USING btree ("trial_start_date","trial_end_date");--> statement-breakpoint
CREATE INDEX "idx_user_profiles_stripe_customer" ON "influencer"."user_profiles" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE INDEX "idx_user_profiles_is_admin" ON "influencer"."user_profiles" USING btree ("is_admin") WHERE is_admin = true;--> statement-breakpoint
CREATE INDEX "idx_user_profiles_admin_details" ON "influencer"."user_profiles" USING btree ("is_admin","full_name","email","updated_at");--> statement-breakpoint
CREATE INDEX "clients_user_id_idx" ON "marketing"."clients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "clients_slug_idx" ON "marketing"."clients" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "feedback_output_id_idx" ON "marketing"."feedback" USING btree ("output_id");--> statement-breakpoint
CREATE INDEX "feedback_overall_score_idx" ON "marketing"."feedback" USING btree ("overall_score");--> statement-breakpoint
CREATE INDEX "feedback_created_at_idx" ON "marketing"."feedback" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outputs_run_id_idx" ON "marketing"."outputs" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "outputs_s3_key_idx" ON "marketing"."outputs" USING btree ("s3_key");--> statement-breakpoint
CREATE INDEX "outputs_created_at_idx" ON "marketing"."outputs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "runs_user_id_idx" ON "marketing"."runs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "runs_skill_id_idx" ON "marketing"."runs" USING btree ("skill_id");--> statement-breakpoint
CREATE INDEX "runs_client_id_idx" ON "marketing"."runs" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "marketing"."runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "runs_queued_at_idx" ON "marketing"."runs" USING btree ("queued_at");--> statement-breakpoint
CREATE INDEX "skills_name_idx" ON "marketing"."skills" USING btree ("name");--> statement-breakpoint
CREATE INDEX "skills_type_idx" ON "marketing"."skills" USING btree ("type");--> statement-breakpoint
CREATE INDEX "user_channels_user_id_idx" ON "marketing"."user_channels" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_channels_lookup_idx" ON "marketing"."user_channels" USING btree ("channel","channel_user_id");--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "marketing"."users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "users_api_key_idx" ON "marketing"."users" USING btree ("api_key");