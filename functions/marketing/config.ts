/** The marketing module's vars (all optional) and the settings read from them with defaults. */
import { sweepBatchSize } from "../../src/cron/batches";
import { type AppEnv, intVar } from "../../src/env";

/** Vars only the marketing module reads; set them in wrangler.toml [vars] or as secrets. */
export interface MarketingEnv extends AppEnv {
  /** OpenAI-compatible API the skill runner calls. Default https://openrouter.ai/api/v1. */
  MARKETING_LLM_BASE_URL?: string;
  /** Secret: the bearer key of that API. Without it, executed runs fail with a message naming this var. */
  MARKETING_LLM_API_KEY?: string;
  /** Model id, translated for the provider by LLM_MODEL_PREFIXES (src/core/chat-completions.ts). Default anthropic/claude-sonnet-4. */
  MARKETING_LLM_MODEL?: string;
  /** max_tokens of one answer. Default 4096. */
  MARKETING_LLM_MAX_TOKENS?: string;
  /** Milliseconds one model call may take. Default 120000. */
  MARKETING_LLM_TIMEOUT_MS?: string;
  /** A run queued or running for longer than this is failed by the stuck-run sweep. Default 1800000 (30 min). */
  MARKETING_STUCK_RUN_MS?: string;
  /** Largest skill or client file accepted by the file routes, in bytes. Default 1048576 (1 MiB; the app-wide MAX_BODY_BYTES still applies). */
  MARKETING_FILE_MAX_BYTES?: string;
  /** R2 objects under `outputs/` with no row are removed by the orphan sweep once this old. Default 3600000 (1 hour). */
  MARKETING_ORPHAN_MIN_AGE_MS?: string;
}

/** Rows a sweep touches per statement: fewer than the platform default, each output row also costs an R2 delete. */
export const SWEEP_BATCH = 500;
/** Skill and client context files given to the model: at most this many, of at most this many bytes in all. */
export const MAX_CONTEXT_FILES = 50;
export const MAX_CONTEXT_BYTES = 256 * 1024;

export function marketingConfig(env: MarketingEnv) {
  return {
    llmBaseUrl: (env.MARKETING_LLM_BASE_URL || "https://openrouter.ai/api/v1").replace(/\/+$/, ""),
    llmApiKey: env.MARKETING_LLM_API_KEY?.trim() || null,
    llmModel: env.MARKETING_LLM_MODEL?.trim() || "anthropic/claude-sonnet-4",
    llmModelPrefixes: env.LLM_MODEL_PREFIXES,
    llmMaxTokens: intVar(env.MARKETING_LLM_MAX_TOKENS, 4096),
    llmTimeoutMs: intVar(env.MARKETING_LLM_TIMEOUT_MS, 120_000),
    stuckRunMs: intVar(env.MARKETING_STUCK_RUN_MS, 30 * 60_000),
    fileMaxBytes: intVar(env.MARKETING_FILE_MAX_BYTES, 1024 * 1024),
    orphanMinAgeMs: intVar(env.MARKETING_ORPHAN_MIN_AGE_MS, 60 * 60_000),
    sweepBatch: sweepBatchSize(env, SWEEP_BATCH),
  };
}
