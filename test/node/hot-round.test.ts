/**
 * src/cache/hot-round.ts through the Upstash stand-in on real Redis: cache reads and sliding-window rate
 * limits travel in one HTTP request, and the decisions are exact. Windows are 1 s, aligned to a boundary.
 */
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { durationMs, hotRound, refund } from "../../src/cache/hot-round";
import { sleep, TOKEN, type UpstashFixture, upstashFixture, uniquePrefix } from "./upstash-fixtures.js";

let fx: UpstashFixture;
let redis: Redis;

beforeAll(async () => {
  fx = await upstashFixture(inject("redisPort"));
  redis = new Redis({ url: fx.rest.url, token: TOKEN, enableTelemetry: false });
});
afterAll(async () => {
  await fx?.close();
});

async function nextWindow(windowMs: number): Promise<number> {
  await sleep(windowMs - (Date.now() % windowMs) + 10);
  return Math.floor(Date.now() / windowMs);
}

describe("hotRound", () => {
  it("reads keys and decides a limit in one request", async () => {
    const p = uniquePrefix("hot");
    await redis.set(`${p}a`, { v: 1 });
    const spec = { prefix: `${p}rl`, id: "u", limit: 2, windowMs: 1000 };
    const w = await nextWindow(1000);
    fx.rest.stats.reset();
    const r = await hotRound(redis as never, [`${p}a`, `${p}missing`], [spec]);
    expect(fx.rest.stats.requests).toBe(1);
    expect(r.values.get(`${p}a`)).toEqual({ v: 1 });
    expect(r.values.get(`${p}missing`)).toBeNull();
    expect(r.limits.get(`${p}rl:u`)).toMatchObject({ success: true, limit: 2, remaining: 1, reset: (w + 1) * 1000 });
    expect((await hotRound(redis as never, [], [spec])).limits.get(`${p}rl:u`)).toMatchObject({ success: true, remaining: 0 });
    const refused = (await hotRound(redis as never, [], [spec])).limits.get(`${p}rl:u`)!;
    expect(refused).toMatchObject({ success: false, remaining: 0 });
    // a refusal is given back: the counter holds the 2 requests that passed
    await refund(redis as never, refused);
    expect(await fx.raw("GET", `${p}rl:u:${w}`)).toBe("2");
    const pttl = (await fx.raw("PTTL", `${p}rl:u:${w}`)) as number;
    expect(pttl).toBeGreaterThan(1000);
    expect(pttl).toBeLessThanOrEqual(3000);
  });

  it("weights the previous window by its overlap (sliding window)", async () => {
    const p = uniquePrefix("slide");
    const spec = { prefix: `${p}rl`, id: "u", limit: 4, windowMs: 1000 };
    const w = await nextWindow(1000);
    // 4 requests in the previous window, seen ~10 ms into this one: weight ≈ 0.99 → floor(3.96) = 3 still count
    await fx.raw("SET", `${p}rl:u:${w - 1}`, "4");
    const first = (await hotRound(redis as never, [], [spec])).limits.get(`${p}rl:u`)!;
    expect(first).toMatchObject({ success: true, remaining: 0 });
    expect((await hotRound(redis as never, [], [spec])).limits.get(`${p}rl:u`)!.success).toBe(false);
  });

  it("parses durations", () => {
    expect([durationMs("1 m"), durationMs("10 s"), durationMs("500ms"), durationMs("1 h")]).toEqual([60_000, 10_000, 500, 3_600_000]);
    expect(() => durationMs("soon")).toThrow();
  });
});
