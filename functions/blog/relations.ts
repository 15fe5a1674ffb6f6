/**
 * Seed 001 enforces no foreign keys; it documents loose links instead:
 * - blog_sessions.store_url may match brand_voice_cache.url: declared below, so
 *   `db.query.blogSessions.findFirst({ with: { brandVoice: true } })` joins on it (null when no analysis is cached).
 * - blog_sessions.selected_dress_ids is a JSON array (in text) of cached_dresses.external_id: a relation cannot
 *   reach into JSON, so callers parse it (validation.ts `selectedDressIdsSchema`) and load the dresses with
 *   `inArray(cachedDresses.externalId, ids)`.
 * - agent_model_configs are read during generation and app_settings holds the OpenRouter key for all agents:
 *   no column links them, so there is nothing to declare.
 */
import { relations } from "drizzle-orm";
import { blogSessions, brandVoiceCache } from "./schema";

export const blogSessionsRelations = relations(blogSessions, ({ one }) => ({
  brandVoice: one(brandVoiceCache, { fields: [blogSessions.storeUrl], references: [brandVoiceCache.url] }),
}));

export const brandVoiceCacheRelations = relations(brandVoiceCache, ({ many }) => ({
  sessions: many(blogSessions),
}));
