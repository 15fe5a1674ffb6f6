/**
 * The six agents of seed 001 and the one thing they do: an OpenAI-compatible chat-completions call
 * (`OPENROUTER_BASE_URL`, default OpenRouter; src/core/chat-completions.ts) with the agent's model, temperature
 * and max tokens from `agent_model_configs` and the API key from `app_settings.openrouter_api_key`. The seed's
 * Mastra-style ids (`openrouter/anthropic/claude-…`) are sent as the provider expects them (LLM_MODEL_PREFIXES).
 */
import { eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { type ChatAnswer, type ChatMessage, chatCompletion } from "../../src/core/chat-completions";
import { unavailable } from "../../src/core/problem";
import { chargeModelCall, recordTokens, type SpendDeps } from "../../src/db/spend-budget";
import { UpstreamError } from "../../src/core/upstream";
import type { blogConfig } from "./config";
import type { BlogDb } from "./db";
import { agentModelConfigs, appSettings } from "./schema";

export const AGENT_IDS = [
  "brand-voice-analyzer",
  "blog-writer",
  "blog-editor",
  "seo-specialist",
  "senior-editor",
  "blog-reviewer",
] as const;
export type AgentId = (typeof AGENT_IDS)[number];
export const API_KEY_SETTING = "openrouter_api_key";
export const LLM = "language model API";

export interface AgentModel {
  agentId: AgentId;
  modelId: string;
  temperature: number;
  maxTokens: number;
}

export interface AgentSetup {
  apiKey: string;
  models: Map<AgentId, AgentModel>;
}

/** The two reads behind an AgentSetup, to put into a caller's db.batch (so they cost no round trip of their own). */
export function agentQueries(db: BlogDb, ids: readonly AgentId[]) {
  return [
    db
      .select()
      .from(agentModelConfigs)
      .where(inArray(agentModelConfigs.agentId, [...ids])),
    db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, API_KEY_SETTING)),
  ] as const;
}

type AgentRows = [Awaited<ReturnType<typeof agentQueries>[0]>, Awaited<ReturnType<typeof agentQueries>[1]>];

/** Turns the rows of agentQueries into an AgentSetup; 503 naming what is missing. */
export function toAgentSetup([configs, keys]: AgentRows, ids: readonly AgentId[]): AgentSetup {
  const apiKey = keys[0]?.value.trim();
  if (!apiKey)
    throw unavailable(
      `No language model API key is configured: an admin must set the app setting "${API_KEY_SETTING}" (PUT /v1/blog/admin/settings/${API_KEY_SETTING}).`,
      60,
    );
  const models = new Map<AgentId, AgentModel>();
  for (const c of configs) {
    const temperature = Number(c.temperature ?? "0.7");
    const maxTokens = Number(c.maxTokens ?? "4096");
    models.set(c.agentId as AgentId, {
      agentId: c.agentId as AgentId,
      modelId: c.modelId,
      temperature: Number.isFinite(temperature) ? Math.min(2, Math.max(0, temperature)) : 0.7,
      maxTokens: Number.isInteger(maxTokens) && maxTokens > 0 ? maxTokens : 4096,
    });
  }
  const missing = ids.filter((id) => !models.has(id));
  if (missing.length)
    throw unavailable(`No model is configured for the agent(s) ${missing.join(", ")}: an admin must add them to agent_model_configs.`, 60);
  return { apiKey, models };
}

/** SQL that is true when toAgentSetup would succeed: guards a write that must not happen without agents. */
export function agentsReadySql(ids: readonly AgentId[]) {
  return sql`(EXISTS (SELECT 1 FROM ${appSettings} WHERE ${appSettings.key} = ${API_KEY_SETTING} AND btrim(${appSettings.value}) <> '')
    AND (SELECT count(DISTINCT ${agentModelConfigs.agentId}) FROM ${agentModelConfigs} WHERE ${inArray(agentModelConfigs.agentId, [...ids])}) = ${ids.length})`;
}

/** Reads the agents' configs and the API key in one round trip; 503 naming what is missing. */
export async function loadAgents(db: BlogDb, ids: readonly AgentId[]): Promise<AgentSetup> {
  const [configs, keys] = await db.batch(agentQueries(db, ids));
  return toAgentSetup([configs, keys], ids);
}

export type { ChatMessage };

export interface AgentAnswer extends ChatAnswer {
  durationMs: number;
}

/**
 * One agent's call: the platform's chat completion with the agent's model (translated per provider), temperature
 * and max tokens, counted against the global daily model budget (src/db/spend-budget.ts) when `spend` is given.
 */
export async function callAgent(
  cfg: ReturnType<typeof blogConfig>,
  apiKey: string,
  model: AgentModel,
  messages: ChatMessage[],
  opts: { json?: boolean; spend?: SpendDeps } = {},
): Promise<AgentAnswer> {
  if (opts.spend) await chargeModelCall(opts.spend);
  const t0 = Date.now();
  const answer = await chatCompletion({
    baseUrl: cfg.llmBaseUrl,
    apiKey,
    model: model.modelId,
    modelPrefixes: cfg.llmModelPrefixes,
    temperature: model.temperature,
    maxTokens: model.maxTokens,
    messages,
    json: opts.json,
    timeoutMs: cfg.llmTimeoutMs,
    upstream: LLM,
    title: "edge-backend blog",
  });
  if (opts.spend) await recordTokens(opts.spend, answer.totalTokens);
  return { ...answer, durationMs: Date.now() - t0 };
}

/** Parses an agent's JSON answer (models sometimes fence it in ```json … ```); UpstreamError when it does not fit. */
export function parseJsonAnswer<S extends z.ZodType>(content: string, schema: S): z.infer<S> {
  const unfenced = content.replace(/^```(?:json)?\s*/i, "").replace(/\s*```$/, "");
  let value: unknown;
  try {
    value = JSON.parse(unfenced);
  } catch {
    throw new UpstreamError(LLM, { kind: "invalid", message: "the answer is not JSON" });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new UpstreamError(LLM, {
      kind: "invalid",
      message: `the answer does not fit (${first?.path.join(".") || "value"}: ${first?.message})`,
    });
  }
  return parsed.data;
}
