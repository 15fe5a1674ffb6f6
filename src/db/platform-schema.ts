/**
 * The platform's own tables, in Postgres schema "platform" (not a module's): what the building blocks in src/
 * need to keep state. processed_events: one row per signed callback applied (replay protection, onceOnly()).
 */
import { pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

export const platform = pgSchema("platform");

export const processedEvents = platform.table(
  "processed_events",
  {
    /** the sender, e.g. "stripe", "clerk", "qstash:scheduler" */
    source: text("source").notNull(),
    /** the sender's event/message id (Stripe event id, svix-id, Upstash-Message-Id) */
    eventId: text("event_id").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "processed_events_pkey", columns: [t.source, t.eventId] })],
);
