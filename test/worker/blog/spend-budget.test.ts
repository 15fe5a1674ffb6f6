/**
 * The global daily model budget (src/db/spend-budget.ts) on the blog's model calls: counted in Redis, in Postgres
 * (platform.spend_counters) while Redis is down; over it, a request gets 429 + Retry-After until 00:00 UTC and a
 * queued generation fails with that reason. The budget is global, so each test reads today's count first and sets
 * LLM_DAILY_CALL_BUDGET just above it.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { control, redisCommand, sql, testEnv, uniq } from "../helpers";
import { callWith, chatApi, jsonRequest, newStore, seedAgents, storePages } from "./helpers";
import { runGeneration } from "../../../functions/blog/jobs";
import { createLogger } from "../../../src/core/logger";
import { spendKeys, utcDay } from "../../../src/db/spend-budget";

const voice = { tone: "warm", personality: [], audience: "", vocabulary: [], avoid: [], summary: "s" };
const keys = () => spendKeys("llm", utcDay());
const redisCalls = async () => Number((await redisCommand<string | null>("GET", keys().calls)) ?? 0);
const redisTokens = async () => Number((await redisCommand<string | null>("GET", keys().tokens)) ?? 0);
const pgRow = async () =>
  (
    await sql<{ calls: number; tokens: string }>(
      `SELECT calls, tokens FROM platform.spend_counters WHERE scope = 'llm' AND day = (now() AT TIME ZONE 'utc')::date`,
    )
  )[0] ?? {
    calls: 0,
    tokens: "0",
  };
const analyse = (budget: number) =>
  callWith({ LLM_DAILY_CALL_BUDGET: String(budget) }, "/v1/blog/brand-voice", jsonRequest({ url: newStore("spend") }));
const secondsToMidnight = () => {
  const now = new Date();
  return (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000;
};

beforeAll(() => seedAgents());
beforeEach(async () => {
  await chatApi.reset();
  await storePages.reset();
  await chatApi.rules([{ json: voice }]);
});
afterEach(() => control("/redis/start"));

async function expectExhausted(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const retry = Number(res.headers.get("retry-after"));
  expect(Math.abs(retry - secondsToMidnight())).toBeLessThan(60);
  expect((await res.json<any>()).type).toBe("/problems/model-budget-exhausted");
}

describe("global daily model budget", () => {
  it("with Redis up: counted in Redis (calls and tokens); the call over LLM_DAILY_CALL_BUDGET is refused with 429 before the model is asked", async () => {
    const before = await redisCalls();
    const tokensBefore = await redisTokens();
    const pgBefore = await pgRow();
    expect((await analyse(before + 1)).status).toBe(200);
    await expectExhausted(await analyse(before + 1));
    expect((await chatApi.calls()).count).toBe(1);
    expect(await redisCalls()).toBe(before + 2);
    expect(await redisTokens()).toBeGreaterThan(tokensBefore);
    expect(Number(await redisCommand("TTL", keys().calls))).toBeGreaterThan(86_400);
    // Postgres was not involved
    expect(await pgRow()).toEqual(pgBefore);
  });

  it("with Redis down: Postgres counts (platform.spend_counters) and enforces the same cap", async () => {
    await control("/redis/stop");
    const before = (await pgRow()).calls;
    expect((await analyse(before + 1)).status).toBe(200);
    await expectExhausted(await analyse(before + 1));
    expect((await chatApi.calls()).count).toBe(1);
    const row = await pgRow();
    expect(row.calls).toBe(before + 2);
    expect(Number(row.tokens)).toBeGreaterThan(0);
  });

  it("a queued generation over the budget fails the session with that reason, before any model call", async () => {
    const dress = uniq("sd");
    await sql(`INSERT INTO blog.cached_dresses (external_id, name, expires_at) VALUES ($1, $1, now() + interval '1 day')`, [dress]);
    const [row] = await sql<{ id: string }>(
      `INSERT INTO blog.blog_sessions (status, selected_dress_ids, agent_log) VALUES ('generating', $1, '[]') RETURNING id`,
      [JSON.stringify([dress])],
    );
    // at least one call today, so the budget can be set to exactly what was used (0 would mean "default")
    await redisCommand("INCR", keys().calls);
    const used = await redisCalls();
    await runGeneration({ ...testEnv, LLM_DAILY_CALL_BUDGET: String(used) } as typeof testEnv, row!.id, createLogger("error"));
    const [s] = await sql<{ status: string; agent_log: string }>(`SELECT status, agent_log FROM blog.blog_sessions WHERE id = $1`, [
      row!.id,
    ]);
    expect(s!.status).toBe("failed");
    const log = JSON.parse(s!.agent_log);
    expect(log.at(-1)).toMatchObject({ agent: "blog-writer", outcome: "error" });
    expect(log.at(-1).error).toMatch(/budget.*LLM_DAILY_CALL_BUDGET/);
    expect((await chatApi.calls()).count).toBe(0);
  });
});
