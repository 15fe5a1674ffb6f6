CREATE UNIQUE INDEX "clients_user_id_slug_unique_idx" ON "marketing"."clients" USING btree ("user_id","slug");--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_output_id_unique_idx" ON "marketing"."feedback" USING btree ("output_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_channels_channel_user_unique_idx" ON "marketing"."user_channels" USING btree ("channel","channel_user_id");