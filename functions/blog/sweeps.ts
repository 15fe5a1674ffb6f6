/**
 * The blog module's cron work. Each statement claims at most SWEEP_BATCH rows with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`, so overlapping runs split the work
 * instead of waiting on each other; batches repeat until one comes back short or the deadline passes.
 */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { deadlines } from "../../src/core/config";
import { DeadlineExceeded } from "../../src/core/deadline";
import { createDb } from "../../src/db/client";
import type { Sweep, SweepContext } from "../../src/cron/types";
import { blogConfig } from "./config";
import * as schema from "./db-schema";
import { dressIsReferenced } from "./dresses.store";
import { blogSessions, brandVoiceCache, cachedDresses } from "./schema";
import { appendLog } from "./sessions.store";

type BlogDb = ReturnType<typeof createDb<typeof schema>>;

/**
 * Each batch's statement gets the run's remaining time as its database deadline (at most DB_TIMEOUT_MS),
 * so a batch cannot outlive the deadline: it is aborted and, behind the client's guard, rolled back.
 */
async function inBatches(ctx: SweepContext, batch: (db: BlogDb) => Promise<number>) {
  const size = blogConfig(ctx.env).sweepBatch;
  let rows = 0;
  let batches = 0;
  for (;;) {
    const left = ctx.deadline - Date.now();
    if (left <= 0) return { rows, details: { batches, batchSize: size, deadline: true } };
    let n: number;
    try {
      n = await batch(createDb(ctx.env, schema, { timeoutMs: Math.min(left, deadlines(ctx.env).dbMs) }));
    } catch (err) {
      if (err instanceof Error && err.cause instanceof DeadlineExceeded) return { rows, details: { batches, batchSize: size, deadline: true } };
      throw err;
    }
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: { batches, batchSize: size } };
  }
}

/** Expired cached dresses no draft or generating session still selects. */
export const purgeExpiredDresses: Sweep = {
  name: "blog.purge-expired-dresses",
  run(ctx) {
    const db = createDb(ctx.env, schema);
    const cold = db.select({ id: cachedDresses.id }).from(cachedDresses)
      .where(and(lt(cachedDresses.expiresAt, sql`now()`), sql`NOT ${dressIsReferenced}`))
      .orderBy(asc(cachedDresses.expiresAt)).limit(blogConfig(ctx.env).sweepBatch).for("update", { skipLocked: true });
    return inBatches(ctx, async (bdb) =>
      (await bdb.delete(cachedDresses).where(inArray(cachedDresses.id, cold)).returning({ id: cachedDresses.id })).length);
  },
};

/** Expired brand voice analyses whose store no draft or generating session is about. */
export const purgeExpiredBrandVoices: Sweep = {
  name: "blog.purge-expired-brand-voices",
  run(ctx) {
    const db = createDb(ctx.env, schema);
    const cold = db.select({ id: brandVoiceCache.id }).from(brandVoiceCache)
      .where(and(lt(brandVoiceCache.expiresAt, sql`now()`), sql`NOT EXISTS (SELECT 1 FROM ${blogSessions} s
        WHERE s.status IN ('draft', 'generating') AND s.store_url = ${brandVoiceCache.url})`))
      .orderBy(asc(brandVoiceCache.expiresAt)).limit(blogConfig(ctx.env).sweepBatch).for("update", { skipLocked: true });
    return inBatches(ctx, async (bdb) =>
      (await bdb.delete(brandVoiceCache).where(inArray(brandVoiceCache.id, cold)).returning({ id: brandVoiceCache.id })).length);
  },
};

/**
 * Sessions left in `generating` with no progress (no agent pass logged) for BLOG_GENERATION_TIMEOUT_MS:
 * their pipeline died with its isolate. They are failed, with the reason as the last log entry.
 */
export const failStuckSessions: Sweep = {
  name: "blog.fail-stuck-sessions",
  run(ctx) {
    const db = createDb(ctx.env, schema);
    const timeoutMs = blogConfig(ctx.env).generationTimeoutMs;
    const stuck = db.select({ id: blogSessions.id }).from(blogSessions)
      .where(and(eq(blogSessions.status, "generating"), lt(blogSessions.updatedAt, sql`now() - ${timeoutMs}::double precision * interval '1 millisecond'`)))
      .orderBy(asc(blogSessions.updatedAt)).limit(blogConfig(ctx.env).sweepBatch).for("update", { skipLocked: true });
    return inBatches(ctx, async (bdb) => {
      const entry = {
        agent: "pipeline", model: null, promptTokens: 0, completionTokens: 0, totalTokens: 0, durationMs: 0, outcome: "timeout" as const,
        error: `no progress for ${Math.round(timeoutMs / 1000)} s: generation timed out`, finishedAt: new Date().toISOString(),
      };
      const rows = await bdb.update(blogSessions).set({ status: "failed", agentLog: appendLog(entry) })
        .where(and(inArray(blogSessions.id, stuck), eq(blogSessions.status, "generating"))).returning({ id: blogSessions.id });
      return rows.length;
    });
  },
};
