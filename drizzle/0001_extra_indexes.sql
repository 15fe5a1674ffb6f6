CREATE INDEX "blog_sessions_created_at_idx" ON "blog"."blog_sessions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "blog_sessions_generating_updated_at_idx" ON "blog"."blog_sessions" USING btree ("updated_at") WHERE status = 'generating';--> statement-breakpoint
CREATE INDEX "brand_voice_cache_expires_at_idx" ON "blog"."brand_voice_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "cached_dresses_expires_at_idx" ON "blog"."cached_dresses" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "agent_definitions_user_id_idx" ON "chat"."agent_definitions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "agent_definitions_public_created_at_idx" ON "chat"."agent_definitions" USING btree ("created_at") WHERE is_public;--> statement-breakpoint
CREATE INDEX "agent_instances_user_id_idx" ON "chat"."agent_instances" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "agent_instances_definition_id_idx" ON "chat"."agent_instances" USING btree ("definition_id");--> statement-breakpoint
CREATE INDEX "artifacts_user_id_idx" ON "chat"."artifacts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "artifacts_message_id_idx" ON "chat"."artifacts" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "conversations_user_id_updated_at_idx" ON "chat"."conversations" USING btree ("user_id","updated_at");--> statement-breakpoint
CREATE INDEX "messages_conversation_id_created_at_idx" ON "chat"."messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "subscriptions_user_id_idx" ON "chat"."subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "subscriptions_stripe_subscription_id_idx" ON "chat"."subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "workflows_user_id_idx" ON "chat"."workflows" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "workflows_agent_instance_id_idx" ON "chat"."workflows" USING btree ("agent_instance_id");--> statement-breakpoint
CREATE INDEX "workflows_workflow_id_idx" ON "chat"."workflows" USING btree ("workflow_id");--> statement-breakpoint
CREATE INDEX "workflows_unfinished_updated_at_idx" ON "chat"."workflows" USING btree ("updated_at") WHERE status IN ('pending', 'running');--> statement-breakpoint
CREATE INDEX "runs_user_id_queued_at_idx" ON "marketing"."runs" USING btree ("user_id","queued_at");--> statement-breakpoint
CREATE INDEX "runs_in_flight_queued_at_idx" ON "marketing"."runs" USING btree ("queued_at") WHERE status IN ('queued', 'running');--> statement-breakpoint
CREATE INDEX "account_userId_idx" ON "scheduler"."account" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "ApiKey_userId_idx" ON "scheduler"."ApiKey" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "Endpoint_jobId_idx" ON "scheduler"."Endpoint" USING btree ("jobId");--> statement-breakpoint
CREATE INDEX "Job_userId_createdAt_idx" ON "scheduler"."Job" USING btree ("userId","createdAt");--> statement-breakpoint
CREATE INDEX "Job_due_nextRunAt_idx" ON "scheduler"."Job" USING btree ("nextRunAt") WHERE status = 'ACTIVE';--> statement-breakpoint
CREATE INDEX "Message_jobId_createdAt_idx" ON "scheduler"."Message" USING btree ("jobId","createdAt");--> statement-breakpoint
CREATE INDEX "session_userId_idx" ON "scheduler"."session" USING btree ("userId");--> statement-breakpoint
CREATE INDEX "session_expires_idx" ON "scheduler"."session" USING btree ("expires");--> statement-breakpoint
CREATE INDEX "Task_jobId_idx" ON "scheduler"."Task" USING btree ("jobId");--> statement-breakpoint
CREATE INDEX "verificationToken_expires_idx" ON "scheduler"."verificationToken" USING btree ("expires");