import type { AppRouteHandler } from "../../src/http/router";
import { eq, inArray, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { onceOnly } from "../../src/db/processed-events";
import { svixEventId } from "../../src/http/webhooks/svix";
import { badRequestField } from "./problems";
import { forgetAdminFlag } from "./auth";
import { influencerDb } from "./db";
import { campaigns, scrapingJobs, scrapingResults, searchJobs, searchResults, trialReminders, userProfiles } from "./schema";
import type * as routes from "./webhooks.routes";

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
    ]);
    await forgetAdminFlag(createCache(c.env, c.get("logger")), userId);
    return c.json({ type, outcome }, 200);
  }
  const email =
    data.email_addresses?.find((e) => e.id === data.primary_email_address_id)?.email_address ??
    data.email_addresses?.[0]?.email_address ??
    null;
  const name = [data.first_name, data.last_name].filter((s) => s?.trim()).join(" ") || null;
  const outcome = await onceOnly(db, "clerk", eventId, [
    db
      .insert(userProfiles)
      .values({ userId, email, name })
      .onConflictDoUpdate({
        target: userProfiles.userId,
        set: { email: sql`excluded.email`, name: sql`excluded.name`, updatedAt: sql`now()` },
      }),
  ]);
  return c.json({ type, outcome }, 200);
};
