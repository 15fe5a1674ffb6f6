/**
 * How a scraping step reaches the step processor: one code path (runStep), two transports.
 * - QStash (QSTASH_URL, QSTASH_TOKEN and INFLUENCER_PUBLIC_URL set: deployed, or a local fake in the tests):
 *   published to POST /v1/influencer/jobs/{id}/process, which verifies the signature and runs the step.
 * - The JOBS queue otherwise (`wrangler dev` and any deployment without QStash): the queue consumer runs the
 *   same step (job `influencer.step`).
 * A send that fails is only logged: the job keeps its cursor, and the lost-step sweep sends it again.
 * QStash's publish API is one POST (`/v2/publish/<destination>`, bearer token, `Upstash-Retries`); it is called with
 * fetch rather than @upstash/qstash's Client, which with its local-dev server code was ~56 KiB of the bundle.
 */
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
      const publish = publishJson(cfg.qstash, `${cfg.qstash.publicUrl}${processPath(step.jobId)}`, step);
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

/** POST /v2/publish/<destination>; a connection failure is tried once more after 50 ms, an error answer is not. */
async function publishJson(qstash: { url: string; token: string }, destination: string, body: unknown): Promise<void> {
  const send = () =>
    fetch(`${qstash.url.replace(/\/+$/, "")}/v2/publish/${destination}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${qstash.token}`, "Content-Type": "application/json", "Upstash-Retries": "3" },
      body: JSON.stringify(body),
    });
  const res = await send().catch(async () => {
    await new Promise((r) => setTimeout(r, 50));
    return send();
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`QStash publish answered ${res.status}: ${text.slice(0, 200)}`);
}
