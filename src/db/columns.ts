/**
 * Column helpers shared by the module schemas. Each call returns a fresh builder, so one helper
 * can serve many tables. All four seeds that give Drizzle code use plain `timestamp(...)`, i.e.
 * `timestamp without time zone`; the database runs with TimeZone=UTC, so these hold UTC wall time.
 */
import { timestamp } from "drizzle-orm/pg-core";

/** `timestamp without time zone` read and written as a JS Date (never as a string, whatever the driver). */
export const ts = (name: string) => timestamp(name, { mode: "date", withTimezone: false });

/** NOT NULL DEFAULT now(). */
export const createdAt = (name = "created_at") => ts(name).defaultNow().notNull();

/** NOT NULL DEFAULT now(), refreshed by Drizzle on every UPDATE that does not set it. */
export const updatedAt = (name = "updated_at") =>
  ts(name)
    .defaultNow()
    .notNull()
    .$onUpdate(() => new Date());
