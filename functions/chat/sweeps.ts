/**
 * The chat module's cron work, each statement bounded to SWEEP_BATCH_SIZE rows claimed with
 * `FOR UPDATE SKIP LOCKED`, repeated until a batch comes back short or the run's deadline passes.
 */
import { and, asc, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Sweep, SweepContext } from "../../src/cron/types";
import { chatConfig } from "./config";
import { chatDb } from "./db";
import { forgetPlans } from "./plan";
import { subscriptions, workflows } from "./schema";

async function inBatches(ctx: SweepContext, batch: () => Promise<number>) {
  const size = chatConfig(ctx.env).sweepBatch;
  let rows = 0;
  let batches = 0;
  for (;;) {
    const n = await batch();
    rows += n;
    batches++;
    if (n < size || Date.now() >= ctx.deadline) return { rows, details: { batches, batchSize: size } };
  }
}

const olderThan = (ms: number) => sql`now() - ${ms}::double precision * interval '1 millisecond'`;

/** Workflows pending or running with no progress (no step appended) for CHAT_WORKFLOW_TIMEOUT_MS → failed. */
export const failStaleWorkflows: Sweep = {
  name: "chat.fail-stale-workflows",
  run(ctx) {
    const db = chatDb(ctx.env);
    const { workflowTimeoutMs: ms, sweepBatch } = chatConfig(ctx.env);
    const unfinished = inArray(workflows.status, ["pending", "running"]);
    const stale = db.select({ id: workflows.id }).from(workflows)
      .where(and(unfinished, lt(workflows.updatedAt, olderThan(ms))))
      .orderBy(asc(workflows.updatedAt)).limit(sweepBatch).for("update", { skipLocked: true });
    return inBatches(ctx, async () => {
      const rows = await db.update(workflows)
        .set({ status: "failed", result: sql`jsonb_build_object('error', 'no progress for ' || ${Math.round(ms / 1000)} || ' s: the workflow timed out', 'failedStatus', ${workflows.status})` })
        .where(and(inArray(workflows.id, stale), unfinished))
        .returning({ id: workflows.id });
      return rows.length;
    });
  },
};

/** Active subscriptions past stripe_current_period_end + CHAT_SUBSCRIPTION_GRACE_MS with no renewal → inactive. */
export const expireLapsedSubscriptions: Sweep = {
  name: "chat.expire-lapsed-subscriptions",
  run(ctx) {
    const db = chatDb(ctx.env);
    const { subscriptionGraceMs: ms, sweepBatch } = chatConfig(ctx.env);
    const lapsed = and(eq(subscriptions.isActive, true), isNotNull(subscriptions.stripeCurrentPeriodEnd), lt(subscriptions.stripeCurrentPeriodEnd, olderThan(ms)));
    const batch = db.select({ id: subscriptions.id }).from(subscriptions)
      .where(lapsed).orderBy(asc(subscriptions.stripeCurrentPeriodEnd)).limit(sweepBatch).for("update", { skipLocked: true });
    return inBatches(ctx, async () => {
      const rows = await db.update(subscriptions).set({ isActive: false })
        .where(and(inArray(subscriptions.id, batch), lapsed)).returning({ userId: subscriptions.userId });
      await forgetPlans(ctx.cache, rows.map((r) => r.userId));
      return rows.length;
    });
  },
};
