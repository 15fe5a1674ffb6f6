/**
 * How a scraping step reaches the step processor: one code path (runStep), two transports.
 * - QStash (QSTASH_URL, QSTASH_TOKEN and INFLUENCER_PUBLIC_URL set: deployed, or a local fake in the tests):
 *   published to POST /v1/influencer/jobs/{id}/process, which verifies the signature and runs the step.
 * - The JOBS queue otherwise (`wrangler dev` and any deployment without QStash): the queue consumer runs the
 *   same step (job `influencer.step`).
 * A send that fails is only logged: the job keeps its cursor, and the lost-step sweep sends it again.
 */
import { Client } from "@upstash/qstash";
import { withDeadline } from "../../src/core/deadline";
import type { AppEnv } from "../../src/env";
import { errorFields, type Logger } from "../../src/core/logger";
import { influencerConfig } from "./config";

export const STEP_JOB = "influencer.step";
export interface Step {
  jobId: string;
  cursor: number;
}
export type Transport = "qstash" | "queue" | "failed";

export const processPath = (jobId: string) => `/v1/influencer/jobs/${jobId}/process`;

export async function sendStep(env: AppEnv, step: Step, logger: Logger): Promise<Transport> {
  const cfg = influencerConfig(env);
  try {
    if (cfg.qstash) {
      const client = new Client({
        baseUrl: cfg.qstash.url,
        token: cfg.qstash.token,
        retry: { retries: 1, backoff: () => 50 },
        enableTelemetry: false,
        devMode: false,
      });
      const publish = client.publishJSON({ url: `${cfg.qstash.publicUrl}${processPath(step.jobId)}`, body: step, retries: 3 });
      await withDeadline(publish, cfg.publishTimeoutMs, "QStash publish API");
      return "qstash";
    }
    await env.JOBS.send({ job: STEP_JOB, ...step });
    return "queue";
  } catch (err) {
    logger.warn("influencer: could not send a scraping step; the sweep will resend it", { ...step, ...errorFields(err), stack: undefined });
    return "failed";
  }
}
