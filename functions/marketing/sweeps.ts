/**
 * The marketing module's cron work, in batches of SWEEP_BATCH_SIZE rows (src/cron/batches.ts).
 * - fail-stuck-runs: runs `queued` or `running` for longer than MARKETING_STUCK_RUN_MS (their job died or was
 *   never delivered) are failed with a reason; reads the partial index runs_in_flight_queued_at_idx.
 * - purge-pending-outputs: outputs left `pending` for an hour (the writer died between the row and the object)
 *   lose their object, then their row; reads the partial index outputs_pending_created_at_idx.
 * - remove-orphan-objects: R2 objects under `outputs/` that no row names (a delete whose object removal failed,
 *   a crash in a writer) and older than MARKETING_ORPHAN_MIN_AGE_MS are deleted; see below.
 */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { DeadlineExceeded } from "../../src/core/deadline";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { inBatches } from "../../src/cron/batches";
import { sweepUpdate } from "../../src/cron/sweep-update";
import { EVERY_FIVE_MINUTES } from "../../src/cron/schedule";
import type { Sweep } from "../../src/cron/types";
import { createDb } from "../../src/db/client";
import { marketingConfig } from "./config";
import { inFileStore, OUTPUTS_PREFIX } from "./file-store";
import * as schema from "./db-schema";
import { outputs, runs } from "./schema";

const inFlight = inArray(runs.status, ["queued", "running"]);
const olderThan = (col: typeof runs.queuedAt | typeof outputs.createdAt, ms: number) =>
  lt(col, sql`now() - ${ms}::double precision * interval '1 millisecond'`);

export const failStuckRuns: Sweep = {
  name: "marketing.fail-stuck-runs",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const { stuckRunMs, sweepBatch } = marketingConfig(ctx.env);
    const reason = `Not finished within ${Math.round(stuckRunMs / 60_000)} minutes of being queued: failed by the stuck-run sweep.`;
    return sweepUpdate(ctx, {
      db: (batchMs) => createDb(ctx.env, schema, { timeoutMs: batchMs }),
      table: runs,
      id: runs.id,
      where: and(inFlight, olderThan(runs.queuedAt, stuckRunMs)),
      oldestFirst: runs.queuedAt,
      size: sweepBatch,
      set: { status: "failed", completedAt: sql`now()`, errorMessage: reason },
    });
  },
};

export const PENDING_OUTPUT_MAX_AGE_MS = 60 * 60_000;

export const purgePendingOutputs: Sweep = {
  name: "marketing.purge-pending-outputs",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const { sweepBatch } = marketingConfig(ctx.env);
    const stale = and(eq(outputs.status, "pending"), olderThan(outputs.createdAt, PENDING_OUTPUT_MAX_AGE_MS));
    // The object goes first, then the row: a failure in between leaves a pending row to retry, never an orphan.
    return inBatches(ctx, sweepBatch, async (batchMs) => {
      const db = createDb(ctx.env, schema, { timeoutMs: batchMs });
      const rows = await db
        .select({ id: outputs.id, key: outputs.s3Key })
        .from(outputs)
        .where(stale)
        .orderBy(asc(outputs.createdAt))
        .limit(sweepBatch);
      if (rows.length === 0) return 0;
      await withDeadline(ctx.env.FILES.delete(rows.map((r) => r.key)), deadlines(ctx.env).r2Ms, "file store");
      await db.delete(outputs).where(
        and(
          inArray(
            outputs.id,
            rows.map((r) => r.id),
          ),
          eq(outputs.status, "pending"),
        ),
      );
      return rows.length;
    });
  },
};

/** Where the orphan sweep resumes: the last key it checked (R2 `startAfter`), kept between runs so a large bucket is covered over several runs. */
export const ORPHAN_SWEEP_POSITION = "marketing:orphan-sweep:after";
const POSITION_TTL_SECONDS = 24 * 3600;
const R2_PAGE_MAX = 1000;

/**
 * Lists `outputs/` a page at a time (R2's list cursor within a run, the last key kept in the cache between
 * runs), checks each page's old-enough keys against `outputs.s3_key` in one query (outputs_s3_key_idx),
 * and deletes the keys no row names. Pending rows count as rows: their objects are the pending sweep's.
 * Age is the object's `uploaded` time against the trigger's scheduled time. A writer always inserts its row
 * before its object, so an object without a row is never one about to get one; the age is a margin.
 */
export const removeOrphanObjects: Sweep = {
  name: "marketing.remove-orphan-objects",
  cron: EVERY_FIVE_MINUTES,
  async run(ctx) {
    const { orphanMinAgeMs, sweepBatch } = marketingConfig(ctx.env);
    const cutoff = ctx.scheduledTime - orphanMinAgeMs;
    const pageSize = Math.min(R2_PAGE_MAX, sweepBatch);
    const startAfter = (await ctx.cache.get<string>(ORPHAN_SWEEP_POSITION)) ?? undefined;
    let cursor: string | undefined;
    let pages = 0;
    let listed = 0;
    let removed = 0;
    const report = (extra: Record<string, unknown> = {}) => ({
      rows: removed,
      details: { pages, listed, pageSize, resumedAfter: startAfter ?? null, ...extra },
    });
    try {
      for (;;) {
        const left = ctx.deadline - Date.now();
        if (left <= 0) return report({ deadline: true });
        const page = await inFileStore(ctx.env, () =>
          ctx.env.FILES.list({ prefix: OUTPUTS_PREFIX, limit: pageSize, ...(cursor ? { cursor } : { startAfter }) }),
        );
        pages++;
        listed += page.objects.length;
        const old = page.objects.filter((o) => o.uploaded.getTime() < cutoff).map((o) => o.key);
        if (old.length) {
          const db = createDb(ctx.env, schema, { timeoutMs: Math.min(left, deadlines(ctx.env).dbMs) });
          const named = new Set(
            (await db.select({ key: outputs.s3Key }).from(outputs).where(inArray(outputs.s3Key, old))).map((r) => r.key),
          );
          const orphans = old.filter((k) => !named.has(k));
          if (orphans.length) {
            await inFileStore(ctx.env, () => ctx.env.FILES.delete(orphans));
            removed += orphans.length;
            ctx.logger.info("orphaned output objects removed", { count: orphans.length, first: orphans[0] });
          }
        }
        if (!page.truncated) {
          await ctx.cache.del(ORPHAN_SWEEP_POSITION);
          return report({ complete: true });
        }
        cursor = page.cursor;
        const last = page.objects.at(-1)?.key;
        if (last) await ctx.cache.set(ORPHAN_SWEEP_POSITION, last, { ttlSeconds: POSITION_TTL_SECONDS });
      }
    } catch (err) {
      if (err instanceof DeadlineExceeded || (err instanceof Error && err.cause instanceof DeadlineExceeded))
        return report({ deadline: true });
      throw err;
    }
  },
};

export const marketingSweeps = [failStuckRuns, purgePendingOutputs, removeOrphanObjects];
