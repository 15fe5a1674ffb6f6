/**
 * The platform's own tables, in Postgres schema "platform" (not a module's): what the building blocks in src/
 * need to keep state. processed_events: one row per signed callback applied (replay protection, onceOnly()).
 * spend_counters: model calls and tokens per scope and UTC day, the fallback of the daily budget when Redis is
 * unavailable (src/db/spend-budget.ts).
 */
import { bigint, date, integer, pgSchema, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

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

export const spendCounters = platform.table(
  "spend_counters",
  {
    /** what is counted, e.g. "llm" (every model call of every module) */
    scope: text("scope").notNull(),
    /** the UTC day */
    day: date("day", { mode: "string" }).notNull(),
    calls: integer("calls").notNull().default(0),
    tokens: bigint("tokens", { mode: "number" }).notNull().default(0),
  },
  (t) => [primaryKey({ name: "spend_counters_pkey", columns: [t.scope, t.day] })],
);
