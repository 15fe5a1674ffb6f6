/**
 * @upstash/ratelimit through the Upstash REST stand-in on real Redis 7.0: its Lua
 * scripts carry `#!lua flags=allow-key-locking`, which only works because the
 * stand-in rewrites the shebang and maps EVALSHA hashes. Windows are 1 s, aligned
 * to a window boundary so that every count below is exact.
 */
import { Ratelimit } from "@upstash/ratelimit";
import { describe, expect, it } from "vitest";
import { nextWindow, sleep, uniquePrefix, useUpstash } from "./upstash-fixtures.js";

const up = useUpstash();

function limiter(limiter: ReturnType<typeof Ratelimit.fixedWindow>, prefix: string): Ratelimit {
  // No ephemeral cache: every decision below must come from Redis, not from the client's memory.
  return new Ratelimit({ redis: up.redis, limiter, prefix, ephemeralCache: false, timeout: 0 });
}

async function run(rl: Ratelimit, id: string, n: number): Promise<[boolean, number, number][]> {
  const out: [boolean, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const r = await rl.limit(id);
    expect(r.reason).toBeUndefined();
    await r.pending;
    out.push([r.success, r.remaining, r.limit]);
  }
  return out;
}

describe("@upstash/ratelimit through the stand-in", () => {
  it("fixedWindow: 3 per second, the 4th is denied, the next window allows again", async () => {
    const p = uniquePrefix("rl-fixed").slice(0, -1);
    const rl = limiter(Ratelimit.fixedWindow(3, "1 s"), p);
    const w = await nextWindow(1000);
    up.fx.rest.stats.reset();
    const first = await rl.limit("user");
    expect(up.fx.rest.stats.requests).toBe(2); // EVALSHA → NOSCRIPT, then EVAL
    expect([first.success, first.remaining, first.limit, first.reset]).toEqual([true, 2, 3, (w + 1) * 1000]);
    up.fx.rest.stats.reset();
    expect(await run(rl, "user", 3)).toEqual([
      [true, 1, 3],
      [true, 0, 3],
      [false, 0, 3],
    ]);
    expect(up.fx.rest.stats.requests).toBe(3);
    expect(await up.fx.raw("GET", `${p}:user:${w}`)).toBe("4");
    const pttl = (await up.fx.raw("PTTL", `${p}:user:${w}`)) as number;
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(1000);

    await nextWindow(1000);
    expect(await run(rl, "user", 1)).toEqual([[true, 2, 3]]);
    expect(await run(rl, "other", 1)).toEqual([[true, 2, 3]]);
  });

  it("fixedWindow: rate, getRemaining and resetUsedTokens", async () => {
    const p = uniquePrefix("rl-reset").slice(0, -1);
    const rl = limiter(Ratelimit.fixedWindow(5, "1 s"), p);
    await nextWindow(1000);
    const r = await rl.limit("u", { rate: 3 });
    expect([r.success, r.remaining]).toEqual([true, 2]);
    expect((await rl.getRemaining("u")).remaining).toBe(2);
    expect((await rl.limit("u", { rate: 3 })).success).toBe(false);
    await rl.resetUsedTokens("u");
    expect((await rl.getRemaining("u")).remaining).toBe(5);
    expect(await run(rl, "u", 1)).toEqual([[true, 4, 5]]);
  });

  it("slidingWindow: 3 per second, weighted by the previous window", async () => {
    const p = uniquePrefix("rl-sliding").slice(0, -1);
    const rl = limiter(Ratelimit.slidingWindow(3, "1 s"), p);
    const w = await nextWindow(1000);
    expect(await run(rl, "user", 4)).toEqual([
      [true, 2, 3],
      [true, 1, 3],
      [true, 0, 3],
      [false, 0, 3],
    ]);
    // Denied calls do not count: the window holds 3.
    expect(await up.fx.raw("GET", `${p}:user:${w}`)).toBe("3");

    // 10 ms into the next window the previous one still weighs floor(0.99 * 3) = 2.
    await nextWindow(1000);
    expect(await run(rl, "user", 2)).toEqual([
      [true, 0, 3],
      [false, 0, 3],
    ]);

    // One window later the previous window held 1 request: floor(0.99 * 1) = 0.
    await nextWindow(1000);
    expect(await run(rl, "user", 1)).toEqual([[true, 2, 3]]);
  });

  it("tokenBucket: 3 tokens, 1 refilled per second", async () => {
    const p = uniquePrefix("rl-bucket").slice(0, -1);
    const rl = limiter(Ratelimit.tokenBucket(1, "1 s", 3), p);
    const first = await rl.limit("user");
    expect([first.success, first.remaining, first.limit]).toEqual([true, 2, 3]);
    expect(await run(rl, "user", 3)).toEqual([
      [true, 1, 3],
      [true, 0, 3],
      [false, 0, 3],
    ]);
    expect(await up.fx.raw("HGET", `${p}:user`, "tokens")).toBe("0");

    await sleep(first.reset - Date.now() + 10);
    expect(await run(rl, "user", 2)).toEqual([
      [true, 0, 3],
      [false, 0, 3],
    ]);
    expect(await up.fx.raw("HGET", `${p}:user`, "refilledAt")).toBe(String(first.reset));
  });

  it("deny list (enableProtection): a listed identifier is denied via EVAL", async () => {
    const p = uniquePrefix("rl-deny").slice(0, -1);
    // "disabled" status keeps the library from downloading the public IP deny list.
    await up.fx.raw("SET", `${p}:ipDenyListStatus`, "disabled");
    await up.fx.raw("SADD", `${p}:denyList:all`, `${p}-blocked`);
    const rl = new Ratelimit({
      redis: up.redis,
      limiter: Ratelimit.fixedWindow(3, "1 s"),
      prefix: p,
      ephemeralCache: false,
      timeout: 0,
      enableProtection: true,
    });
    const denied = await rl.limit(`${p}-blocked`);
    expect([denied.success, denied.remaining, denied.reason, denied.deniedValue]).toEqual([false, 0, "denyList", `${p}-blocked`]);
    const ok = await rl.limit(`${p}-fine`);
    expect([ok.success, ok.remaining, ok.reason]).toEqual([true, 2, undefined]);
  });
});
