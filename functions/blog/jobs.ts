/**
 * `blog.generate`: runs a session's pipeline in a Queue consumer. Queues deliver at least once, so a
 * Redis lock keeps a redelivered message from running a second pipeline beside the first.
 */
import { createCache } from "../../src/cache/client";
import { singleFlight } from "../../src/cache/single-flight";
import { blogDb } from "./db";
import type { AppEnv } from "../../src/env";
import type { JobTable } from "../../src/jobs/dispatch";
import type { Logger } from "../../src/core/logger";
import { HttpProblem } from "../../src/core/problem";
import { loadAgents } from "./agents";
import { blogConfig } from "./config";
import { PIPELINE_AGENTS, runPipeline } from "./pipeline";
import { failSession } from "./sessions.store";

export const GENERATE_JOB = "blog.generate";
export interface GenerateJob {
  job: typeof GENERATE_JOB;
  sessionId: string;
}

export async function runGeneration(env: AppEnv, sessionId: string, logger: Logger): Promise<void> {
  const cache = createCache(env, logger);
  const ran = await singleFlight.runIfIdle(
    `blog:generate:${sessionId}`,
    async () => {
      const db = blogDb(env);
      let setup;
      try {
        setup = await loadAgents(db, PIPELINE_AGENTS);
      } catch (err) {
        // The key or a model was removed after the session was queued.
        const reason = err instanceof HttpProblem ? (err.detail ?? err.title) : "the agents could not be loaded";
        await failSession(db, sessionId, {
          agent: "pipeline",
          model: null,
          promptTokens: 0,
          completionTokens: 0,
          totalTokens: 0,
          durationMs: 0,
          outcome: "error",
          error: reason,
          finishedAt: new Date().toISOString(),
        });
        return true;
      }
      await runPipeline(env, sessionId, setup, logger);
      return true;
    },
    { redis: cache.redis, lockKey: `blog:generate:${sessionId}:lock`, lockTtlMs: blogConfig(env).generationTimeoutMs, logger },
  );
  if (!ran) logger.warn("blog generation already running elsewhere; skipped", { sessionId });
}

export const blogJobs: JobTable = {
  [GENERATE_JOB]: (body, { env, logger }) => runGeneration(env, String(body.sessionId), logger.child({ sessionId: body.sessionId })),
};
