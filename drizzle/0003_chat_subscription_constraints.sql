DROP INDEX "chat"."subscriptions_user_id_idx";--> statement-breakpoint
DROP INDEX "chat"."subscriptions_stripe_subscription_id_idx";--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_user_id_unique" UNIQUE("user_id");--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_stripe_subscription_id_unique" UNIQUE("stripe_subscription_id");--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_status_check" CHECK ("chat"."subscriptions"."status" IN ('active', 'canceled', 'past_due', 'trialing', 'incomplete', 'incomplete_expired', 'unpaid', 'paused'));--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_plan_check" CHECK ("chat"."subscriptions"."plan" IN ('free', 'pro', 'enterprise'));--> statement-breakpoint
ALTER TABLE "chat"."subscriptions" ADD CONSTRAINT "subscriptions_agent_limit_check" CHECK ("chat"."subscriptions"."agent_limit" >= 0);