/**
 * `blog.generate`: runs a session's pipeline in a Queue consumer. Queues deliver at least once, so the run
 * first claims a lease on the session row (one statement, Postgres only): a redelivered message finds the
 * lease held and does nothing, with or without Redis.
 */
import { blogDb } from "./db";
import type { AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import type { Logger } from "../../src/core/logger";
import { HttpProblem } from "../../src/core/problem";
import { loadAgents } from "./agents";
import { blogConfig } from "./config";
import { PIPELINE_AGENTS, runPipeline } from "./pipeline";
import { claimGeneration, failSession, pipelineFailure } from "./sessions.store";

export const GENERATE_JOB = "blog.generate";
export interface GenerateJob {
  job: typeof GENERATE_JOB;
  sessionId: string;
}

export async function runGeneration(env: AppEnv, sessionId: string, logger: Logger): Promise<void> {
  const db = blogDb(env);
  // The lease lasts as long as the stuck-session sweep waits for progress; each pass extends it.
  const lease = await claimGeneration(db, sessionId, blogConfig(env).generationTimeoutMs);
  if (!lease) {
    logger.warn("blog generation not started: the session is not generating, or another run holds it", { sessionId });
    return;
  }
  let setup;
  try {
    setup = await loadAgents(db, PIPELINE_AGENTS);
  } catch (err) {
    // The key or a model was removed after the session was queued.
    const reason = err instanceof HttpProblem ? (err.detail ?? err.title) : "the agents could not be loaded";
    await failSession(db, sessionId, lease, pipelineFailure("error", reason));
    return;
  }
  await runPipeline(env, sessionId, lease, setup, logger);
}

export const blogJobs: JobTable = {
  [GENERATE_JOB]: (body, { env, logger }) => runGeneration(env, String(body.sessionId), logger.child({ sessionId: body.sessionId })),
};
