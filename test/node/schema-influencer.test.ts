/**
 * The influencer module's tables as migrated, compared with expectations written by hand from
 * seed 004 (not derived from functions/influencer/schema.ts), plus the seed rows, a relational
 * query and the constraints' behaviour.
 */
import { eq, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { seedInfluencer } from "../../functions/influencer/seed";
import * as schema from "../../functions/influencer/db-schema";
import {
  insertScrapingJobSchema,
  insertSystemConfigurationSchema,
  insertUserProfileSchema,
  patchScrapingJobSchema,
  selectScrapingJobSchema,
} from "../../functions/influencer/validation";
import { describeCatalog, type Catalog, type ColumnRow, pgError, useMigratedSchema } from "./schema-catalog.js";

const { campaigns, scrapingJobs, scrapingResults, systemConfigurations, userProfiles, searchJobs, searchResults } = schema;

const TABLES = [
  "campaigns",
  "scraping_jobs",
  "scraping_results",
  "search_jobs",
  "search_results",
  "system_configurations",
  "trial_reminders",
  "user_profiles",
];

const TS = "timestamp without time zone";
const NOW = "now()";
const UUID_DEFAULT = "gen_random_uuid()";

// One row per column of the seed's CREATE TABLE statements.
const COLUMNS: ColumnRow[] = [
  ["user_profiles", "id", "uuid", "not null", UUID_DEFAULT],
  ["user_profiles", "user_id", "text", "not null", null],
  ["user_profiles", "email", "text", "null", null],
  ["user_profiles", "name", "text", "null", null],
  ["user_profiles", "company_name", "text", "null", null],
  ["user_profiles", "industry", "text", "null", null],
  ["user_profiles", "signup_timestamp", TS, "not null", NOW],
  ["user_profiles", "onboarding_step", "character varying(50)", "not null", "'pending'::character varying"],
  ["user_profiles", "full_name", "text", "null", null],
  ["user_profiles", "business_name", "text", "null", null],
  ["user_profiles", "brand_description", "text", "null", null],
  ["user_profiles", "email_schedule_status", "jsonb", "null", "'{}'::jsonb"],
  ["user_profiles", "trial_start_date", TS, "null", null],
  ["user_profiles", "trial_end_date", TS, "null", null],
  ["user_profiles", "trial_status", "character varying(20)", "null", "'pending'::character varying"],
  ["user_profiles", "stripe_customer_id", "text", "null", null],
  ["user_profiles", "stripe_subscription_id", "text", "null", null],
  ["user_profiles", "subscription_status", "character varying(20)", "null", "'none'::character varying"],
  ["user_profiles", "is_admin", "boolean", "null", "false"],
  ["user_profiles", "created_at", TS, "not null", NOW],
  ["user_profiles", "updated_at", TS, "not null", NOW],

  ["campaigns", "id", "uuid", "not null", UUID_DEFAULT],
  ["campaigns", "user_id", "text", "not null", null],
  ["campaigns", "name", "text", "not null", null],
  ["campaigns", "description", "text", "null", null],
  ["campaigns", "search_type", "character varying(20)", "not null", null],
  ["campaigns", "status", "character varying(20)", "not null", "'draft'::character varying"],
  ["campaigns", "created_at", TS, "not null", NOW],
  ["campaigns", "updated_at", TS, "not null", NOW],

  ["scraping_jobs", "id", "uuid", "not null", UUID_DEFAULT],
  ["scraping_jobs", "user_id", "text", "not null", null],
  ["scraping_jobs", "campaign_id", "uuid", "null", null],
  ["scraping_jobs", "platform", "character varying(50)", "not null", "'Tiktok'::character varying"],
  ["scraping_jobs", "keywords", "jsonb", "null", null],
  ["scraping_jobs", "target_username", "text", "null", null],
  ["scraping_jobs", "search_params", "jsonb", "null", null],
  ["scraping_jobs", "region", "character varying(10)", "not null", "'US'::character varying"],
  ["scraping_jobs", "status", "character varying(20)", "not null", "'pending'::character varying"],
  ["scraping_jobs", "run_id", "text", "null", null],
  ["scraping_jobs", "qstash_message_id", "text", "null", null],
  ["scraping_jobs", "processed_runs", "integer", "not null", "0"],
  ["scraping_jobs", "processed_results", "integer", "not null", "0"],
  ["scraping_jobs", "target_results", "integer", "not null", "1000"],
  ["scraping_jobs", "cursor", "integer", "null", "0"],
  ["scraping_jobs", "progress", "numeric", "null", "0"],
  ["scraping_jobs", "created_at", TS, "not null", NOW],
  ["scraping_jobs", "started_at", TS, "null", null],
  ["scraping_jobs", "completed_at", TS, "null", null],
  ["scraping_jobs", "timeout_at", TS, "null", null],
  ["scraping_jobs", "updated_at", TS, "not null", NOW],
  ["scraping_jobs", "error", "text", "null", null],

  ["scraping_results", "id", "uuid", "not null", UUID_DEFAULT],
  ["scraping_results", "job_id", "uuid", "null", null],
  ["scraping_results", "creators", "jsonb", "not null", null],
  ["scraping_results", "created_at", TS, "not null", NOW],

  ["system_configurations", "id", "uuid", "not null", UUID_DEFAULT],
  ["system_configurations", "category", "character varying(50)", "not null", null],
  ["system_configurations", "key", "character varying(100)", "not null", null],
  ["system_configurations", "value", "text", "not null", null],
  ["system_configurations", "value_type", "character varying(20)", "not null", null],
  ["system_configurations", "description", "text", "null", null],
  ["system_configurations", "is_hot_reloadable", "character varying(5)", "not null", "'true'::character varying"],
  ["system_configurations", "created_at", TS, "not null", NOW],
  ["system_configurations", "updated_at", TS, "not null", NOW],

  ["search_jobs", "id", "text", "not null", null],
  ["search_jobs", "campaign_id", "uuid", "null", null],
  ["search_jobs", "platform", "character varying(20)", "not null", null],
  ["search_jobs", "search_type", "character varying(20)", "not null", null],
  ["search_jobs", "status", "character varying(20)", "not null", "'queued'::character varying"],
  ["search_jobs", "total_count", "integer", "not null", null],
  ["search_jobs", "completed_count", "integer", "not null", "0"],
  ["search_jobs", "created_at", TS, "not null", NOW],
  ["search_jobs", "updated_at", TS, "not null", NOW],
  ["search_jobs", "completed_at", TS, "null", null],

  ["search_results", "id", "uuid", "not null", UUID_DEFAULT],
  ["search_results", "job_id", "text", "not null", null],
  ["search_results", "profile_id", "text", "not null", null],
  ["search_results", "username", "text", "not null", null],
  ["search_results", "display_name", "text", "null", null],
  ["search_results", "platform", "character varying(20)", "not null", null],
  ["search_results", "profile_url", "text", "null", null],
  ["search_results", "post_url", "text", "null", null],
  ["search_results", "post_description", "text", "null", null],
  ["search_results", "avatar_url", "text", "null", null],
  ["search_results", "followers", "integer", "null", "0"],
  ["search_results", "is_verified", "character varying(10)", "null", "'false'::character varying"],
  ["search_results", "email", "text", "null", null],
  ["search_results", "bio", "text", "null", null],
  ["search_results", "raw_data", "jsonb", "null", null],
  ["search_results", "created_at", TS, "not null", NOW],

  // Not in the seed: the trial e-mails of days 2, 5 and 7 as reminder records (issue 13; no mail provider).
  ["trial_reminders", "id", "uuid", "not null", UUID_DEFAULT],
  ["trial_reminders", "user_id", "text", "not null", null],
  ["trial_reminders", "kind", "character varying(20)", "not null", null],
  ["trial_reminders", "due_at", TS, "not null", null],
  ["trial_reminders", "status", "character varying(20)", "not null", "'scheduled'::character varying"],
  ["trial_reminders", "marked_at", TS, "null", null],
  ["trial_reminders", "created_at", TS, "not null", NOW],
];

// The seed's index list (user profiles, admin, job processing, results), with their column lists.
const INDEXES: [string, string, string][] = [
  ["user_profiles", "idx_user_profiles_trial_status", "USING btree (trial_status)"],
  ["user_profiles", "idx_user_profiles_trial_dates", "USING btree (trial_start_date, trial_end_date)"],
  ["user_profiles", "idx_user_profiles_stripe_customer", "USING btree (stripe_customer_id)"],
  ["user_profiles", "idx_user_profiles_is_admin", "USING btree (is_admin) WHERE (is_admin = true)"],
  ["user_profiles", "idx_user_profiles_admin_details", "USING btree (is_admin, full_name, email, updated_at)"],
  ["scraping_jobs", "idx_scraping_jobs_status", "USING btree (status)"],
  ["scraping_jobs", "idx_scraping_jobs_platform", "USING btree (platform)"],
  ["scraping_jobs", "idx_scraping_jobs_user_campaign", "USING btree (user_id, campaign_id)"],
  ["scraping_results", "idx_scraping_results_job_id", "USING btree (job_id)"],
  ["scraping_results", "idx_scraping_results_created_at", "USING btree (created_at)"],
  // Added for the API's queries and sweeps (issue 13).
  ["campaigns", "idx_campaigns_user_created", "USING btree (user_id, created_at)"],
  [
    "scraping_jobs",
    "idx_scraping_jobs_active_timeout",
    "USING btree (timeout_at) WHERE ((status)::text = ANY ((ARRAY['pending'::character varying, 'processing'::character varying])::text[]))",
  ],
  ["trial_reminders", "idx_trial_reminders_scheduled_due", "USING btree (due_at) WHERE ((status)::text = 'scheduled'::text)"],
];

const varcharIn = (column: string, values: string[]) =>
  `CHECK (((${column})::text = ANY ((ARRAY[${values.map((v) => `'${v}'::character varying`).join(", ")}])::text[])))`;

type ConstraintRow = [string, Catalog["constraints"][number]["type"], string | RegExp, string];
const CONSTRAINTS: ConstraintRow[] = [
  ...TABLES.map((t): ConstraintRow => [t, "p", "PRIMARY KEY (id)", `${t}_pkey`]),
  ["user_profiles", "u", "UNIQUE (user_id)", "user_profiles_user_id_key"],
  ["system_configurations", "u", "UNIQUE (category, key)", "unique_category_key"],
  // Bare REFERENCES in the seed: NO ACTION, which pg_get_constraintdef prints as nothing.
  ["scraping_jobs", "f", /^FOREIGN KEY \(campaign_id\) REFERENCES influencer\.campaigns\(id\)$/, "scraping_jobs_campaign_id_fkey"],
  ["scraping_results", "f", /^FOREIGN KEY \(job_id\) REFERENCES influencer\.scraping_jobs\(id\)$/, "scraping_results_job_id_fkey"],
  ["search_jobs", "f", /^FOREIGN KEY \(campaign_id\) REFERENCES influencer\.campaigns\(id\)$/, "search_jobs_campaign_id_fkey"],
  ["search_results", "f", /^FOREIGN KEY \(job_id\) REFERENCES influencer\.search_jobs\(id\)$/, "search_results_job_id_fkey"],
  [
    "user_profiles",
    "c",
    varcharIn("onboarding_step", ["pending", "info_captured", "intent_captured", "completed"]),
    "user_profiles_onboarding_step_check",
  ],
  [
    "user_profiles",
    "c",
    varcharIn("trial_status", ["pending", "active", "expired", "cancelled", "converted"]),
    "user_profiles_trial_status_check",
  ],
  [
    "user_profiles",
    "c",
    varcharIn("subscription_status", ["none", "trialing", "active", "past_due", "canceled"]),
    "user_profiles_subscription_status_check",
  ],
  ["campaigns", "c", varcharIn("search_type", ["keyword", "similar"]), "campaigns_search_type_check"],
  ["campaigns", "c", varcharIn("status", ["draft", "active", "completed", "archived"]), "campaigns_status_check"],
  ["scraping_jobs", "c", varcharIn("status", ["pending", "processing", "completed", "error", "timeout"]), "scraping_jobs_status_check"],
  ["scraping_jobs", "c", "CHECK (((progress >= (0)::numeric) AND (progress <= (100)::numeric)))", "scraping_jobs_progress_check"],
  ["trial_reminders", "u", "UNIQUE (user_id, kind)", "trial_reminders_user_kind_key"],
  ["trial_reminders", "c", varcharIn("kind", ["day_2", "day_5", "expiry"]), "trial_reminders_kind_check"],
  ["trial_reminders", "c", varcharIn("status", ["scheduled", "due", "skipped"]), "trial_reminders_status_check"],
];

const SEED_ROWS = [
  {
    category: "api",
    key: "job_timeout",
    value: "1 hour",
    valueType: "duration",
    description: "A scraping job not finished this long after creation times out",
    isHotReloadable: "true",
  },
  {
    category: "api",
    key: "max_api_calls_production",
    value: "999",
    valueType: "number",
    description: "API call limit for production",
    isHotReloadable: "true",
  },
  {
    category: "api",
    key: "max_api_calls_testing",
    value: "1",
    valueType: "number",
    description: "API call limit for testing",
    isHotReloadable: "true",
  },
  {
    category: "api",
    key: "max_results_production",
    value: "1000",
    valueType: "number",
    description: "Target results cap for production",
    isHotReloadable: "true",
  },
  {
    category: "api",
    key: "max_results_testing",
    value: "100",
    valueType: "number",
    description: "Target results cap for testing",
    isHotReloadable: "true",
  },
  {
    category: "email",
    key: "trial_day_2_delay",
    value: "2 days",
    valueType: "duration",
    description: "Delay for day 2 trial email",
    isHotReloadable: "true",
  },
  {
    category: "email",
    key: "trial_day_5_delay",
    value: "5 days",
    valueType: "duration",
    description: "Delay for day 5 trial email",
    isHotReloadable: "true",
  },
  {
    category: "email",
    key: "trial_expiry_delay",
    value: "7 days",
    valueType: "duration",
    description: "Delay for trial expiry email",
    isHotReloadable: "true",
  },
  {
    category: "trial",
    key: "trial_length",
    value: "7 days",
    valueType: "duration",
    description: "Length of a free trial",
    isHotReloadable: "true",
  },
];

let pool: pg.Pool;
let db: NodePgDatabase<typeof schema>;
let cat: Catalog;
// Applies the generated migrations in drizzle/ (all modules), as every environment does.
useMigratedSchema("schema_influencer", "influencer", schema, (fx) => {
  ({ cat, db, pool } = fx);
});

describeCatalog("influencer", () => cat, {
  tables: TABLES,
  columns: COLUMNS,
  constraints: CONSTRAINTS,
  indexes: INDEXES.map(([t, n, def]) => [t, n, def]),
});

describe("seedInfluencer", () => {
  const readRows = () =>
    db
      .select({
        id: systemConfigurations.id,
        category: systemConfigurations.category,
        key: systemConfigurations.key,
        value: systemConfigurations.value,
        valueType: systemConfigurations.valueType,
        description: systemConfigurations.description,
        isHotReloadable: systemConfigurations.isHotReloadable,
        updatedAt: systemConfigurations.updatedAt,
      })
      .from(systemConfigurations)
      .orderBy(systemConfigurations.category, systemConfigurations.key);

  it("inserts the seed's five configuration rows and the module's four; a second run changes nothing", async () => {
    const lines: string[] = [];
    await seedInfluencer(db, (l) => lines.push(l));
    const first = await readRows();
    expect(first.map(({ id: _id, updatedAt: _u, ...rest }) => rest)).toEqual(SEED_ROWS);

    await seedInfluencer(db, (l) => lines.push(l));
    expect(await readRows()).toEqual(first);
    expect(lines).toEqual([
      "influencer.system_configurations: 9 inserted, 0 updated, 0 unchanged",
      "influencer.system_configurations: 0 inserted, 0 updated, 9 unchanged",
    ]);
  });

  it("never overwrites a value an admin changed, and puts back a row that was deleted", async () => {
    const key = "max_api_calls_testing";
    const [before] = await db.select().from(systemConfigurations).where(eq(systemConfigurations.key, key));
    await db.update(systemConfigurations).set({ value: "50", isHotReloadable: "false" }).where(eq(systemConfigurations.key, key));
    await db.delete(systemConfigurations).where(eq(systemConfigurations.key, "trial_day_5_delay"));

    const lines: string[] = [];
    await seedInfluencer(db, (l) => lines.push(l));
    const [after] = await db.select().from(systemConfigurations).where(eq(systemConfigurations.key, key));
    expect(lines).toEqual(["influencer.system_configurations: 1 inserted, 0 updated, 8 unchanged"]);
    expect(after).toMatchObject({ id: before!.id, value: "50", isHotReloadable: "false" });
    expect(await db.$count(systemConfigurations)).toBe(9);
  });
});

describe("relations and defaults", () => {
  it("loads a scraping job with its campaign and results through db.query", async () => {
    const [campaign] = await db
      .insert(campaigns)
      .values({ userId: "user_2rel", name: "TikTok Keyword Search", searchType: "keyword", status: "active" })
      .returning();
    const [job] = await db
      .insert(scrapingJobs)
      .values({ userId: "user_2rel", campaignId: campaign!.id, platform: "TikTok", keywords: ["fitness", "workout"], targetResults: 100 })
      .returning();
    await db.insert(scrapingResults).values([
      { jobId: job!.id, creators: [{ platform: "TikTok", creator: { name: "A", followers: 150000 } }] },
      { jobId: job!.id, creators: [{ platform: "TikTok", creator: { name: "B", followers: 75000 } }] },
    ]);

    const loaded = await db.query.scrapingJobs.findFirst({
      where: eq(scrapingJobs.id, job!.id),
      with: { results: { orderBy: (r, { asc }) => [asc(sql`${r.creators}->0->'creator'->>'name'`)] }, campaign: true },
    });
    expect(loaded?.campaign).toEqual(campaign);
    expect(loaded?.results.map((r) => r.creators)).toEqual([
      [{ platform: "TikTok", creator: { name: "A", followers: 150000 } }],
      [{ platform: "TikTok", creator: { name: "B", followers: 75000 } }],
    ]);
    expect(loaded).toMatchObject({
      userId: "user_2rel",
      campaignId: campaign!.id,
      platform: "TikTok",
      keywords: ["fitness", "workout"],
      region: "US",
      status: "pending",
      processedRuns: 0,
      processedResults: 0,
      targetResults: 100,
      cursor: 0,
      progress: 0,
      error: null,
    });

    const withJobs = await db.query.campaigns.findFirst({ where: eq(campaigns.id, campaign!.id), with: { scrapingJobs: true } });
    expect(withJobs?.scrapingJobs.map((j) => j.id)).toEqual([job!.id]);
  });

  it("loads a legacy search job with its campaign and results", async () => {
    const [campaign] = await db.insert(campaigns).values({ userId: "user_2leg", name: "Legacy", searchType: "similar" }).returning();
    await db
      .insert(searchJobs)
      .values({ id: "job_legacy_1", campaignId: campaign!.id, platform: "Instagram", searchType: "similar", totalCount: 10 });
    await db.insert(searchResults).values({ jobId: "job_legacy_1", profileId: "p1", username: "handle", platform: "Instagram" });
    const loaded = await db.query.searchJobs.findFirst({
      where: eq(searchJobs.id, "job_legacy_1"),
      with: { campaign: true, results: true },
    });
    expect(loaded).toMatchObject({ status: "queued", completedCount: 0, campaign: { id: campaign!.id, status: "draft" } });
    expect(loaded?.results).toHaveLength(1);
    expect(loaded?.results[0]).toMatchObject({ username: "handle", followers: 0, isVerified: "false", displayName: null });
  });

  it("fills the seed's defaults for a minimal user profile and job", async () => {
    const [profile] = await db.insert(userProfiles).values({ userId: "user_2def" }).returning();
    expect(profile).toMatchObject({
      onboardingStep: "pending",
      trialStatus: "pending",
      subscriptionStatus: "none",
      isAdmin: false,
      emailScheduleStatus: {},
      trialStartDate: null,
    });
    expect(profile!.signupTimestamp).toBeInstanceOf(Date);
    // The seed's SQL default keeps its own casing.
    const [job] = await db.insert(scrapingJobs).values({ userId: "user_2def" }).returning({ platform: scrapingJobs.platform });
    expect(job).toEqual({ platform: "Tiktok" });
  });

  it("sets updated_at on a drizzle update without being told", async () => {
    const [c] = await db.insert(campaigns).values({ userId: "user_2upd", name: "n", searchType: "keyword" }).returning();
    await pool.query("UPDATE influencer.campaigns SET updated_at = '2000-01-01' WHERE id = $1", [c!.id]);
    const [u] = await db.update(campaigns).set({ status: "archived" }).where(eq(campaigns.id, c!.id)).returning();
    expect(u!.updatedAt.getUTCFullYear()).toBeGreaterThan(2000);
  });
});

describe("constraints reject what the seed forbids", () => {
  const campaign = { userId: "user_2chk", name: "c", searchType: "keyword" as const };

  it.each([
    ["progress 101", { progress: 101 }, "scraping_jobs_progress_check"],
    ["progress -1", { progress: -1 }, "scraping_jobs_progress_check"],
    ["status 'done'", { status: "done" }, "scraping_jobs_status_check"],
  ])("scraping_jobs: %s → 23514", async (_name, values, constraint) => {
    const bad = db.insert(scrapingJobs).values({ userId: "user_2chk", ...(values as object) });
    expect(await pgError(bad)).toEqual({ code: "23514", constraint });
  });

  it("scraping_jobs: progress 0 and 100 are accepted", async () => {
    const rows = await db
      .insert(scrapingJobs)
      .values([
        { userId: "user_2chk", progress: 0 },
        { userId: "user_2chk", progress: 100 },
      ])
      .returning({ progress: scrapingJobs.progress });
    expect(rows).toEqual([{ progress: 0 }, { progress: 100 }]);
  });

  it.each([
    ["onboarding_step", { onboardingStep: "done" }, "user_profiles_onboarding_step_check"],
    ["trial_status", { trialStatus: "trial" }, "user_profiles_trial_status_check"],
    ["subscription_status", { subscriptionStatus: "cancelled" }, "user_profiles_subscription_status_check"],
  ])("user_profiles: bad %s → 23514", async (_name, values, constraint) => {
    const bad = db.insert(userProfiles).values({ userId: `user_2chk_${constraint}`, ...(values as object) });
    expect(await pgError(bad)).toEqual({ code: "23514", constraint });
  });

  it.each([
    ["search_type", { searchType: "fuzzy" }, "campaigns_search_type_check"],
    ["status", { status: "paused" }, "campaigns_status_check"],
  ])("campaigns: bad %s → 23514", async (_name, values, constraint) => {
    const bad = db.insert(campaigns).values({ ...campaign, ...(values as object) });
    expect(await pgError(bad)).toEqual({ code: "23514", constraint });
  });

  it("unique user_id and (category, key) → 23505", async () => {
    await db.insert(userProfiles).values({ userId: "user_2dup" });
    expect(await pgError(db.insert(userProfiles).values({ userId: "user_2dup" }))).toEqual({
      code: "23505",
      constraint: "user_profiles_user_id_key",
    });
    const cfg = { category: "test", key: "k", value: "v", valueType: "string" };
    await db.insert(systemConfigurations).values(cfg);
    expect(await pgError(db.insert(systemConfigurations).values(cfg))).toEqual({ code: "23505", constraint: "unique_category_key" });
  });

  it("foreign keys: unknown parents → 23503; deleting a referenced parent is refused (NO ACTION)", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect(await pgError(db.insert(scrapingJobs).values({ userId: "u", campaignId: missing }))).toEqual({
      code: "23503",
      constraint: "scraping_jobs_campaign_id_fkey",
    });
    expect(await pgError(db.insert(scrapingResults).values({ jobId: missing, creators: [] }))).toEqual({
      code: "23503",
      constraint: "scraping_results_job_id_fkey",
    });
    expect(
      await pgError(
        db.insert(searchJobs).values({ id: "j_fk", campaignId: missing, platform: "TikTok", searchType: "keyword", totalCount: 1 }),
      ),
    ).toEqual({ code: "23503", constraint: "search_jobs_campaign_id_fkey" });
    expect(
      await pgError(db.insert(searchResults).values({ jobId: "no_such_job", profileId: "p", username: "u", platform: "TikTok" })),
    ).toEqual({ code: "23503", constraint: "search_results_job_id_fkey" });

    const [c] = await db.insert(campaigns).values(campaign).returning();
    const [j] = await db.insert(scrapingJobs).values({ userId: "u", campaignId: c!.id }).returning();
    await db.insert(scrapingResults).values({ jobId: j!.id, creators: [] });
    expect(await pgError(db.delete(campaigns).where(eq(campaigns.id, c!.id)))).toEqual({
      code: "23503",
      constraint: "scraping_jobs_campaign_id_fkey",
    });
    expect(await pgError(db.delete(scrapingJobs).where(eq(scrapingJobs.id, j!.id)))).toEqual({
      code: "23503",
      constraint: "scraping_results_job_id_fkey",
    });
  });

  it("NOT NULL columns without defaults are required (23502)", async () => {
    const noCreators = pool.query("INSERT INTO influencer.scraping_results (job_id) VALUES (NULL)");
    expect(await pgError(noCreators)).toMatchObject({ code: "23502" });
    const noTotal = pool.query("INSERT INTO influencer.search_jobs (id, platform, search_type) VALUES ('x', 'TikTok', 'keyword')");
    expect(await pgError(noTotal)).toMatchObject({ code: "23502" });
  });
});

describe("validation schemas", () => {
  it("scraping job insert: vocabularies, progress 0–100, platform defaulting to 'TikTok'", () => {
    expect(insertScrapingJobSchema.parse({ userId: "user_2z" })).toMatchObject({ userId: "user_2z", platform: "TikTok" });
    expect(insertScrapingJobSchema.safeParse({ userId: "u", progress: 101 }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", progress: -0.5 }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", progress: 100 }).success).toBe(true);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", platform: "Tiktok" }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", platform: "YouTube" }).success).toBe(true);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", status: "done" }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", keywords: ["a", 1] }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", processedRuns: -1 }).success).toBe(false);
    expect(insertScrapingJobSchema.safeParse({ userId: "u", region: "UNITED_STATES" }).success).toBe(false);
    expect(Object.keys(insertScrapingJobSchema.shape)).not.toContain("id");
    expect(patchScrapingJobSchema.parse({})).toEqual({});
    expect(patchScrapingJobSchema.safeParse({ status: "timeout", progress: 42.5 }).success).toBe(true);
  });

  it("user profile insert: onboarding, trial and subscription vocabularies", () => {
    expect(
      insertUserProfileSchema.safeParse({
        userId: "user_2z",
        onboardingStep: "intent_captured",
        trialStatus: "converted",
        subscriptionStatus: "past_due",
      }).success,
    ).toBe(true);
    expect(insertUserProfileSchema.safeParse({ userId: "user_2z", onboardingStep: "done" }).success).toBe(false);
    expect(insertUserProfileSchema.safeParse({ userId: "user_2z", trialStatus: "canceled" }).success).toBe(false);
    expect(insertUserProfileSchema.safeParse({ userId: "user_2z", subscriptionStatus: "cancelled" }).success).toBe(false);
    expect(insertUserProfileSchema.safeParse({ userId: "" }).success).toBe(false);
  });

  it("system configuration insert: is_hot_reloadable is 'true' | 'false'", () => {
    const row = { category: "api", key: "k", value: "1", valueType: "number" };
    expect(insertSystemConfigurationSchema.safeParse({ ...row, isHotReloadable: "false" }).success).toBe(true);
    expect(insertSystemConfigurationSchema.safeParse({ ...row, isHotReloadable: "yes" }).success).toBe(false);
    expect(insertSystemConfigurationSchema.safeParse({ ...row, category: "x".repeat(51) }).success).toBe(false);
  });

  it("the select schema accepts a row read back from the database", async () => {
    const [row] = await db.insert(scrapingJobs).values({ userId: "user_2sel", platform: "Instagram", progress: 12.5 }).returning();
    expect(selectScrapingJobSchema.parse(row)).toEqual(row);
  });
});
