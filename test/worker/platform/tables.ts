/**
 * The few columns of real Auth.js tables (they live in the scheduler's Postgres schema) that the platform suites
 * write through drizzle. Declared here rather than imported: the platform and its tests never import a module.
 */
import { pgSchema, text, timestamp } from "drizzle-orm/pg-core";

const authjs = pgSchema("scheduler");

export const users = authjs.table("user", { id: text("id").primaryKey(), name: text("name") });

export const sessions = authjs.table("session", {
  sessionToken: text("sessionToken").primaryKey(),
  userId: text("userId").notNull(),
  expires: timestamp("expires", { mode: "date" }).notNull(),
});
