CREATE SCHEMA "platform";
--> statement-breakpoint
CREATE TABLE "platform"."processed_events" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("source","event_id")
);
