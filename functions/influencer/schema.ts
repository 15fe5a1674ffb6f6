/**
 * influencer module — data model of seed 004 ("usegemz": user profiles with trial/admin,
 * campaigns, scraping jobs and results, system configurations, legacy search jobs/results),
 * all inside the Postgres schema `influencer`.
 *
 * Choices where the seed is ambiguous or silent:
 * - Identity: the seed does not use Supabase `auth.users`; users are Clerk ids (TEXT such as
 *   `user_2xxxxx`) kept in `user_profiles.user_id`. No identity table is added.
 *   `campaigns.user_id` / `scraping_jobs.user_id` reference it only logically ("no foreign key for
 *   flexibility"), so there is no FK and no relations() between profiles and campaigns/jobs
 *   (a relations() `one` without an FK would be typed non-null while the row may not exist).
 *   Tenant isolation is application-level: every query filters by the authenticated user_id.
 * - RLS, triggers, functions: the seed defines none. `updated_at` is maintained by the
 *   application (`$onUpdate`, which drizzle adds to every UPDATE it builds) instead of a trigger.
 * - Foreign keys: the seed writes bare `REFERENCES` with no ON DELETE, so they are NO ACTION
 *   (deleting a campaign that still has jobs fails with 23503).
 * - Constraint names the seed leaves implicit get the names Postgres gives the seed's own DDL:
 *   `<table>_pkey`, `user_profiles_user_id_key`, `<table>_<column>_fkey`, `<table>_<column>_check`.
 * - Vocabularies: the seed lists them in prose, not as enums or CHECKs. CHECK constraints are added
 *   for the columns whose values the seed lists explicitly (onboarding_step, trial_status,
 *   subscription_status, campaigns.search_type/status, scraping_jobs.status) and for the documented
 *   range progress 0–100. NULL stays allowed where the seed's column is nullable.
 * - scraping_jobs.platform: the SQL default is 'Tiktok' while the prose says 'TikTok' (exact casing).
 *   The default is kept verbatim; a CHECK would reject the seed's own default, so platform gets no
 *   CHECK and the API insert schema supplies 'TikTok' instead of relying on the default.
 * - `progress NUMERIC` keeps no precision/scale; read as a JS number (mode "number").
 * - `TIMESTAMP` is without time zone, as in the seed. NOW() and drizzle's Date writes agree only
 *   when the session TimeZone is UTC (Neon's default); mode "date".
 * - Legacy tables search_jobs/search_results are created as documented (the seed marks them
 *   unused); their status vocabulary (default 'queued') is not documented, so it is unchecked.
 */
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgSchema,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";

export const influencer = pgSchema("influencer");

export const ONBOARDING_STEPS = ["pending", "info_captured", "intent_captured", "completed"] as const;
export const TRIAL_STATUSES = ["pending", "active", "expired", "cancelled", "converted"] as const;
export const SUBSCRIPTION_STATUSES = ["none", "trialing", "active", "past_due", "canceled"] as const;
export const SEARCH_TYPES = ["keyword", "similar"] as const;
export const CAMPAIGN_STATUSES = ["draft", "active", "completed", "archived"] as const;
export const PLATFORMS = ["TikTok", "Instagram", "YouTube"] as const;
export const JOB_STATUSES = ["pending", "processing", "completed", "error", "timeout"] as const;
export const HOT_RELOADABLE_VALUES = ["true", "false"] as const;
export const CONFIG_VALUE_TYPES = ["number", "boolean", "duration", "json", "string"] as const;
/** The seed's trial e-mails (days 2, 5 and 7), kept as reminder records: there is no mail provider. */
export const REMINDER_KINDS = ["day_2", "day_5", "expiry"] as const;
export const REMINDER_STATUSES = ["scheduled", "due", "skipped"] as const;
/** Job statuses a step or the timeout sweep may still move. */
export const ACTIVE_JOB_STATUSES = ["pending", "processing"] as const;

export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];
export type TrialStatus = (typeof TRIAL_STATUSES)[number];
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export type SearchType = (typeof SEARCH_TYPES)[number];
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
export type Platform = (typeof PLATFORMS)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];
export type ConfigValueType = (typeof CONFIG_VALUE_TYPES)[number];
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** `<column> IN ('a', 'b', …)` from a vocabulary constant, so CHECKs and zod enums share one list. */
function oneOf(column: string, values: readonly string[]) {
  return sql.raw(`${column} IN (${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(", ")})`);
}

const ts = (name: string) => timestamp(name, { mode: "date", withTimezone: false });
const createdAt = () => ts("created_at").notNull().defaultNow();
const updatedAt = () =>
  ts("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

export const userProfiles = influencer.table(
  "user_profiles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull().unique("user_profiles_user_id_key"),
    email: text("email"),
    name: text("name"),
    companyName: text("company_name"),
    industry: text("industry"),
    signupTimestamp: ts("signup_timestamp").notNull().defaultNow(),
    onboardingStep: varchar("onboarding_step", { length: 50, enum: ONBOARDING_STEPS }).notNull().default("pending"),
    fullName: text("full_name"),
    businessName: text("business_name"),
    brandDescription: text("brand_description"),
    emailScheduleStatus: jsonb("email_schedule_status").$type<Record<string, unknown>>().default({}),
    trialStartDate: ts("trial_start_date"),
    trialEndDate: ts("trial_end_date"),
    trialStatus: varchar("trial_status", { length: 20, enum: TRIAL_STATUSES }).default("pending"),
    stripeCustomerId: text("stripe_customer_id"),
    stripeSubscriptionId: text("stripe_subscription_id"),
    subscriptionStatus: varchar("subscription_status", { length: 20, enum: SUBSCRIPTION_STATUSES }).default("none"),
    isAdmin: boolean("is_admin").default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_user_profiles_trial_status").on(t.trialStatus),
    index("idx_user_profiles_trial_dates").on(t.trialStartDate, t.trialEndDate),
    index("idx_user_profiles_stripe_customer").on(t.stripeCustomerId),
    // Raw predicate: a column reference would be rendered table-qualified in the migration.
    index("idx_user_profiles_is_admin").on(t.isAdmin).where(sql`is_admin = true`),
    index("idx_user_profiles_admin_details").on(t.isAdmin, t.fullName, t.email, t.updatedAt),
    check("user_profiles_onboarding_step_check", oneOf("onboarding_step", ONBOARDING_STEPS)),
    check("user_profiles_trial_status_check", oneOf("trial_status", TRIAL_STATUSES)),
    check("user_profiles_subscription_status_check", oneOf("subscription_status", SUBSCRIPTION_STATUSES)),
  ],
);

export const campaigns = influencer.table(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    searchType: varchar("search_type", { length: 20, enum: SEARCH_TYPES }).notNull(),
    status: varchar("status", { length: 20, enum: CAMPAIGN_STATUSES }).notNull().default("draft"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("idx_campaigns_user_created").on(t.userId, t.createdAt), // +0006: GET /campaigns lists one user's campaigns newest first
    check("campaigns_search_type_check", oneOf("search_type", SEARCH_TYPES)),
    check("campaigns_status_check", oneOf("status", CAMPAIGN_STATUSES)),
  ],
);

export const scrapingJobs = influencer.table(
  "scraping_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),
    campaignId: uuid("campaign_id"),
    platform: varchar("platform", { length: 50 }).notNull().default("Tiktok"),
    keywords: jsonb("keywords").$type<string[]>(),
    targetUsername: text("target_username"),
    searchParams: jsonb("search_params").$type<Record<string, unknown>>(),
    region: varchar("region", { length: 10 }).notNull().default("US"),
    status: varchar("status", { length: 20, enum: JOB_STATUSES }).notNull().default("pending"),
    runId: text("run_id"),
    qstashMessageId: text("qstash_message_id"),
    processedRuns: integer("processed_runs").notNull().default(0),
    processedResults: integer("processed_results").notNull().default(0),
    targetResults: integer("target_results").notNull().default(1000),
    cursor: integer("cursor").default(0),
    progress: numeric("progress", { mode: "number" }).default(0),
    createdAt: createdAt(),
    startedAt: ts("started_at"),
    completedAt: ts("completed_at"),
    timeoutAt: ts("timeout_at"),
    updatedAt: updatedAt(),
    error: text("error"),
  },
  (t) => [
    foreignKey({ name: "scraping_jobs_campaign_id_fkey", columns: [t.campaignId], foreignColumns: [campaigns.id] }),
    index("idx_scraping_jobs_status").on(t.status),
    index("idx_scraping_jobs_platform").on(t.platform),
    index("idx_scraping_jobs_user_campaign").on(t.userId, t.campaignId),
    index("idx_scraping_jobs_active_timeout").on(t.timeoutAt).where(sql.raw(`status IN ('pending', 'processing')`)), // +0006: the timeout and lost-step sweeps read only unfinished jobs
    check("scraping_jobs_status_check", oneOf("status", JOB_STATUSES)),
    check("scraping_jobs_progress_check", sql.raw("progress >= 0 AND progress <= 100")),
  ],
);

export const scrapingResults = influencer.table(
  "scraping_results",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: uuid("job_id"),
    // Platform-specific creator objects; shapes differ per platform and search type.
    creators: jsonb("creators").$type<Record<string, unknown>[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ name: "scraping_results_job_id_fkey", columns: [t.jobId], foreignColumns: [scrapingJobs.id] }),
    index("idx_scraping_results_job_id").on(t.jobId),
    index("idx_scraping_results_created_at").on(t.createdAt),
  ],
);

export const systemConfigurations = influencer.table(
  "system_configurations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    category: varchar("category", { length: 50 }).notNull(),
    key: varchar("key", { length: 100 }).notNull(),
    value: text("value").notNull(),
    valueType: varchar("value_type", { length: 20 }).notNull(),
    description: text("description"),
    isHotReloadable: varchar("is_hot_reloadable", { length: 5 }).notNull().default("true"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique("unique_category_key").on(t.category, t.key)],
);

/**
 * Not in the seed: the trial e-mails of days 2, 5 and 7 (email.trial_*_delay) as records a sweep marks due.
 * One row per user and kind, so starting a trial twice cannot schedule twice.
 */
export const trialReminders = influencer.table(
  "trial_reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id").notNull(),
    kind: varchar("kind", { length: 20, enum: REMINDER_KINDS }).notNull(),
    dueAt: ts("due_at").notNull(),
    status: varchar("status", { length: 20, enum: REMINDER_STATUSES }).notNull().default("scheduled"),
    markedAt: ts("marked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("trial_reminders_user_kind_key").on(t.userId, t.kind),
    index("idx_trial_reminders_scheduled_due").on(t.dueAt).where(sql.raw(`status = 'scheduled'`)), // +0006: the reminder sweep reads only scheduled reminders by due time
    check("trial_reminders_kind_check", oneOf("kind", REMINDER_KINDS)),
    check("trial_reminders_status_check", oneOf("status", REMINDER_STATUSES)),
  ],
);

export const searchJobs = influencer.table(
  "search_jobs",
  {
    id: text("id").primaryKey(),
    campaignId: uuid("campaign_id"),
    platform: varchar("platform", { length: 20 }).notNull(),
    searchType: varchar("search_type", { length: 20 }).notNull(),
    status: varchar("status", { length: 20 }).notNull().default("queued"),
    totalCount: integer("total_count").notNull(),
    completedCount: integer("completed_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: ts("completed_at"),
  },
  (t) => [foreignKey({ name: "search_jobs_campaign_id_fkey", columns: [t.campaignId], foreignColumns: [campaigns.id] })],
);

export const searchResults = influencer.table(
  "search_results",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    jobId: text("job_id").notNull(),
    profileId: text("profile_id").notNull(),
    username: text("username").notNull(),
    displayName: text("display_name"),
    platform: varchar("platform", { length: 20 }).notNull(),
    profileUrl: text("profile_url"),
    postUrl: text("post_url"),
    postDescription: text("post_description"),
    avatarUrl: text("avatar_url"),
    followers: integer("followers").default(0),
    isVerified: varchar("is_verified", { length: 10 }).default("false"),
    email: text("email"),
    bio: text("bio"),
    rawData: jsonb("raw_data"),
    createdAt: createdAt(),
  },
  (t) => [foreignKey({ name: "search_results_job_id_fkey", columns: [t.jobId], foreignColumns: [searchJobs.id] })],
);

export type UserProfile = typeof userProfiles.$inferSelect;
export type NewUserProfile = typeof userProfiles.$inferInsert;
export type Campaign = typeof campaigns.$inferSelect;
export type NewCampaign = typeof campaigns.$inferInsert;
export type ScrapingJob = typeof scrapingJobs.$inferSelect;
export type NewScrapingJob = typeof scrapingJobs.$inferInsert;
export type ScrapingResult = typeof scrapingResults.$inferSelect;
export type NewScrapingResult = typeof scrapingResults.$inferInsert;
export type SystemConfiguration = typeof systemConfigurations.$inferSelect;
export type NewSystemConfiguration = typeof systemConfigurations.$inferInsert;
export type TrialReminder = typeof trialReminders.$inferSelect;
export type SearchJob = typeof searchJobs.$inferSelect;
export type NewSearchJob = typeof searchJobs.$inferInsert;
export type SearchResult = typeof searchResults.$inferSelect;
export type NewSearchResult = typeof searchResults.$inferInsert;
