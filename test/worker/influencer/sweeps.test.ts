/** Cron work: timed-out jobs, lost steps re-sent, trials expired, trial reminders marked due or skipped. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireTrials, markDueReminders, resendLostSteps, timeOutJobs } from "../../../functions/influencer/sweeps";
import { dispatchCron } from "../../../src/cron/dispatch";
import { EVERY_FIVE_MINUTES, EVERY_MINUTE } from "../../../src/cron/crons";
import { cronTable } from "../../../src/registry";
import type { Sweep } from "../../../src/cron/types";
import worker from "../../../src/index";
import { sql, testEnv } from "../helpers";
import { call, campaignWithJob, deliver, json, qstash, user } from "./helpers";

const run = async (sweep: Sweep) => (await dispatchCron({ once: [sweep] }, "once", testEnv, Date.now()))[0]!;
const job = async (id: string) =>
  (await sql<any>("SELECT status, completed_at, error FROM influencer.scraping_jobs WHERE id = $1", [id]))[0];

describe("influencer sweeps", () => {
  it("are registered on the every-minute and five-minute triggers", () => {
    expect(cronTable[EVERY_MINUTE]!.map((s) => s.name)).toEqual(
      expect.arrayContaining(["influencer.time-out-jobs", "influencer.resend-lost-steps", "influencer.mark-due-reminders"]),
    );
    expect(cronTable[EVERY_FIVE_MINUTES]!.map((s) => s.name)).toContain("influencer.expire-trials");
  });

  it("time out pending and processing jobs past timeout_at, leave the others, and are idempotent", async () => {
    const u = await user();
    const late = (await campaignWithJob(u)).job.id;
    const lateProcessing = (await campaignWithJob(u)).job.id;
    const onTime = (await campaignWithJob(u)).job.id;
    const finished = (await campaignWithJob(u)).job.id;
    await sql("UPDATE influencer.scraping_jobs SET timeout_at = now() - interval '1 minute' WHERE id = ANY($1)", [
      [late, lateProcessing, finished],
    ]);
    await sql("UPDATE influencer.scraping_jobs SET status = 'processing' WHERE id = $1", [lateProcessing]);
    await sql("UPDATE influencer.scraping_jobs SET status = 'completed', completed_at = now() WHERE id = $1", [finished]);

    // through the Worker's scheduled() handler, as a Cron Trigger runs it
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: EVERY_MINUTE, scheduledTime: Date.now() }), testEnv, ctx);
    await waitOnExecutionContext(ctx);

    for (const id of [late, lateProcessing]) {
      const row = await job(id);
      expect(row).toMatchObject({ status: "timeout", error: "timed out before finishing" });
      expect(row.completed_at).not.toBeNull();
    }
    expect((await job(onTime)).status).toBe("pending");
    expect((await job(finished)).status).toBe("completed");
    expect((await run(timeOutJobs)).rows).toBe(0);
    // a step arriving after the timeout changes nothing
    expect(await json(await deliver({ jobId: late, cursor: 0 }), 200)).toMatchObject({ outcome: "ignored", reason: "the job is timeout" });
    const seen = await json(await call("GET", `/jobs/${late}`, { token: u.token }), 200);
    expect(seen.status).toBe("timeout");
  });

  it("re-send the step of a job whose step message was lost, once per stall period", async () => {
    const u = await user();
    const { job: stalled } = await campaignWithJob(u);
    const { job: fresh } = await campaignWithJob(u);
    await sql("UPDATE influencer.scraping_jobs SET updated_at = now() - interval '10 minutes', cursor = 0 WHERE id = $1", [stalled.id]);
    const before = (await qstash.messages(stalled.id)).length;
    const report = await run(resendLostSteps);
    expect(report.ok).toBe(true);
    const after = await qstash.messages(stalled.id);
    expect(after).toHaveLength(before + 1);
    expect(JSON.parse(after.at(-1)!.body)).toEqual({ jobId: stalled.id, cursor: 0 });
    expect(await qstash.messages(fresh.id)).toHaveLength(1);
    await run(resendLostSteps);
    expect(await qstash.messages(stalled.id)).toHaveLength(before + 1);
    // the re-sent step runs normally
    expect((await json(await deliver(JSON.parse(after.at(-1)!.body)), 200)).outcome).toBe("advanced");
  });

  it("expire active trials past their end", async () => {
    const over = await user();
    const running = await user();
    await json(await call("POST", "/me/trial/start", { token: over.token }), 200);
    await json(await call("POST", "/me/trial/start", { token: running.token }), 200);
    await sql("UPDATE influencer.user_profiles SET trial_end_date = now() - interval '1 minute' WHERE user_id = $1", [over.id]);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: EVERY_FIVE_MINUTES, scheduledTime: Date.now() }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await json(await call("GET", "/me/trial", { token: over.token }), 200)).toMatchObject({
      status: "expired",
      subscriptionStatus: "none",
    });
    expect((await json(await call("GET", "/me/trial", { token: running.token }), 200)).status).toBe("active");
    expect((await run(expireTrials)).rows).toBe(0);
  });

  it("mark reminders due when their time comes, and skip those of a trial that was converted", async () => {
    const a = await user();
    const b = await user();
    for (const u of [a, b]) await json(await call("POST", "/me/trial/start", { token: u.token }), 200);
    await sql(
      "UPDATE influencer.trial_reminders SET due_at = now() - interval '1 minute' WHERE user_id = ANY($1) AND kind IN ('day_2', 'day_5')",
      [[a.id, b.id]],
    );
    await json(await call("PATCH", `/admin/users/${b.id}/subscription`, { admin: true, body: { subscriptionStatus: "active" } }), 200);
    await run(markDueReminders);
    const statuses = async (id: string) =>
      (await json(await call("GET", "/me/trial", { token: (id === a.id ? a : b).token }), 200)).reminders.map((r: any) => [
        r.kind,
        r.status,
      ]);
    expect(await statuses(a.id)).toEqual([
      ["day_2", "due"],
      ["day_5", "due"],
      ["expiry", "scheduled"],
    ]);
    expect(await statuses(b.id)).toEqual([
      ["day_2", "skipped"],
      ["day_5", "skipped"],
      ["expiry", "scheduled"],
    ]);
    const [marked] = await sql<any>("SELECT marked_at FROM influencer.trial_reminders WHERE user_id = $1 AND kind = 'day_2'", [a.id]);
    expect(marked.marked_at).not.toBeNull();
    expect((await run(markDueReminders)).rows).toBe(0);
  });
});
