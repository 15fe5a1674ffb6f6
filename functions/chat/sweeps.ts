/**
 * The chat module's cron work, each statement bounded to SWEEP_BATCH_SIZE rows claimed with
 * `FOR UPDATE SKIP LOCKED`; the batch loop is src/cron/batches.ts.
 */
import { and, asc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { inBatches } from "../../src/cron/batches";
import { EVERY_FIVE_MINUTES } from "../../src/cron/schedule";
import type { Sweep } from "../../src/cron/types";
import { chatConfig } from "./config";
import { chatDb } from "./db";
import { forgetPlans } from "./plan";
import { subscriptions, workflows } from "./schema";

const olderThan = (ms: number) => sql`now() - ${ms}::double precision * interval '1 millisecond'`;

/** Workflows pending or running with no progress (no step appended) for CHAT_WORKFLOW_TIMEOUT_MS → failed. */
export const failStaleWorkflows: Sweep = {
  name: "chat.fail-stale-workflows",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const db = chatDb(ctx.env);
    const { workflowTimeoutMs: ms, sweepBatch } = chatConfig(ctx.env);
    const unfinished = inArray(workflows.status, ["pending", "running"]);
    const stale = db
      .select({ id: workflows.id })
      .from(workflows)
      .where(and(unfinished, lt(workflows.updatedAt, olderThan(ms))))
      .orderBy(asc(workflows.updatedAt))
      .limit(sweepBatch)
      .for("update", { skipLocked: true });
    return inBatches(ctx, sweepBatch, async (batchMs) => {
      const rows = await chatDb(ctx.env, { timeoutMs: batchMs })
        .update(workflows)
        .set({
          status: "failed",
          result: sql`jsonb_build_object('error', 'no progress for ' || ${Math.round(ms / 1000)} || ' s: the workflow timed out', 'failedStatus', ${workflows.status})`,
        })
        .where(and(inArray(workflows.id, stale), unfinished))
        .returning({ id: workflows.id });
      return rows.length;
    });
  },
};

/** Active subscriptions past stripe_current_period_end + CHAT_SUBSCRIPTION_GRACE_MS with no renewal → inactive. */
export const expireLapsedSubscriptions: Sweep = {
  name: "chat.expire-lapsed-subscriptions",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const db = chatDb(ctx.env);
    const { subscriptionGraceMs: ms, sweepBatch } = chatConfig(ctx.env);
    const lapsed = and(
      eq(subscriptions.isActive, true),
      isNotNull(subscriptions.stripeCurrentPeriodEnd),
      lt(subscriptions.stripeCurrentPeriodEnd, olderThan(ms)),
    );
    const batch = db
      .select({ id: subscriptions.id })
      .from(subscriptions)
      .where(lapsed)
      .orderBy(asc(subscriptions.stripeCurrentPeriodEnd))
      .limit(sweepBatch)
      .for("update", { skipLocked: true });
    return inBatches(ctx, sweepBatch, async (batchMs) => {
      const rows = await chatDb(ctx.env, { timeoutMs: batchMs })
        .update(subscriptions)
        .set({ isActive: false })
        .where(and(inArray(subscriptions.id, batch), lapsed))
        .returning({ userId: subscriptions.userId });
      await forgetPlans(
        ctx.cache,
        rows.map((r) => r.userId),
      );
      return rows.length;
    });
  },
};

export const chatSweeps = [failStaleWorkflows, expireLapsedSubscriptions];
