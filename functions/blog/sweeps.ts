/**
 * The blog module's cron work: batched deletes and updates of at most SWEEP_BATCH_SIZE rows per statement, each
 * claimed with FOR UPDATE SKIP LOCKED (src/cron/sweep-delete.ts, sweep-update.ts; the loop is src/cron/batches.ts).
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { blogDb } from "./db";
import { sweepDelete } from "../../src/cron/sweep-delete";
import { sweepUpdate } from "../../src/cron/sweep-update";
import { EVERY_FIVE_MINUTES, NIGHTLY } from "../../src/cron/schedule";
import type { Sweep } from "../../src/cron/types";
import { blogConfig } from "./config";
import { dressIsReferenced } from "./dresses.store";
import { blogSessions, brandVoiceCache, cachedDresses } from "./schema";
import { appendLog, pipelineFailure } from "./sessions.store";

/** Expired cached dresses no draft or generating session still selects. */
export const purgeExpiredDresses: Sweep = {
  name: "blog.purge-expired-dresses",
  cron: NIGHTLY,
  run(ctx) {
    return sweepDelete(ctx, {
      db: (batchMs) => blogDb(ctx.env, { timeoutMs: batchMs }),
      table: cachedDresses,
      id: cachedDresses.id,
      where: and(lt(cachedDresses.expiresAt, sql`now()`), sql`NOT ${dressIsReferenced}`),
      oldestFirst: cachedDresses.expiresAt,
      size: blogConfig(ctx.env).sweepBatch,
    });
  },
};

/** Expired brand voice analyses whose store no draft or generating session is about. */
export const purgeExpiredBrandVoices: Sweep = {
  name: "blog.purge-expired-brand-voices",
  cron: NIGHTLY,
  run(ctx) {
    return sweepDelete(ctx, {
      db: (batchMs) => blogDb(ctx.env, { timeoutMs: batchMs }),
      table: brandVoiceCache,
      id: brandVoiceCache.id,
      where: and(
        lt(brandVoiceCache.expiresAt, sql`now()`),
        sql`NOT EXISTS (SELECT 1 FROM ${blogSessions} s
        WHERE s.status IN ('draft', 'generating') AND s.store_url = ${brandVoiceCache.url})`,
      ),
      oldestFirst: brandVoiceCache.expiresAt,
      size: blogConfig(ctx.env).sweepBatch,
    });
  },
};

/**
 * Sessions left in `generating` with no progress (no agent pass logged) for BLOG_GENERATION_TIMEOUT_MS:
 * their pipeline died with its isolate. They are failed, with the reason as the last log entry.
 */
export const failStuckSessions: Sweep = {
  name: "blog.fail-stuck-sessions",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const { generationTimeoutMs: timeoutMs, sweepBatch } = blogConfig(ctx.env);
    const entry = pipelineFailure("timeout", `no progress for ${Math.round(timeoutMs / 1000)} s: generation timed out`);
    return sweepUpdate(ctx, {
      db: (batchMs) => blogDb(ctx.env, { timeoutMs: batchMs }),
      table: blogSessions,
      id: blogSessions.id,
      where: and(
        eq(blogSessions.status, "generating"),
        lt(blogSessions.updatedAt, sql`now() - ${timeoutMs}::double precision * interval '1 millisecond'`),
      ),
      oldestFirst: blogSessions.updatedAt,
      size: sweepBatch,
      set: { status: "failed", agentLog: appendLog(entry), leaseOwner: null, leaseExpiresAt: null },
    });
  },
};

/**
 * Drafts nobody changed for BLOG_DRAFT_MAX_AGE_HOURS (default 72) are abandoned: they are deleted, so they stop
 * keeping their dresses and their store's brand voice from the purges above. Reads the partial index on drafts.
 */
export const deleteAbandonedDrafts: Sweep = {
  name: "blog.delete-abandoned-drafts",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const cfg = blogConfig(ctx.env);
    return sweepDelete(ctx, {
      db: (batchMs) => blogDb(ctx.env, { timeoutMs: batchMs }),
      table: blogSessions,
      id: blogSessions.id,
      where: and(
        eq(blogSessions.status, "draft"),
        lt(blogSessions.updatedAt, sql`now() - ${cfg.draftMaxAgeHours}::double precision * interval '1 hour'`),
      ),
      oldestFirst: blogSessions.updatedAt,
      size: cfg.sweepBatch,
      // still a draft: a PATCH or /generate that got the row first wins
      recheck: eq(blogSessions.status, "draft"),
    });
  },
};

export const blogSweeps = [purgeExpiredDresses, purgeExpiredBrandVoices, failStuckSessions, deleteAbandonedDrafts];
