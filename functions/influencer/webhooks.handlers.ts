import type { AppRouteHandler } from "../../src/http/router";
import { and, eq, inArray, notExists, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { selectRow } from "../../src/db/insert-select";
import { processedEvents } from "../../src/db/platform-schema";
import { onceOnly, onceOnlyWithResults } from "../../src/db/processed-events";
import { svixEventId } from "../../src/http/webhooks/svix";
import { badRequestField } from "./problems";
import { forgetAdminFlag } from "./auth";
import { influencerDb } from "./db";
import { campaigns, scrapingJobs, scrapingResults, searchJobs, searchResults, trialReminders, userProfiles } from "./schema";
import type * as routes from "./webhooks.routes";

/**
 * A deleted Clerk user's tombstone, kept in platform.processed_events: svix does not deliver in order, so a
 * `user.updated` sent before a `user.deleted` may arrive after it, and must not bring the profile back.
 */
const DELETED_USER = "clerk:user-deleted";

export const clerkWebhook: AppRouteHandler<typeof routes.clerkWebhook> = async (c) => {
  const { type, data } = c.req.valid("json");
  if (type !== "user.created" && type !== "user.updated" && type !== "user.deleted")
    return c.json({ type, outcome: "ignored" as const }, 200);
  const userId = data.id;
  if (!userId) throw badRequestField("body.data.id", "A user event names its user.");
  const db = influencerDb(c.env);
  // The svix-id is the event's identity: a redelivery finds it in platform.processed_events and changes nothing.
  const eventId = svixEventId(c.req.raw.headers)!;
  if (type === "user.deleted") {
    const owned = db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.userId, userId));
    const jobs = db.select({ id: scrapingJobs.id }).from(scrapingJobs).where(eq(scrapingJobs.userId, userId));
    const legacy = db.select({ id: searchJobs.id }).from(searchJobs).where(inArray(searchJobs.campaignId, owned));
    const outcome = await onceOnly(db, "clerk", eventId, [
      db.delete(trialReminders).where(eq(trialReminders.userId, userId)),
      db.delete(scrapingResults).where(inArray(scrapingResults.jobId, jobs)),
      db.delete(scrapingJobs).where(eq(scrapingJobs.userId, userId)),
      db.delete(searchResults).where(inArray(searchResults.jobId, legacy)),
      db.delete(searchJobs).where(inArray(searchJobs.campaignId, owned)),
      db.delete(campaigns).where(eq(campaigns.userId, userId)),
      db.delete(userProfiles).where(eq(userProfiles.userId, userId)),
      db.insert(processedEvents).values({ source: DELETED_USER, eventId: userId }).onConflictDoNothing(),
    ]);
    await forgetAdminFlag(createCache(c.env, c.get("logger")), userId);
    return c.json({ type, outcome }, 200);
  }
  const email =
    data.email_addresses?.find((e) => e.id === data.primary_email_address_id)?.email_address ??
    data.email_addresses?.[0]?.email_address ??
    null;
  const name = [data.first_name, data.last_name].filter((s) => s?.trim()).join(" ") || null;
  const deleted = db
    .select({ one: sql`1` })
    .from(processedEvents)
    .where(and(eq(processedEvents.source, DELETED_USER), eq(processedEvents.eventId, userId)));
  const once = await onceOnlyWithResults(db, "clerk", eventId, [
    db
      .insert(userProfiles)
      .select(db.select(selectRow(userProfiles, { userId, email, name })).from(sql`(SELECT 1) AS one`).where(notExists(deleted)))
      .onConflictDoUpdate({
        target: userProfiles.userId,
        set: { email: sql`excluded.email`, name: sql`excluded.name`, updatedAt: sql`now()` },
      })
      .returning({ userId: userProfiles.userId }),
  ] as const);
  if (once.outcome === "duplicate") return c.json({ type, outcome: "duplicate" as const }, 200);
  return c.json({ type, outcome: once.results[0].length ? ("applied" as const) : ("skipped" as const) }, 200);
};
