/** The chat module's settings, read from vars/secrets with defaults; declared here, not in src/env.ts. */
import { sweepBatchSize } from "../../src/cron/batches";
import { type AppEnv, intVar } from "../../src/env";
import type { SubscriptionPlan } from "./schema";

export type ChatEnv = AppEnv & {
  /** OpenAI-compatible API base URL for chat and workflows; default OPENROUTER_BASE_URL, then OpenRouter. */
  CHAT_LLM_BASE_URL?: string;
  /** Secret: the API key of that API. */
  CHAT_LLM_API_KEY?: string;
  /** Model id used when a conversation or agent names none. */
  CHAT_LLM_MODEL?: string;
  /** Milliseconds a model call (a whole stream) may take. Default 120000. */
  CHAT_LLM_TIMEOUT_MS?: string;
  /** Milliseconds the model API may take to start answering a chat turn before it answers 503. Default 15000. */
  CHAT_LLM_CONNECT_TIMEOUT_MS?: string;
  /** Chat turns and workflow starts per minute per user (they spend model tokens). Default 20. */
  CHAT_LLM_RATE_LIMIT?: string;
  /** Messages of history sent with a chat turn (most recent). Default 50. */
  CHAT_HISTORY_MESSAGES?: string;
  /** Agent instances a user without an active subscription may keep (the free plan). Default 3. */
  CHAT_FREE_AGENT_LIMIT?: string;
  /** Agent limits of the paid plans when Stripe's metadata names none: "pro:10,enterprise:100". */
  CHAT_PLAN_AGENT_LIMITS?: string;
  /** Stripe price id → plan: "price_abc:pro,price_def:enterprise". */
  CHAT_STRIPE_PRICE_PLANS?: string;
  /** Secret: Stripe webhook signing secret(s), comma-separated while rotating. */
  STRIPE_WEBHOOK_SECRET?: string;
  /** A workflow pending/running with no progress for this long is failed by the sweep. Default 900000 (15 min). */
  CHAT_WORKFLOW_TIMEOUT_MS?: string;
  /** A subscription stays active this long past stripe_current_period_end without a renewal event. Default 259200000 (3 days). */
  CHAT_SUBSCRIPTION_GRACE_MS?: string;
  /** Seconds GET /me and the public agent catalogue are served from Redis. Default 300. */
  CHAT_CACHE_TTL_SECONDS?: string;
};

const DEFAULT_PLAN_LIMITS: Record<SubscriptionPlan, number> = { free: 3, pro: 10, enterprise: 100 };

function pairs(raw: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (raw ?? "").split(",")) {
    const i = part.lastIndexOf(":");
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

export function chatConfig(appEnv: AppEnv) {
  const env = appEnv as ChatEnv;
  const limits = { ...DEFAULT_PLAN_LIMITS };
  for (const [plan, n] of pairs(env.CHAT_PLAN_AGENT_LIMITS)) {
    if (plan in limits && /^\d+$/.test(n)) limits[plan as SubscriptionPlan] = Number(n);
  }
  if (env.CHAT_FREE_AGENT_LIMIT !== undefined && /^\d+$/.test(env.CHAT_FREE_AGENT_LIMIT)) limits.free = Number(env.CHAT_FREE_AGENT_LIMIT);
  return {
    llmBaseUrl: (env.CHAT_LLM_BASE_URL || env.OPENROUTER_BASE_URL || "https://openrouter.ai/api/v1").replace(/\/+$/, ""),
    llmApiKey: env.CHAT_LLM_API_KEY?.trim() ?? "",
    llmModel: env.CHAT_LLM_MODEL?.trim() || "openai/gpt-4o-mini",
    llmTimeoutMs: intVar(env.CHAT_LLM_TIMEOUT_MS, 120_000),
    llmConnectTimeoutMs: intVar(env.CHAT_LLM_CONNECT_TIMEOUT_MS, 15_000),
    llmRateLimit: intVar(env.CHAT_LLM_RATE_LIMIT, 20),
    historyMessages: intVar(env.CHAT_HISTORY_MESSAGES, 50),
    planLimits: limits,
    pricePlans: pairs(env.CHAT_STRIPE_PRICE_PLANS),
    stripeSecrets: (env.STRIPE_WEBHOOK_SECRET ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    workflowTimeoutMs: intVar(env.CHAT_WORKFLOW_TIMEOUT_MS, 15 * 60_000),
    subscriptionGraceMs: intVar(env.CHAT_SUBSCRIPTION_GRACE_MS, 3 * 24 * 3600_000),
    cacheTtlSeconds: intVar(env.CHAT_CACHE_TTL_SECONDS, 300),
    sweepBatch: sweepBatchSize(env),
  };
}
export type ChatConfig = ReturnType<typeof chatConfig>;
