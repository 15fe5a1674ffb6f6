/**
 * The influencer module's environment (all optional; declared here, not in src/env.ts).
 * Clerk's own variables (CLERK_JWT_KEY, CLERK_JWKS_URL, CLERK_AUTHORIZED_PARTIES, CLERK_ISSUER) are read by the
 * platform's clerkAuth().
 */
import { sweepBatchSize } from "../../src/cron/batches";
import { type AppEnv, intVar } from "../../src/env";

export interface InfluencerEnv extends AppEnv {
  /** Svix signing secret of the Clerk webhook endpoint (`whsec_…`). */
  CLERK_WEBHOOK_SECRET?: string;
  /** Comma-separated Clerk user ids that are admins whatever user_profiles.is_admin says (the seed's "works with environment variables"). */
  INFLUENCER_ADMIN_USER_IDS?: string;
  /** Base URL of the scraper API (POST <url>/search). */
  SCRAPER_API_URL?: string;
  SCRAPER_API_KEY?: string;
  /** Milliseconds one scraper page may take. Default 10000. */
  SCRAPER_TIMEOUT_MS?: string;
  /** QStash: when URL and token are set, steps are published there; otherwise they go to the JOBS queue. */
  QSTASH_URL?: string;
  QSTASH_TOKEN?: string;
  QSTASH_CURRENT_SIGNING_KEY?: string;
  QSTASH_NEXT_SIGNING_KEY?: string;
  /** Milliseconds a QStash publish may take before the step is left to the lost-step sweep. Default 3000. */
  QSTASH_PUBLISH_TIMEOUT_MS?: string;
  /** Public origin of this Worker (e.g. https://api.example.com): where QStash delivers steps. */
  INFLUENCER_PUBLIC_URL?: string;
  /** "testing" or "production": which system_configurations limits apply. Default: production only when APP_ENV is. */
  INFLUENCER_LIMITS?: string;
  /** A job with no step for this long (ms) has its step re-sent by the sweep. Default 120000. */
  INFLUENCER_STEP_STALL_MS?: string;
}

export function influencerConfig(raw: AppEnv) {
  const env = raw as InfluencerEnv;
  const limits: "testing" | "production" =
    (env.INFLUENCER_LIMITS ?? (env.APP_ENV === "production" ? "production" : "testing")) === "production" ? "production" : "testing";
  return {
    webhookSecret: env.CLERK_WEBHOOK_SECRET,
    adminIds: new Set(
      (env.INFLUENCER_ADMIN_USER_IDS ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    scraperUrl: (env.SCRAPER_API_URL ?? "").replace(/\/+$/, ""),
    scraperKey: env.SCRAPER_API_KEY,
    scraperTimeoutMs: intVar(env.SCRAPER_TIMEOUT_MS, 10_000),
    qstash:
      env.QSTASH_URL && env.QSTASH_TOKEN && env.INFLUENCER_PUBLIC_URL
        ? { url: env.QSTASH_URL, token: env.QSTASH_TOKEN, publicUrl: env.INFLUENCER_PUBLIC_URL.replace(/\/+$/, "") }
        : null,
    signingKeys:
      env.QSTASH_CURRENT_SIGNING_KEY && env.QSTASH_NEXT_SIGNING_KEY
        ? { currentKey: env.QSTASH_CURRENT_SIGNING_KEY, nextKey: env.QSTASH_NEXT_SIGNING_KEY }
        : null,
    publicUrl: env.INFLUENCER_PUBLIC_URL?.replace(/\/+$/, ""),
    publishTimeoutMs: intVar(env.QSTASH_PUBLISH_TIMEOUT_MS, 3000),
    limits,
    stepStallMs: intVar(env.INFLUENCER_STEP_STALL_MS, 120_000),
    sweepBatch: sweepBatchSize(env),
  };
}
export type InfluencerConfig = ReturnType<typeof influencerConfig>;
