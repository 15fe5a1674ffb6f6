/** The blog module's settings, read from vars with defaults (see AppEnv in src/env.ts). */
import { type AppEnv, intVar } from "../../src/env";

/** Redis keeps a dress page or a brand voice for 5 minutes (seed 001: "Valkey, 5-min TTL"). */
export const HOT_TTL_SECONDS = 300;
/** Postgres keeps a dress for 24 hours and a brand voice for 7 days (seed 001). */
export const DRESS_TTL = "24 hours";
export const BRAND_VOICE_TTL = "7 days";
/** Upstream page size when mirroring a listing. */
export const MIRROR_PAGE_SIZE = 100;
/**
 * Rows a sweep deletes or updates per statement (SWEEP_BATCH_SIZE): 2000 keeps one statement well under
 * 100 ms on a cold cache table, while a million rows clear in about 500 statements.
 */
export const SWEEP_BATCH = 2000;

export function blogConfig(env: AppEnv) {
  const dressTimeoutMs = intVar(env.DRESS_API_TIMEOUT_MS, 5000);
  return {
    dressApiUrl: (env.DRESS_API_URL ?? "").replace(/\/+$/, ""),
    dressTimeoutMs,
    mirrorMaxPages: intVar(env.DRESS_MIRROR_MAX_PAGES, 10),
    // A leader holds the lock for about one upstream call; followers wait that long before loading themselves.
    lockTtlMs: dressTimeoutMs + 2000,
    llmBaseUrl: (env.OPENROUTER_BASE_URL || "https://openrouter.ai/api/v1").replace(/\/+$/, ""),
    llmTimeoutMs: intVar(env.OPENROUTER_TIMEOUT_MS, 60_000),
    generationTimeoutMs: intVar(env.BLOG_GENERATION_TIMEOUT_MS, 15 * 60_000),
    rateLimit: intVar(env.BLOG_RATE_LIMIT, 120),
    llmRateLimit: intVar(env.BLOG_LLM_RATE_LIMIT, 10),
    sweepBatch: intVar(env.SWEEP_BATCH_SIZE, SWEEP_BATCH),
  };
}
