import { relations } from "drizzle-orm";
import { campaigns, scrapingJobs, scrapingResults, searchJobs, searchResults } from "./schema";

// One relations() pair per foreign key of the seed; profiles ↔ campaigns/jobs have no FK (see schema.ts).
export const campaignsRelations = relations(campaigns, ({ many }) => ({
  scrapingJobs: many(scrapingJobs),
  searchJobs: many(searchJobs),
}));

export const scrapingJobsRelations = relations(scrapingJobs, ({ one, many }) => ({
  campaign: one(campaigns, { fields: [scrapingJobs.campaignId], references: [campaigns.id] }),
  results: many(scrapingResults),
}));

export const scrapingResultsRelations = relations(scrapingResults, ({ one }) => ({
  job: one(scrapingJobs, { fields: [scrapingResults.jobId], references: [scrapingJobs.id] }),
}));

export const searchJobsRelations = relations(searchJobs, ({ one, many }) => ({
  campaign: one(campaigns, { fields: [searchJobs.campaignId], references: [campaigns.id] }),
  results: many(searchResults),
}));

export const searchResultsRelations = relations(searchResults, ({ one }) => ({
  job: one(searchJobs, { fields: [searchResults.jobId], references: [searchJobs.id] }),
}));
