/**
 * Brand voice analysis per store URL, read through Redis (5 min) → Postgres `brand_voice_cache` (7 days)
 * → the store's pages (store-reader.ts) and the brand-voice-analyzer agent. Concurrent misses for one URL
 * make one store read and one LLM call.
 */
import { readThrough, type ReadResult, type ReadThroughDeps } from "../../src/cache/read-through";
import type { AppEnv } from "../../src/core/env";
import { HttpProblem } from "../../src/core/problem";
import { BudgetExhausted } from "../../src/db/spend-budget";
import { digest } from "../../src/core/secrets";
import { UpstreamError, upstreamOutageSeconds, upstreamProblem } from "../../src/core/upstream";
import { type AgentId, agentQueries, callAgent, loadAgents, parseJsonAnswer, toAgentSetup } from "./agents";

const ANALYZER: readonly AgentId[] = ["brand-voice-analyzer"];
import { BRAND_VOICE_TTL, HOT_TTL_SECONDS, type blogConfig } from "./config";
import type { BlogDb } from "./db";
import { brandVoicePrompt } from "./prompts";
import { readStore } from "./store-reader";
import { type BrandVoice, type BrandVoiceOut, brandVoiceAnswerSchema, brandVoiceJson } from "./responses";
import { brandVoiceCache } from "./schema";
import { eq, sql } from "drizzle-orm";

export async function brandVoiceKey(url: string) {
  return `blog:brand-voice:v1:${await digest(url)}`;
}

export async function analyseBrandVoice(
  deps: ReadThroughDeps,
  db: BlogDb,
  cfg: ReturnType<typeof blogConfig>,
  url: string,
  env: AppEnv,
): Promise<ReadResult<BrandVoiceOut>> {
  const spend = { env, redis: deps.cache.redis, db, logger: deps.logger };
  // The analyzer's setup rides along with the Postgres read, so a miss costs no extra round trip for it.
  let agentRows: Parameters<typeof toAgentSetup>[0] | undefined;
  return readThrough(deps, {
    key: await brandVoiceKey(url),
    hotTtlSeconds: HOT_TTL_SECONDS,
    lockTtlMs: cfg.store.timeoutMs + cfg.llmTimeoutMs + 2000,
    // An expired analysis is better than none also when today's model budget is used up.
    serveStaleOn: (err) => !(err instanceof HttpProblem && err.status < 500) || err instanceof BudgetExhausted,
    // An outage of the model API is remembered briefly; a missing key or an unusable answer is not.
    failureTtlSeconds: upstreamOutageSeconds,
    durable: {
      async read() {
        const [rows, configs, keys] = await db.batch([
          db.select().from(brandVoiceCache).where(eq(brandVoiceCache.url, url)).limit(1),
          ...agentQueries(db, ANALYZER),
        ]);
        agentRows = [configs, keys];
        const row = rows[0];
        const out = row && brandVoiceJson(row);
        return out ? { value: out, expiresAt: row.expiresAt.getTime() } : null;
      },
    },
    async origin() {
      const { apiKey, models } = agentRows ? toAgentSetup(agentRows, ANALYZER) : await loadAgents(db, ANALYZER);
      let analysis: BrandVoice;
      try {
        const pages = await readStore(url, cfg.store);
        const answer = await callAgent(cfg, apiKey, models.get("brand-voice-analyzer")!, brandVoicePrompt(url, pages), {
          json: true,
          spend,
        });
        analysis = parseJsonAnswer(answer.content, brandVoiceAnswerSchema);
      } catch (err) {
        throw err instanceof UpstreamError ? upstreamProblem(err) : err;
      }
      const [row] = await db
        .insert(brandVoiceCache)
        .values({
          url,
          analysisResult: JSON.stringify(analysis),
          cachedAt: sql`now()`,
          expiresAt: sql`now() + ${BRAND_VOICE_TTL}::interval`,
        })
        .onConflictDoUpdate({
          target: brandVoiceCache.url,
          set: { analysisResult: sql`excluded.analysis_result`, cachedAt: sql`excluded.cached_at`, expiresAt: sql`excluded.expires_at` },
        })
        .returning();
      return { value: brandVoiceJson(row!)!, expiresAt: row!.expiresAt.getTime() };
    },
  });
}
