/**
 * The influencer module's cron work. Each statement claims at most SWEEP_BATCH_SIZE rows with
 * `… WHERE id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`, so overlapping runs split the work; every
 * sweep is idempotent (its WHERE no longer matches a row it already moved).
 */
import { and, asc, eq, inArray, lt, lte, sql } from "drizzle-orm";
import type { Sweep } from "../../src/cron/types";
import { sweepUpdate } from "../../src/cron/sweep-update";
import { EVERY_FIVE_MINUTES, EVERY_MINUTE } from "../../src/cron/crons";
import { influencerConfig } from "./config";
import { influencerDb } from "./db";
import { ACTIVE_JOB_STATUSES, scrapingJobs, trialReminders, userProfiles } from "./schema";
import { sendStep } from "./transport";

/** Unfinished jobs past `timeout_at` → `timeout` with `completed_at` (partial index idx_scraping_jobs_active_timeout). */
export const timeOutJobs: Sweep = {
  name: "influencer.time-out-jobs",
  cron: EVERY_MINUTE,
  run(ctx) {
    return sweepUpdate(ctx, {
      db: (timeoutMs) => influencerDb(ctx.env, { timeoutMs }),
      table: scrapingJobs,
      id: scrapingJobs.id,
      where: and(inArray(scrapingJobs.status, ACTIVE_JOB_STATUSES), lt(scrapingJobs.timeoutAt, sql`now()`)),
      oldestFirst: scrapingJobs.timeoutAt,
      size: influencerConfig(ctx.env).sweepBatch,
      set: { status: "timeout", completedAt: sql`now()`, error: "timed out before finishing" },
    });
  },
};

/**
 * Unfinished jobs with no progress for INFLUENCER_STEP_STALL_MS: their step message was lost (a failed send, or
 * a queue message that ran out of retries). Claiming bumps `updated_at`, so the next run leaves them alone for
 * another stall period; the step itself is idempotent, so a step that was only slow is harmless to resend.
 */
export const resendLostSteps: Sweep = {
  name: "influencer.resend-lost-steps",
  cron: EVERY_MINUTE,
  async run(ctx) {
    const db = influencerDb(ctx.env);
    const cfg = influencerConfig(ctx.env);
    const size = Math.min(cfg.sweepBatch, 200);
    const stalled = db
      .select({ id: scrapingJobs.id })
      .from(scrapingJobs)
      .where(
        and(
          inArray(scrapingJobs.status, ACTIVE_JOB_STATUSES),
          sql`${scrapingJobs.timeoutAt} > now()`,
          lt(scrapingJobs.updatedAt, sql`now() - ${cfg.stepStallMs}::double precision * interval '1 millisecond'`),
        ),
      )
      .orderBy(asc(scrapingJobs.updatedAt))
      .limit(size)
      .for("update", { skipLocked: true });
    const claimed = await db
      .update(scrapingJobs)
      .set({ updatedAt: sql`now()` })
      .where(inArray(scrapingJobs.id, stalled))
      .returning({ id: scrapingJobs.id, cursor: scrapingJobs.cursor });
    let sent = 0;
    for (const j of claimed) {
      if (Date.now() >= ctx.deadline) break;
      if ((await sendStep(ctx.env, { jobId: j.id, cursor: j.cursor ?? 0 }, ctx.logger)) !== "failed") sent++;
    }
    return { rows: claimed.length, details: { sent } };
  },
};

/** Active trials past their end → `expired` (a `trialing` subscription falls back to `none`). */
export const expireTrials: Sweep = {
  name: "influencer.expire-trials",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    return sweepUpdate(ctx, {
      db: (timeoutMs) => influencerDb(ctx.env, { timeoutMs }),
      table: userProfiles,
      id: userProfiles.id,
      where: and(eq(userProfiles.trialStatus, "active"), lt(userProfiles.trialEndDate, sql`now()`)),
      oldestFirst: userProfiles.trialEndDate,
      size: influencerConfig(ctx.env).sweepBatch,
      set: {
        trialStatus: "expired",
        subscriptionStatus: sql`CASE WHEN ${userProfiles.subscriptionStatus} = 'trialing' THEN 'none' ELSE ${userProfiles.subscriptionStatus} END`,
      },
    });
  },
};

/**
 * Scheduled trial reminders whose time has come → `due` (the record is the reminder: there is no mail
 * provider to send it), or `skipped` when the trial was cancelled or converted meanwhile.
 */
export const markDueReminders: Sweep = {
  name: "influencer.mark-due-reminders",
  cron: EVERY_MINUTE,
  run(ctx) {
    return sweepUpdate(ctx, {
      db: (timeoutMs) => influencerDb(ctx.env, { timeoutMs }),
      table: trialReminders,
      id: trialReminders.id,
      where: and(eq(trialReminders.status, "scheduled"), lte(trialReminders.dueAt, sql`now()`)),
      oldestFirst: trialReminders.dueAt,
      size: influencerConfig(ctx.env).sweepBatch,
      set: {
        status: sql`CASE WHEN EXISTS (SELECT 1 FROM ${userProfiles} p WHERE p.user_id = ${trialReminders.userId}
          AND p.trial_status IN ('active', 'expired')) THEN 'due' ELSE 'skipped' END`,
        markedAt: sql`now()`,
      },
    });
  },
};

export const influencerSweeps: Sweep[] = [timeOutJobs, resendLostSteps, markDueReminders, expireTrials];
