/**
 * The scheduler's cron work. `runDueJobs` (every minute) claims due jobs with a lease and queues one run per
 * job; the others keep the tables honest: leases whose run died, tasks left RUNNING, expired Auth.js rows.
 * Each statement claims at most SWEEP_BATCH_SIZE rows with FOR UPDATE SKIP LOCKED, so overlapping runs split the work.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Sweep } from "../../src/cron/types";
import { affectedRows } from "../../src/cron/affected-rows";
import { inBatches } from "../../src/cron/batches";
import { sweepUpdate } from "../../src/cron/sweep-update";
import { EVERY_FIVE_MINUTES, EVERY_MINUTE, NIGHTLY } from "../../src/cron/crons";
import { schedulerConfig } from "./config";
import { schedulerDb } from "./db";
import { enqueueRuns } from "./jobs";
import { claimDueJobs, releaseClaims } from "./runs.store";
import { jobs, sessions, tasks, verificationTokens } from "./schema";

export const runDueJobs: Sweep = {
  name: "scheduler.run-due-jobs",
  cron: EVERY_MINUTE,
  async run({ env, logger }) {
    const { token, rows } = await claimDueJobs(env, schedulerConfig(env).claimBatch);
    const refused = await enqueueRuns(
      env,
      rows.map((r) => r.id),
      token,
      logger,
    );
    await releaseClaims(env, refused, token);
    return { rows: rows.length - refused.length, details: { claimed: rows.length, refused: refused.length } };
  },
};

/** Leases that ran out (the run died with its isolate): freed, so the next claim takes the job again. */
export const reclaimExpiredLeases: Sweep = {
  name: "scheduler.reclaim-expired-leases",
  // Not every minute: the claim takes over expired leases itself, and running both at once would let this
  // sweep's row locks make the claim skip (SKIP LOCKED) a job whose lease just ran out.
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    return sweepUpdate(ctx, {
      db: (timeoutMs) => schedulerDb(ctx.env, { timeoutMs }),
      table: jobs,
      id: jobs.id,
      where: and(isNotNull(jobs.leaseOwner), lt(jobs.leaseExpiresAt, sql`now()`)),
      oldestFirst: jobs.leaseExpiresAt,
      size: schedulerConfig(ctx.env).sweepBatch,
      set: { leaseOwner: null, leaseExpiresAt: null, locked: false, lockExpiresAt: null },
    });
  },
};

/** Tasks RUNNING for longer than SCHEDULER_TASK_TIMEOUT_MS: their run died; they are failed with the reason. */
export const failStuckTasks: Sweep = {
  name: "scheduler.fail-stuck-tasks",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const { sweepBatch: size, taskTimeoutMs } = schedulerConfig(ctx.env);
    return sweepUpdate(ctx, {
      db: (timeoutMs) => schedulerDb(ctx.env, { timeoutMs }),
      table: tasks,
      id: tasks.id,
      where: and(
        eq(tasks.status, "RUNNING"),
        lt(tasks.startedAt, sql`now() - ${taskTimeoutMs}::double precision * interval '1 millisecond'`),
      ),
      oldestFirst: tasks.startedAt,
      size,
      set: { status: "FAILED", completedAt: sql`now()`, error: `the run did not finish within ${Math.round(taskTimeoutMs / 1000)} s` },
    });
  },
};

/** Auth.js rows past their expiry: sessions and verification tokens. */
export const purgeExpiredAuth: Sweep = {
  name: "scheduler.purge-expired-auth",
  cron: NIGHTLY,
  async run(ctx) {
    const db = schedulerDb(ctx.env);
    const size = schedulerConfig(ctx.env).sweepBatch;
    const oldSessions = db
      .select({ t: sessions.sessionToken })
      .from(sessions)
      .where(lt(sessions.expires, sql`now()`))
      .limit(size)
      .for("update", { skipLocked: true });
    const s = await inBatches(ctx, size, async (timeoutMs) => {
      const batchDb = schedulerDb(ctx.env, { timeoutMs });
      return affectedRows(
        batchDb,
        batchDb.delete(sessions).where(inArray(sessions.sessionToken, oldSessions)).returning({ t: sessions.sessionToken }),
      );
    });
    const oldTokens = sql`(${verificationTokens.identifier}, ${verificationTokens.token}) IN (SELECT "identifier", "token" FROM ${verificationTokens}
      WHERE "expires" < now() LIMIT ${size} FOR UPDATE SKIP LOCKED)`;
    const v = await inBatches(ctx, size, async (timeoutMs) => {
      const batchDb = schedulerDb(ctx.env, { timeoutMs });
      return affectedRows(batchDb, batchDb.delete(verificationTokens).where(oldTokens).returning({ t: verificationTokens.token }));
    });
    return { rows: s.rows + v.rows, details: { sessions: s.rows, verificationTokens: v.rows } };
  },
};

export const schedulerSweeps: Sweep[] = [runDueJobs, reclaimExpiredLeases, failStuckTasks, purgeExpiredAuth];
