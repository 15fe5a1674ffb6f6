CREATE TABLE "platform"."spend_counters" (
	"scope" text NOT NULL,
	"day" date NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "spend_counters_pkey" PRIMARY KEY("scope","day")
);
