/**
 * `scheduler.run`: one run of one job, on the JOBS queue, so a slow endpoint never holds the cron sweep.
 * The message carries the claim's lease token; a redelivered message finds the run started and does nothing.
 */
import type { AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import type { Logger } from "../../src/core/logger";
import { errorFields } from "../../src/core/logger";
import { runJob } from "./runner";

export const RUN_JOB = "scheduler.run";
export interface RunMessage {
  job: typeof RUN_JOB;
  jobId: string;
  token: string;
}

export const runMessage = (jobId: string, token: string): RunMessage => ({ job: RUN_JOB, jobId, token });

/** Sends the runs to the queue in batches of 100; returns the job ids whose messages the queue did not take. */
export async function enqueueRuns(env: AppEnv, jobIds: string[], token: string, logger: Logger): Promise<string[]> {
  const refused: string[] = [];
  for (let i = 0; i < jobIds.length; i += 100) {
    const chunk = jobIds.slice(i, i + 100);
    try {
      if (!env.JOBS) throw new Error("no JOBS queue binding");
      await env.JOBS.sendBatch(chunk.map((id) => ({ body: runMessage(id, token) })));
    } catch (err) {
      logger.error("queue refused scheduler runs", { jobs: chunk.length, ...errorFields(err) });
      refused.push(...chunk);
    }
  }
  return refused;
}

export const schedulerJobs: JobTable = {
  [RUN_JOB]: async (body, { env, logger }) => {
    await runJob(env, String(body.jobId), String(body.token), logger.child({ jobId: body.jobId }));
  },
};
