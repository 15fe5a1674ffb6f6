/** The chat sweeps: stale workflows fail, lapsed subscriptions go inactive (and their cached plan with them). */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireLapsedSubscriptions, failStaleWorkflows } from "../../../functions/chat/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import { EVERY_FIVE_MINUTES } from "../../../src/cron/schedule";
import { cronTable } from "../../../src/registry";
import type { Sweep } from "../../../src/cron/types";
import worker from "../../../src/index";
import { redisCommand, testEnv } from "../helpers";
import { call, expectJson, newUser, sql } from "./helpers";

const run = async (sweep: Sweep) => (await dispatchCron({ once: [sweep] }, "once", testEnv, Date.now()))[0]!;

async function workflow(userId: string, status: string, age: string) {
  const [row] = await sql<{ id: string }>(
    `INSERT INTO chat.workflows (user_id, workflow_id, status, goal, steps, updated_at)
    VALUES ($1, 'chat-wf-sweep', $2, 'g', '[]', now() - $3::interval) RETURNING id`,
    [userId, status, age],
  );
  return row!.id;
}

describe("chat sweeps", () => {
  it("run on the five-minute trigger", () => {
    expect(cronTable[EVERY_FIVE_MINUTES]!.map((s) => s.name)).toEqual(
      expect.arrayContaining(["chat.fail-stale-workflows", "chat.expire-lapsed-subscriptions"]),
    );
  });

  it("fail pending and running workflows with no progress past the timeout, and nothing else", async () => {
    const u = await newUser();
    await expectJson(await call(u, "GET", "/me"), 200);
    const stalePending = await workflow(u.id, "pending", "1 hour");
    const staleRunning = await workflow(u.id, "running", "16 minutes");
    const freshRunning = await workflow(u.id, "running", "1 minute");
    const oldCompleted = await workflow(u.id, "completed", "2 days");
    const report = await run(failStaleWorkflows);
    expect(report.ok).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(2);
    const rows = await sql<{ id: string; status: string; result: any }>(
      "SELECT id, status, result FROM chat.workflows WHERE user_id = $1",
      [u.id],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(stalePending)!.status).toBe("failed");
    expect(byId.get(stalePending)!.result).toEqual({ error: "no progress for 900 s: the workflow timed out", failedStatus: "pending" });
    expect(byId.get(staleRunning)!.result.failedStatus).toBe("running");
    expect(byId.get(freshRunning)!.status).toBe("running");
    expect(byId.get(oldCompleted)!.status).toBe("completed");
    expect((await run(failStaleWorkflows)).rows).toBe(0);
  });

  it("turn off subscriptions past their period end plus the grace period, and drop the cached plan", async () => {
    const lapsed = await newUser();
    const inGrace = await newUser();
    for (const u of [lapsed, inGrace]) await expectJson(await call(u, "GET", "/me"), 200);
    await sql(
      `INSERT INTO chat.subscriptions (user_id, plan, status, is_active, agent_limit, stripe_current_period_end) VALUES
      ($1, 'pro', 'active', true, 10, now() - interval '4 days'), ($2, 'pro', 'active', true, 10, now() - interval '1 day')`,
      [lapsed.id, inGrace.id],
    );
    // the cached plan still says free: refresh it so the sweep has something to invalidate
    await redisCommand("DEL", `chat:me:v1:${lapsed.id}`);
    expect((await expectJson(await call(lapsed, "GET", "/me"), 200)).plan.plan).toBe("pro");
    expect(await redisCommand("EXISTS", `chat:me:v1:${lapsed.id}`)).toBe(1);
    // through the Worker's scheduled() handler, as a Cron Trigger would
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: EVERY_FIVE_MINUTES, scheduledTime: Date.now() }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await sql("SELECT is_active FROM chat.subscriptions WHERE user_id = $1", [lapsed.id])).toEqual([{ is_active: false }]);
    expect(await sql("SELECT is_active FROM chat.subscriptions WHERE user_id = $1", [inGrace.id])).toEqual([{ is_active: true }]);
    expect(await redisCommand("EXISTS", `chat:me:v1:${lapsed.id}`)).toBe(0);
    expect((await expectJson(await call(lapsed, "GET", "/me"), 200)).plan).toMatchObject({ plan: "free", isActive: false, agentLimit: 3 });
    expect((await run(expireLapsedSubscriptions)).rows).toBe(0);
  });
});
