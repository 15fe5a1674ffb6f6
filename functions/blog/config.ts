/** The blog module's vars (all optional) and the settings read from them with defaults. */
import { outboundAllowList } from "../../src/core/config";
import { sweepBatchSize } from "../../src/cron/batches";
import { type AppEnv, intVar } from "../../src/env";

/** Vars only the blog module reads; set them in wrangler.toml [vars] or as secrets. */
export interface BlogEnv extends AppEnv {
  /** Milliseconds the dress API may take per call before cached (stale) data or a 503 is served. Default 5000. */
  DRESS_API_TIMEOUT_MS?: string;
  /** Upstream pages (of 100) read to mirror one category listing. Default 10. */
  DRESS_MIRROR_MAX_PAGES?: string;
  /** Milliseconds one chat-completions call may take. Default 60000. */
  OPENROUTER_TIMEOUT_MS?: string;
  /** A session in `generating` with no progress for this long is failed by the sweep. Default 900000 (15 min). */
  BLOG_GENERATION_TIMEOUT_MS?: string;
  /** A draft not changed for this many hours is abandoned and deleted by the sweep (freeing its dresses and brand voice). Default 72. */
  BLOG_DRAFT_MAX_AGE_HOURS?: string;
  /** Milliseconds the brand-voice analyzer may spend reading the store's pages (all of them). Default 8000. */
  BLOG_STORE_TIMEOUT_MS?: string;
  /** Bytes read of one store page at most (the rest is not downloaded). Default 524288 (512 KiB). */
  BLOG_STORE_PAGE_MAX_BYTES?: string;
  /** Characters of store text (all pages together) given to the analyzer. Default 12000. */
  BLOG_STORE_MAX_CHARS?: string;
  /** Product pages linked from the home page that are read besides it (and an about page). Default 3. */
  BLOG_STORE_PRODUCT_PAGES?: string;
  /** Requests per minute per client IP on the public blog routes. Default 120. */
  BLOG_RATE_LIMIT?: string;
  /** Requests per minute per client IP on routes that call the LLM (brand voice, generate). Default 10. */
  BLOG_LLM_RATE_LIMIT?: string;
}

/** Redis keeps a dress page or a brand voice for 5 minutes (seed 001: "Valkey, 5-min TTL"). */
export const HOT_TTL_SECONDS = 300;
/** Postgres keeps a dress for 24 hours and a brand voice for 7 days (seed 001). */
export const DRESS_TTL = "24 hours";
export const BRAND_VOICE_TTL = "7 days";
/** Upstream page size when mirroring a listing. */
export const MIRROR_PAGE_SIZE = 100;

export function blogConfig(env: BlogEnv) {
  const dressTimeoutMs = intVar(env.DRESS_API_TIMEOUT_MS, 5000);
  return {
    dressApiUrl: (env.DRESS_API_URL ?? "").replace(/\/+$/, ""),
    dressTimeoutMs,
    mirrorMaxPages: intVar(env.DRESS_MIRROR_MAX_PAGES, 10),
    // A leader holds the lock for about one upstream call; followers wait that long before loading themselves.
    lockTtlMs: dressTimeoutMs + 2000,
    llmBaseUrl: (env.OPENROUTER_BASE_URL || "https://openrouter.ai/api/v1").replace(/\/+$/, ""),
    llmTimeoutMs: intVar(env.OPENROUTER_TIMEOUT_MS, 60_000),
    llmModelPrefixes: env.LLM_MODEL_PREFIXES,
    store: {
      timeoutMs: intVar(env.BLOG_STORE_TIMEOUT_MS, 8000),
      maxPageBytes: intVar(env.BLOG_STORE_PAGE_MAX_BYTES, 512 * 1024),
      maxChars: intVar(env.BLOG_STORE_MAX_CHARS, 12_000),
      productPages: intVar(env.BLOG_STORE_PRODUCT_PAGES, 3),
      allowHosts: outboundAllowList(env),
    },
    generationTimeoutMs: intVar(env.BLOG_GENERATION_TIMEOUT_MS, 15 * 60_000),
    draftMaxAgeHours: intVar(env.BLOG_DRAFT_MAX_AGE_HOURS, 72),
    rateLimit: intVar(env.BLOG_RATE_LIMIT, 120),
    llmRateLimit: intVar(env.BLOG_LLM_RATE_LIMIT, 10),
    sweepBatch: sweepBatchSize(env),
  };
}
