/**
 * The scraper API (the seed's external platform APIs behind one endpoint): `POST <SCRAPER_API_URL>/search`
 * with the job's search and cursor answers one page, `{ items: Creator[], nextCursor: number | null }`
 * (null: no more pages). Every call has a deadline; anything else it answers is an UpstreamError.
 */
import { z } from "zod";
import { fetchJson } from "../../src/core/upstream";
import type { InfluencerConfig } from "./config";
import type { ScrapingJob } from "./schema";

export const ScraperPage = z.object({
  items: z.array(z.record(z.string(), z.unknown())).max(1000),
  nextCursor: z.number().int().min(0).nullable(),
});
export type ScraperPage = z.infer<typeof ScraperPage>;

export function fetchPage(cfg: InfluencerConfig, job: ScrapingJob, cursor: number): Promise<ScraperPage> {
  return fetchJson(`${cfg.scraperUrl}/search`, {
    upstream: "scraper API",
    schema: ScraperPage,
    timeoutMs: cfg.scraperTimeoutMs,
    init: {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(cfg.scraperKey ? { Authorization: `Bearer ${cfg.scraperKey}` } : {}) },
      body: JSON.stringify({
        platform: job.platform,
        searchType: job.targetUsername ? "similar" : "keyword",
        keywords: job.keywords,
        targetUsername: job.targetUsername,
        region: job.region,
        searchParams: job.searchParams,
        cursor,
      }),
    },
  });
}
