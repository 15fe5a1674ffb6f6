/**
 * Blog writer (seed 001): agent model configs, cached dresses, blog sessions, brand voice cache, app settings.
 * Postgres schema `blog`. The seed gives each table both as a column table and as Drizzle code; both agree
 * except where noted below. Timestamps are `timestamp` without time zone, as in the seed.
 *
 * Choices where the seed left room:
 * - `blog_sessions.id`: the column table says "PK, DEFAULT uuid", the Drizzle code generates it in the client
 *   (`$defaultFn(crypto.randomUUID)`). We give it the database default `gen_random_uuid()::text`, which
 *   satisfies both and also covers rows inserted by plain SQL.
 * - JSON-bearing columns (`tags`, `raw_data`, `brand_voice`, `selected_dress_ids`, `seo_metadata`, `agent_log`,
 *   `analysis_result`) stay `text` as the seed says; validation.ts checks their JSON shape.
 * - `temperature` and `max_tokens` stay `text` with the seed's defaults '0.7' and '4096'.
 * - No foreign keys: the seed links tables only loosely (JSON ids, URLs); relations.ts declares what
 *   Drizzle can express.
 * - Indexes marked `+0001` are ours (the seed names none): they arrive in migration 0001, each with its reason.
 * - Columns marked `+0009` are ours (issue 14): app_settings.is_secret, the blog_sessions lease.
 */
import { sql } from "drizzle-orm";
import { boolean, index, pgSchema, serial, text } from "drizzle-orm/pg-core";
import { createdAt, ts, updatedAt } from "../../src/db/columns";

export const blog = pgSchema("blog");

export const blogSessionStatuses = ["draft", "generating", "completed", "failed"] as const;
export type BlogSessionStatus = (typeof blogSessionStatuses)[number];

export const agentModelConfigs = blog.table("agent_model_configs", {
  id: serial("id").primaryKey(),
  agentId: text("agent_id").notNull().unique(),
  agentLabel: text("agent_label").notNull(),
  modelId: text("model_id").notNull(),
  temperature: text("temperature").default("0.7"),
  maxTokens: text("max_tokens").default("4096"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const cachedDresses = blog.table(
  "cached_dresses",
  {
    id: serial("id").primaryKey(),
    externalId: text("external_id").notNull().unique(),
    name: text("name").notNull(),
    designer: text("designer"),
    description: text("description"),
    /** display string such as "$2,499" */
    price: text("price"),
    imageUrl: text("image_url"),
    category: text("category"),
    /** JSON array of tags */
    tags: text("tags"),
    /** full JSON from the external API */
    rawData: text("raw_data"),
    cachedAt: createdAt("cached_at"),
    /** 24 h after cached_at */
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    index("cached_dresses_expires_at_idx").on(t.expiresAt), // +0001: the cache purge sweep deletes rows past expires_at
  ],
);

export const blogSessions = blog.table(
  "blog_sessions",
  {
    id: text("id").primaryKey().default(sql`gen_random_uuid()::text`),
    storeUrl: text("store_url"),
    /** JSON: confirmed brand voice analysis */
    brandVoice: text("brand_voice"),
    /** JSON array of cached_dresses.external_id */
    selectedDressIds: text("selected_dress_ids"),
    additionalInstructions: text("additional_instructions"),
    status: text("status").$type<BlogSessionStatus>().default("draft").notNull(),
    /** Markdown */
    generatedBlog: text("generated_blog"),
    /** JSON: title, description, keywords */
    seoMetadata: text("seo_metadata"),
    /** JSON: log of each agent's pass */
    agentLog: text("agent_log"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** +0009: the generation job's lease (src/db/leases.ts), so a redelivered job never runs a second pipeline */
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: ts("lease_expires_at"),
  },
  (t) => [
    index("blog_sessions_created_at_idx").on(t.createdAt), // +0001: session lists page by created_at
    index("blog_sessions_generating_updated_at_idx").on(t.updatedAt).where(sql`status = 'generating'`), // +0001: the sweep that fails sessions stuck in 'generating' reads only those
    index("blog_sessions_draft_updated_at_idx").on(t.updatedAt).where(sql`status = 'draft'`), // +0009: the sweep that deletes abandoned drafts reads only those
  ],
);

export const brandVoiceCache = blog.table(
  "brand_voice_cache",
  {
    id: serial("id").primaryKey(),
    url: text("url").notNull().unique(),
    /** JSON: full brand voice analysis */
    analysisResult: text("analysis_result").notNull(),
    cachedAt: createdAt("cached_at"),
    /** 7 days after cached_at */
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [
    index("brand_voice_cache_expires_at_idx").on(t.expiresAt), // +0001: the cache purge sweep deletes rows past expires_at
  ],
);

export const appSettings = blog.table("app_settings", {
  id: serial("id").primaryKey(),
  key: text("key").notNull().unique(),
  value: text("value").notNull(),
  updatedAt: updatedAt(),
  /** +0009: a credential, written and never read back through the API (declared on write; see admin.handlers.ts) */
  isSecret: boolean("is_secret").default(false).notNull(),
});

export type AgentModelConfig = typeof agentModelConfigs.$inferSelect;
export type NewAgentModelConfig = typeof agentModelConfigs.$inferInsert;
export type CachedDress = typeof cachedDresses.$inferSelect;
export type NewCachedDress = typeof cachedDresses.$inferInsert;
export type BlogSession = typeof blogSessions.$inferSelect;
export type NewBlogSession = typeof blogSessions.$inferInsert;
export type BrandVoiceCacheEntry = typeof brandVoiceCache.$inferSelect;
export type NewBrandVoiceCacheEntry = typeof brandVoiceCache.$inferInsert;
export type AppSetting = typeof appSettings.$inferSelect;
export type NewAppSetting = typeof appSettings.$inferInsert;
