/**
 * Background jobs: messages on the JOBS queue, `{ job: "<module>.<name>", … }`, each run by the handler
 * its module registered (ModuleDef.jobs). A Queue consumer may run for minutes, where waitUntil work ends
 * 30 s after the response. A handler that throws has its message retried (max_retries in wrangler.toml).
 */
import type { AppEnv } from "../core/env";
import { createLogger, errorFields, type Logger } from "../core/logger";

export interface Job {
  job: string;
}

export interface JobContext {
  env: AppEnv;
  logger: Logger;
}

export type JobHandler = (body: Job & Record<string, unknown>, ctx: JobContext) => Promise<void>;
/** job name → its handler */
export type JobTable = Record<string, JobHandler>;

export async function dispatchJobs(table: JobTable, batch: MessageBatch<unknown>, env: AppEnv): Promise<void> {
  for (const msg of batch.messages) {
    const body = msg.body as (Job & Record<string, unknown>) | null;
    const logger = createLogger(env.LOG_LEVEL, { queue: batch.queue, messageId: msg.id, job: body?.job, attempt: msg.attempts });
    const handler = body && typeof body.job === "string" ? table[body.job] : undefined;
    if (!handler) {
      logger.error("no handler for this job; dropping it");
      msg.ack();
      continue;
    }
    const t0 = Date.now();
    try {
      await handler(body!, { env, logger });
      msg.ack();
      logger.info("job done", { ms: Date.now() - t0 });
    } catch (err) {
      logger.error("job failed; it will be retried", { ms: Date.now() - t0, ...errorFields(err) });
      msg.retry();
    }
  }
}
