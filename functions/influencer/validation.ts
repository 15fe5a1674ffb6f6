import { createInsertSchema, createSelectSchema, createUpdateSchema } from "drizzle-zod";
import { z } from "zod";
import { HOT_RELOADABLE_VALUES, PLATFORMS, scrapingJobs, systemConfigurations, userProfiles } from "./schema";

/*
 * Select schemas describe what the database can hold; insert/patch schemas what the API accepts.
 * Vocabulary columns that carry a CHECK (declared with `enum:` in schema.ts) become z.enum in all three.
 * Vocabularies the database does not enforce (scraping_jobs.platform, is_hot_reloadable, the legacy
 * tables' platform/search_type) are enums only on insert/patch. Server-managed columns (generated
 * ids, created_at, updated_at) are omitted from insert/patch; handlers also omit the tenant's user_id.
 * Refinements are written inline so drizzle-zod types each callback with its column's schema.
 */

const jsonObject = z.record(z.string(), z.unknown());
const keywords = z.array(z.string().min(1));
const serverManaged = { id: true, createdAt: true, updatedAt: true } as const;

export const insertUserProfileSchema = createInsertSchema(userProfiles, {
  userId: (s) => s.min(1),
  email: () => z.email(),
  emailScheduleStatus: () => jsonObject,
}).omit(serverManaged);

// scraping_jobs
export const selectScrapingJobSchema = createSelectSchema(scrapingJobs, {
  progress: (s) => s.min(0).max(100),
  keywords: () => keywords,
  searchParams: () => jsonObject,
});
/** Column rules shared by the insert and patch schemas of scraping_jobs. */
const scrapingJobRules = {
  userId: (s: z.ZodString) => s.min(1),
  keywords: () => keywords,
  searchParams: () => jsonObject,
  processedRuns: (s: z.ZodNumber) => s.min(0),
  processedResults: (s: z.ZodNumber) => s.min(0),
  targetResults: (s: z.ZodNumber) => s.min(1),
  cursor: (s: z.ZodNumber) => s.min(0),
  progress: (s: z.ZodNumber) => s.min(0).max(100),
};
export const insertScrapingJobSchema = createInsertSchema(scrapingJobs, scrapingJobRules)
  .omit(serverManaged)
  // The column default is the seed's 'Tiktok'; API-created jobs get the documented casing instead.
  .extend({ platform: z.enum(PLATFORMS).default("TikTok") });
export const patchScrapingJobSchema = createUpdateSchema(scrapingJobs, {
  ...scrapingJobRules,
  platform: () => z.enum(PLATFORMS),
}).omit(serverManaged);

export const insertSystemConfigurationSchema = createInsertSchema(systemConfigurations, {
  category: (s) => s.min(1),
  key: (s) => s.min(1),
  valueType: (s) => s.min(1),
  isHotReloadable: () => z.enum(HOT_RELOADABLE_VALUES),
}).omit(serverManaged);
