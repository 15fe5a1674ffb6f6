/**
 * A global daily budget for model calls, shared by every module and isolate: LLM_DAILY_CALL_BUDGET calls
 * (default 5000) and LLM_DAILY_TOKEN_BUDGET tokens (default 5,000,000) per UTC day. Per-IP limits hold only
 * per isolate while Redis is down and can be spread over many addresses; this cap cannot.
 *
 * Counted in Redis (one pipeline: INCR of the day's call counter with a 2-day expiry, GET of its token counter);
 * when Redis is not configured, down or slow, in Postgres instead (`platform.spend_counters`, one
 * `INSERT … ON CONFLICT DO UPDATE … RETURNING`), so a Redis outage never removes the cap. The two counters are
 * not merged: on a day with a Redis outage at most twice the budget can be spent.
 *
 * `chargeModelCall` before each call (throws BudgetExhausted: 429 + Retry-After until the next UTC day),
 * `recordTokens` after it. The caller passes the Redis client (src/cache/client.ts createRedis) and a drizzle client.
 */
import type { Redis } from "@upstash/redis/cloudflare";
import { sql } from "drizzle-orm";
import type { NeonHttpDatabase } from "drizzle-orm/neon-http";
import { intVar } from "../core/config";
import type { AppEnv } from "../core/env";
import { errorFields, type Logger } from "../core/logger";
import { HttpProblem } from "../core/problem";
import { spendCounters } from "./platform-schema";

export { spendCounters };

interface BudgetVars {
  LLM_DAILY_CALL_BUDGET?: string;
  LLM_DAILY_TOKEN_BUDGET?: string;
}

export interface SpendDeps {
  env: AppEnv;
  redis: Redis | null;
  // biome-ignore lint/suspicious/noExplicitAny: any module's drizzle client
  db: NeonHttpDatabase<any>;
  logger?: Logger;
  /** default "llm" */
  scope?: string;
  now?: Date;
}

export const LLM_SCOPE = "llm";

export function llmBudget(env: AppEnv) {
  const v = env as AppEnv & BudgetVars;
  return { calls: intVar(v.LLM_DAILY_CALL_BUDGET, 5000), tokens: intVar(v.LLM_DAILY_TOKEN_BUDGET, 5_000_000) };
}

export const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);

/** The Redis keys of a scope's counters for a day. */
export const spendKeys = (scope: string, day: string) => ({ calls: `spend:${scope}:${day}:calls`, tokens: `spend:${scope}:${day}:tokens` });

const secondsToNextUtcDay = (now: Date) => {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
};

export class BudgetExhausted extends HttpProblem {
  constructor(what: "calls" | "tokens", now: Date) {
    const retry = secondsToNextUtcDay(now);
    super({
      status: 429,
      type: "/problems/model-budget-exhausted",
      title: "Model budget exhausted",
      detail: `Today's budget of language model ${what} is used up (${what === "calls" ? "LLM_DAILY_CALL_BUDGET" : "LLM_DAILY_TOKEN_BUDGET"}). It renews at 00:00 UTC, in ${retry} s.`,
      headers: { "Retry-After": String(retry) },
    });
    this.name = "BudgetExhausted";
  }
}

const TWO_DAYS = 2 * 86_400;

/** Counts one model call against today's budget; throws BudgetExhausted when the day's calls or tokens are used up. */
export async function chargeModelCall(deps: SpendDeps): Promise<{ calls: number; tokens: number; store: "redis" | "postgres" }> {
  const now = deps.now ?? new Date();
  const scope = deps.scope ?? LLM_SCOPE;
  const day = utcDay(now);
  const budget = llmBudget(deps.env);
  let counts: { calls: number; tokens: number; store: "redis" | "postgres" } | undefined;
  if (deps.redis) {
    const keys = spendKeys(scope, day);
    try {
      const p = deps.redis.pipeline();
      p.incr(keys.calls);
      p.expire(keys.calls, TWO_DAYS);
      p.get(keys.tokens);
      const [calls, , tokens] = await p.exec<[number, number, number | string | null]>();
      counts = { calls: Number(calls), tokens: Number(tokens ?? 0), store: "redis" };
    } catch (err) {
      deps.logger?.warn("spend budget: Redis unavailable, counting in Postgres", { ...errorFields(err), stack: undefined });
    }
  }
  if (!counts) {
    const [row] = await deps.db
      .insert(spendCounters)
      .values({ scope, day, calls: 1, tokens: 0 })
      .onConflictDoUpdate({ target: [spendCounters.scope, spendCounters.day], set: { calls: sql`${spendCounters.calls} + 1` } })
      .returning({ calls: spendCounters.calls, tokens: spendCounters.tokens });
    counts = { calls: row!.calls, tokens: Number(row!.tokens), store: "postgres" };
  }
  if (counts.calls > budget.calls) throw new BudgetExhausted("calls", now);
  if (counts.tokens >= budget.tokens) throw new BudgetExhausted("tokens", now);
  return counts;
}

/** Adds a call's tokens to today's counter (Redis, else Postgres); never throws. */
export async function recordTokens(deps: SpendDeps, tokens: number): Promise<void> {
  if (!(tokens > 0)) return;
  const now = deps.now ?? new Date();
  const scope = deps.scope ?? LLM_SCOPE;
  const day = utcDay(now);
  try {
    if (deps.redis) {
      const keys = spendKeys(scope, day);
      try {
        const p = deps.redis.pipeline();
        p.incrby(keys.tokens, Math.ceil(tokens));
        p.expire(keys.tokens, TWO_DAYS);
        await p.exec();
        return;
      } catch {
        // fall through to Postgres
      }
    }
    await deps.db
      .insert(spendCounters)
      .values({ scope, day, calls: 0, tokens: Math.ceil(tokens) })
      .onConflictDoUpdate({
        target: [spendCounters.scope, spendCounters.day],
        set: { tokens: sql`${spendCounters.tokens} + excluded.tokens` },
      });
  } catch (err) {
    deps.logger?.warn("spend budget: tokens not recorded", { tokens, ...errorFields(err), stack: undefined });
  }
}
