/**
 * The chat module's cron work, each statement bounded to SWEEP_BATCH_SIZE rows claimed with
 * `FOR UPDATE SKIP LOCKED`; the batch loop is src/cron/batches.ts.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { sweepUpdate } from "../../src/cron/sweep-update";
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
    const { workflowTimeoutMs: ms, sweepBatch } = chatConfig(ctx.env);
    return sweepUpdate(ctx, {
      db: (timeoutMs) => chatDb(ctx.env, { timeoutMs }),
      table: workflows,
      id: workflows.id,
      where: and(inArray(workflows.status, ["pending", "running"]), lt(workflows.updatedAt, olderThan(ms))),
      oldestFirst: workflows.updatedAt,
      size: sweepBatch,
      set: {
        status: "failed",
        result: sql`jsonb_build_object('error', 'no progress for ' || ${Math.round(ms / 1000)} || ' s: the workflow timed out', 'failedStatus', ${workflows.status})`,
      },
    });
  },
};

/** Active subscriptions past stripe_current_period_end + CHAT_SUBSCRIPTION_GRACE_MS with no renewal → inactive. */
export const expireLapsedSubscriptions: Sweep = {
  name: "chat.expire-lapsed-subscriptions",
  cron: EVERY_FIVE_MINUTES,
  run(ctx) {
    const { subscriptionGraceMs: ms, sweepBatch } = chatConfig(ctx.env);
    return sweepUpdate(ctx, {
      db: (timeoutMs) => chatDb(ctx.env, { timeoutMs }),
      table: subscriptions,
      id: subscriptions.id,
      where: and(
        eq(subscriptions.isActive, true),
        isNotNull(subscriptions.stripeCurrentPeriodEnd),
        lt(subscriptions.stripeCurrentPeriodEnd, olderThan(ms)),
      ),
      oldestFirst: subscriptions.stripeCurrentPeriodEnd,
      size: sweepBatch,
      set: { isActive: false },
      returning: { userId: subscriptions.userId },
      after: (rows) =>
        forgetPlans(
          ctx.cache,
          rows.map((r) => r.userId as string),
        ),
    });
  },
};

export const chatSweeps = [failStaleWorkflows, expireLapsedSubscriptions];
