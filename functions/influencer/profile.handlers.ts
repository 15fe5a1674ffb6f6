import type { AppRouteHandler } from "../../src/http/router";
import type { Context } from "hono";
import type { AppContext } from "../../src/env";
import { and, asc, eq, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { conflict } from "../../src/core/problem";
import { userIdOf } from "./auth";
import { type InfluencerDb, influencerDb } from "./db";
import type * as routes from "./profile.routes";
import { profileJson, trialJson } from "./responses";
import { type OnboardingStep, REMINDER_KINDS, type ReminderKind, trialReminders, userProfiles } from "./schema";
import { configDeps, loadSettings } from "./system-config";

/** INSERT … ON CONFLICT DO NOTHING: the first statement of every batch that needs the caller's profile to exist. */
export function ensureProfile(db: InfluencerDb, userId: string, email?: string) {
  return db.insert(userProfiles).values({ userId, email }).onConflictDoNothing({ target: userProfiles.userId });
}
const profileOf = (db: InfluencerDb, userId: string) => db.select().from(userProfiles).where(eq(userProfiles.userId, userId));
const remindersOf = (db: InfluencerDb, userId: string) =>
  db.select().from(trialReminders).where(eq(trialReminders.userId, userId)).orderBy(asc(trialReminders.dueAt), asc(trialReminders.kind));

function claimedEmail(c: Context<AppContext>): string | undefined {
  const email = c.get("principal")?.claims.email;
  return typeof email === "string" && email.includes("@") ? email : undefined;
}

export const getMe: AppRouteHandler<typeof routes.getMe> = async (c) => {
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const [, [profile]] = await db.batch([ensureProfile(db, userId, claimedEmail(c)), profileOf(db, userId)]);
  return c.json(profileJson(profile!), 200);
};

const previousStep: Record<Exclude<OnboardingStep, "pending">, OnboardingStep> = {
  info_captured: "pending",
  intent_captured: "info_captured",
  completed: "intent_captured",
};

export const advanceOnboarding: AppRouteHandler<typeof routes.advanceOnboarding> = async (c) => {
  const userId = userIdOf(c);
  const body = c.req.valid("json");
  const db = influencerDb(c.env);
  const fields =
    body.step === "info_captured"
      ? { fullName: body.fullName, businessName: body.businessName, industry: body.industry }
      : body.step === "intent_captured"
        ? { brandDescription: body.brandDescription }
        : {};
  const [, moved, [profile]] = await db.batch([
    ensureProfile(db, userId, claimedEmail(c)),
    db
      .update(userProfiles)
      .set({ ...fields, onboardingStep: body.step })
      .where(and(eq(userProfiles.userId, userId), eq(userProfiles.onboardingStep, previousStep[body.step])))
      .returning({ id: userProfiles.id }),
    profileOf(db, userId),
  ]);
  if (moved.length === 0) {
    throw conflict(`Onboarding is at \`${profile!.onboardingStep}\`; \`${body.step}\` follows only \`${previousStep[body.step]}\`.`);
  }
  return c.json(profileJson(profile!), 200);
};

export const getTrial: AppRouteHandler<typeof routes.getTrial> = async (c) => {
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const [, [profile], reminders] = await db.batch([
    ensureProfile(db, userId, claimedEmail(c)),
    profileOf(db, userId),
    remindersOf(db, userId),
  ]);
  return c.json(trialJson(profile!, reminders), 200);
};

const delayKey: Record<ReminderKind, string> = { day_2: "trial_day_2_delay", day_5: "trial_day_5_delay", expiry: "trial_expiry_delay" };

export const startTrial: AppRouteHandler<typeof routes.startTrial> = async (c) => {
  const userId = userIdOf(c);
  const settings = await loadSettings(configDeps(c));
  const db = influencerDb(c.env);
  // Millisecond precision, so the reminder inserts can recognise the start this request wrote.
  const start = new Date(Math.floor(Date.now()));
  const end = new Date(start.getTime() + settings.durationMs("trial", "trial_length"));
  const startedNow = and(eq(userProfiles.userId, userId), eq(userProfiles.trialStatus, "active"), eq(userProfiles.trialStartDate, start));
  const reminder = (kind: ReminderKind) =>
    db
      .insert(trialReminders)
      .select(
        db
          .select(
            selectRow(trialReminders, { userId, kind, dueAt: new Date(start.getTime() + settings.durationMs("email", delayKey[kind])) }),
          )
          .from(userProfiles)
          .where(startedNow),
      )
      .onConflictDoNothing();
  const [, moved, , , , [profile], reminders] = await db.batch([
    ensureProfile(db, userId, claimedEmail(c)),
    db
      .update(userProfiles)
      .set({ trialStatus: "active", trialStartDate: start, trialEndDate: end, subscriptionStatus: "trialing" })
      .where(and(eq(userProfiles.userId, userId), eq(userProfiles.trialStatus, "pending")))
      .returning({ id: userProfiles.id }),
    reminder(REMINDER_KINDS[0]),
    reminder(REMINDER_KINDS[1]),
    reminder(REMINDER_KINDS[2]),
    profileOf(db, userId),
    remindersOf(db, userId),
  ]);
  if (moved.length === 0) throw conflict(`The trial is ${profile!.trialStatus}; only a pending trial can start.`);
  return c.json(trialJson(profile!, reminders), 200);
};

export const cancelTrial: AppRouteHandler<typeof routes.cancelTrial> = async (c) => {
  const userId = userIdOf(c);
  const db = influencerDb(c.env);
  const [, moved, , [profile], reminders] = await db.batch([
    ensureProfile(db, userId, claimedEmail(c)),
    db
      .update(userProfiles)
      .set({
        trialStatus: "cancelled",
        subscriptionStatus: sql`CASE WHEN ${userProfiles.subscriptionStatus} = 'trialing' THEN 'canceled' ELSE ${userProfiles.subscriptionStatus} END`,
      })
      .where(and(eq(userProfiles.userId, userId), eq(userProfiles.trialStatus, "active")))
      .returning({ id: userProfiles.id }),
    db
      .update(trialReminders)
      .set({ status: "skipped", markedAt: sql`now()` })
      .where(
        and(
          eq(trialReminders.userId, userId),
          eq(trialReminders.status, "scheduled"),
          sql`EXISTS (SELECT 1 FROM ${userProfiles} WHERE ${userProfiles.userId} = ${userId} AND ${userProfiles.trialStatus} = 'cancelled')`,
        ),
      ),
    profileOf(db, userId),
    remindersOf(db, userId),
  ]);
  if (moved.length === 0) throw conflict(`The trial is ${profile!.trialStatus}; only an active trial can be cancelled.`);
  return c.json(trialJson(profile!, reminders), 200);
};
