/** Scraping-job SQL shared by the campaign and job handlers, the step processor and the sweeps. */
import { and, eq } from "drizzle-orm";
import type { JobInputT } from "./campaigns.routes";
import type { InfluencerConfig } from "./config";
import type { InfluencerDb } from "./db";
import { campaigns, type NewScrapingJob, scrapingJobs } from "./schema";
import type { Settings } from "./system-config";

/** The effective target: what was asked for, capped by the limits of this deployment (testing or production). */
export function targetResultsFor(settings: Settings, cfg: InfluencerConfig, requested?: number): number {
  const cap = Math.max(1, Math.floor(settings.number("api", `max_results_${cfg.limits}`)));
  return Math.min(requested ?? cap, cap);
}

export function maxApiCalls(settings: Settings, cfg: InfluencerConfig): number {
  return Math.max(1, Math.floor(settings.number("api", `max_api_calls_${cfg.limits}`)));
}

/** A new job's row: pending, cursor 0, `timeout_at` = now + api.job_timeout. */
export function newJob(
  settings: Settings,
  cfg: InfluencerConfig,
  userId: string,
  campaignId: string,
  input: JobInputT,
): NewScrapingJob & { id: string } {
  return {
    id: crypto.randomUUID(),
    userId,
    campaignId,
    platform: input.platform,
    keywords: input.keywords ?? null,
    targetUsername: input.targetUsername ?? null,
    searchParams: input.searchParams ?? null,
    region: input.region,
    status: "pending",
    targetResults: targetResultsFor(settings, cfg, input.targetResults),
    cursor: 0,
    progress: 0,
    timeoutAt: new Date(Date.now() + settings.durationMs("api", "job_timeout")),
  };
}

export const ownCampaign = (id: string, userId: string) => and(eq(campaigns.id, id), eq(campaigns.userId, userId));
export const ownJob = (id: string, userId: string) => and(eq(scrapingJobs.id, id), eq(scrapingJobs.userId, userId));

export const jobById = (db: InfluencerDb, id: string) => db.select().from(scrapingJobs).where(eq(scrapingJobs.id, id));
