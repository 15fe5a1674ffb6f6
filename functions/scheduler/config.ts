/** The scheduler's own env vars, parsed in one place (all optional except SCHEDULER_SECRET_KEY for endpoint secrets). */
import { sweepBatchSize } from "../../src/cron/batches";
import { type AppEnv, intVar } from "../../src/env";

export interface SchedulerEnv extends AppEnv {
  /** base64 of 32 random bytes: the AES-GCM key endpoint secrets are encrypted with */
  SCHEDULER_SECRET_KEY?: string;
  /** OpenAI-compatible chat-completions base URL for the LLM step; default OPENROUTER_BASE_URL */
  SCHEDULER_LLM_BASE_URL?: string;
  SCHEDULER_LLM_API_KEY?: string;
  SCHEDULER_LLM_TIMEOUT_MS?: string;
  /** jobs one cron run claims at most (default 500) */
  SCHEDULER_CLAIM_BATCH?: string;
  /** how long a claim holds a job before another run may take it over (default 600000 = 10 min) */
  SCHEDULER_LEASE_MS?: string;
  /** consecutive failed runs after which a job is paused (default 5) */
  SCHEDULER_MAX_FAILURES?: string;
  /** a task RUNNING for longer than this is failed by the sweep (default 900000 = 15 min) */
  SCHEDULER_TASK_TIMEOUT_MS?: string;
  /** comma list of hosts endpoints may use although private (tests: 127.0.0.1) */
  OUTBOUND_ALLOW_HOSTS?: string;
}

export function schedulerConfig(env: AppEnv) {
  const e = env as SchedulerEnv;
  return {
    secretKey: e.SCHEDULER_SECRET_KEY,
    llmBaseUrl: (e.SCHEDULER_LLM_BASE_URL || e.OPENROUTER_BASE_URL || "https://openrouter.ai/api/v1").replace(/\/+$/, ""),
    llmApiKey: e.SCHEDULER_LLM_API_KEY,
    llmTimeoutMs: intVar(e.SCHEDULER_LLM_TIMEOUT_MS, 60_000),
    claimBatch: intVar(e.SCHEDULER_CLAIM_BATCH, 500),
    leaseMs: intVar(e.SCHEDULER_LEASE_MS, 600_000),
    maxFailures: intVar(e.SCHEDULER_MAX_FAILURES, 5),
    taskTimeoutMs: intVar(e.SCHEDULER_TASK_TIMEOUT_MS, 900_000),
    sweepBatch: sweepBatchSize(e),
  };
}
