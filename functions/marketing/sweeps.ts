/**
 * The marketing module's cron work, in batches of SWEEP_BATCH_SIZE rows (src/cron/batches.ts).
 * - fail-stuck-runs: runs `queued` or `running` for longer than MARKETING_STUCK_RUN_MS (their job died or was
 *   never delivered) are failed with a reason; reads the partial index runs_in_flight_queued_at_idx.
 * - purge-pending-outputs: outputs left `pending` for an hour (the writer died between the row and the object)
 *   lose their object, then their row; reads the partial index outputs_pending_created_at_idx.
 */
import { and, asc, eq, inArray, lt, sql } from "drizzle-orm";
import { deadlines } from "../../src/core/config";
import { withDeadline } from "../../src/core/deadline";
import { inBatches } from "../../src/cron/batches";
import { EVERY_FIVE_MINUTES } from "../../src/cron/schedule";
import type { Sweep } from "../../src/cron/types";
import { createDb } from "../../src/db/client";
import { marketingConfig } from "./config";
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
    const db = createDb(ctx.env, schema);
    const stuck = db
      .select({ id: runs.id })
      .from(runs)
      .where(and(inFlight, olderThan(runs.queuedAt, stuckRunMs)))
      .orderBy(asc(runs.queuedAt))
      .limit(sweepBatch)
      .for("update", { skipLocked: true });
    const reason = `Not finished within ${Math.round(stuckRunMs / 60_000)} minutes of being queued: failed by the stuck-run sweep.`;
    return inBatches(
      ctx,
      sweepBatch,
      async (batchMs) =>
        (
          await createDb(ctx.env, schema, { timeoutMs: batchMs })
            .update(runs)
            .set({ status: "failed", completedAt: sql`now()`, errorMessage: reason })
            .where(and(inArray(runs.id, stuck), inFlight))
            .returning({ id: runs.id })
        ).length,
    );
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

export const marketingSweeps = [failStuckRuns, purgePendingOutputs];
