/**
 * The blog module's cron work. Each statement claims at most SWEEP_BATCH_SIZE rows (src/cron/batches.ts) with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`; the batch loop is src/cron/batches.ts.
 */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { blogDb } from "./db";
import { affectedRows } from "../../src/cron/affected-rows";
import { inBatches } from "../../src/cron/batches";
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
    const db = blogDb(ctx.env);
    const cold = db
      .select({ id: cachedDresses.id })
      .from(cachedDresses)
      .where(and(lt(cachedDresses.expiresAt, sql`now()`), sql`NOT ${dressIsReferenced}`))
      .orderBy(asc(cachedDresses.expiresAt))
      .limit(blogConfig(ctx.env).sweepBatch)
      .for("update", { skipLocked: true });
    return inBatches(ctx, blogConfig(ctx.env).sweepBatch, async (batchMs) => {
      const batchDb = blogDb(ctx.env, { timeoutMs: batchMs });
      return affectedRows(
        batchDb,
        batchDb.delete(cachedDresses).where(inArray(cachedDresses.id, cold)).returning({ id: cachedDresses.id }),
      );
    });
  },
};

/** Expired brand voice analyses whose store no draft or generating session is about. */
export const purgeExpiredBrandVoices: Sweep = {
  name: "blog.purge-expired-brand-voices",
  cron: NIGHTLY,
  run(ctx) {
    const db = blogDb(ctx.env);
    const cold = db
      .select({ id: brandVoiceCache.id })
      .from(brandVoiceCache)
      .where(
        and(
          lt(brandVoiceCache.expiresAt, sql`now()`),
          sql`NOT EXISTS (SELECT 1 FROM ${blogSessions} s
        WHERE s.status IN ('draft', 'generating') AND s.store_url = ${brandVoiceCache.url})`,
        ),
      )
      .orderBy(asc(brandVoiceCache.expiresAt))
      .limit(blogConfig(ctx.env).sweepBatch)
      .for("update", { skipLocked: true });
    return inBatches(ctx, blogConfig(ctx.env).sweepBatch, async (batchMs) => {
      const batchDb = blogDb(ctx.env, { timeoutMs: batchMs });
      return affectedRows(
        batchDb,
        batchDb.delete(brandVoiceCache).where(inArray(brandVoiceCache.id, cold)).returning({ id: brandVoiceCache.id }),
      );
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
    const db = blogDb(ctx.env);
    const abandoned = db
      .select({ id: blogSessions.id })
      .from(blogSessions)
      .where(
        and(
          eq(blogSessions.status, "draft"),
          lt(blogSessions.updatedAt, sql`now() - ${cfg.draftMaxAgeHours}::double precision * interval '1 hour'`),
        ),
      )
      .orderBy(asc(blogSessions.updatedAt))
      .limit(cfg.sweepBatch)
      .for("update", { skipLocked: true });
    return inBatches(ctx, cfg.sweepBatch, async (batchMs) => {
      const batchDb = blogDb(ctx.env, { timeoutMs: batchMs });
      return affectedRows(
        batchDb,
        batchDb
          .delete(blogSessions)
          // still a draft: a PATCH or /generate that got the row first wins
          .where(and(inArray(blogSessions.id, abandoned), eq(blogSessions.status, "draft")))
          .returning({ id: blogSessions.id }),
      );
    });
  },
};

export const blogSweeps = [purgeExpiredDresses, purgeExpiredBrandVoices, failStuckSessions, deleteAbandonedDrafts];
