/**
 * src/cache/hot-round.ts through the Upstash stand-in on real Redis: cache reads and sliding-window rate
 * limits travel in one HTTP request of read commands, the isolate's own count is exact and is committed after the response. Windows are 1 s, aligned to a boundary.
 */
import { describe, expect, it } from "vitest";
import { admit, commitAdmitted, countNow, decide, durationMs, hotRound } from "../../src/cache/hot-round";
import { nextWindow, uniquePrefix, useUpstash } from "./upstash-fixtures.js";

const up = useUpstash();

describe("hotRound", () => {
  it("reads keys and a limit's counters in one request of read commands; the isolate counts what it admits", async () => {
    const p = uniquePrefix("hot");
    await up.redis.set(`${p}a`, { v: 1 });
    const spec = { prefix: `${p}rl`, id: "u", limit: 2, windowMs: 1000 };
    const w = await nextWindow(1000);
    up.fx.rest.stats.reset();
    const r = await hotRound(up.redis as never, [`${p}a`, `${p}missing`], [spec]);
    expect(up.fx.rest.stats.requests).toBe(1);
    expect(up.fx.rest.stats.writes).toBe(0); // a read replica can answer it
    expect(r.values.get(`${p}a`)).toEqual({ v: 1 });
    expect(r.values.get(`${p}missing`)).toBeNull();
    const read = r.limits.get(`${p}rl:u`)!;
    const first = decide(read);
    expect(first).toMatchObject({ success: true, limit: 2, remaining: 1, reset: (w + 1) * 1000 });
    admit([first]);
    // the same read, decided again: this isolate's own count is exact without Redis
    const second = decide(read);
    expect(second).toMatchObject({ success: true, remaining: 0 });
    admit([second]);
    expect(decide(read)).toMatchObject({ success: false, remaining: 0 });
    expect(await up.fx.raw("EXISTS", `${p}rl:u:${w}`)).toBe(0); // nothing written yet
    // the commit after the response: one transaction, this isolate's field += 1 per admitted request, with a TTL
    up.fx.rest.stats.reset();
    await commitAdmitted(up.redis as never, [first]);
    await commitAdmitted(up.redis as never, [second]);
    expect(up.fx.rest.stats.transactions).toBe(2);
    const hash = (await up.fx.raw("HGETALL", `${p}rl:u:${w}`)) as string[];
    expect(hash.length).toBe(2);
    expect(hash[1]).toBe("2");
    const pttl = (await up.fx.raw("PTTL", `${p}rl:u:${w}`)) as number;
    expect(pttl).toBeGreaterThan(1000);
    expect(pttl).toBeLessThanOrEqual(3000);
    // read back, its own field is not counted twice
    const again = (await hotRound(up.redis as never, [], [spec])).limits.get(`${p}rl:u`)!;
    expect(again.othersCurrent).toBe(0);
    expect(decide(again).success).toBe(false);
  });

  it("adds what other isolates committed", async () => {
    const p = uniquePrefix("others");
    const spec = { prefix: `${p}rl`, id: "u", limit: 5, windowMs: 1000 };
    const w = await nextWindow(1000);
    await up.fx.raw("HSET", `${p}rl:u:${w}`, "isolate-a", "3", "isolate-b", "1");
    const read = (await hotRound(up.redis as never, [], [spec])).limits.get(`${p}rl:u`)!;
    expect(read.othersCurrent).toBe(4);
    const d = decide(read);
    expect(d).toMatchObject({ success: true, remaining: 0 });
    admit([d]);
    expect(decide(read).success).toBe(false);
  });

  it("weights the previous window by its overlap (sliding window)", async () => {
    const p = uniquePrefix("slide");
    const spec = { prefix: `${p}rl`, id: "u", limit: 4, windowMs: 1000 };
    const w = await nextWindow(1000);
    // 4 requests in the previous window, seen ~10 ms into this one: weight ≈ 0.99 → floor(3.96) = 3 still count
    await up.fx.raw("HSET", `${p}rl:u:${w - 1}`, "isolate-a", "4");
    const read = (await hotRound(up.redis as never, [], [spec])).limits.get(`${p}rl:u`)!;
    const first = decide(read);
    expect(first).toMatchObject({ success: true, remaining: 0 });
    admit([first]);
    expect(decide(read).success).toBe(false);
  });

  it("counts a window on the spot with countNow (failed authentications)", async () => {
    const p = uniquePrefix("now");
    const spec = { prefix: `${p}rl`, id: "ip", limit: 1, windowMs: 1000 };
    const w = await nextWindow(1000);
    expect((await countNow(up.redis as never, spec)).success).toBe(true);
    expect((await countNow(up.redis as never, spec)).success).toBe(false);
    expect(await up.fx.raw("GET", `${p}rl:ip:${w}`)).toBe("2");
  });

  it("parses durations", () => {
    expect([durationMs("1 m"), durationMs("10 s"), durationMs("500ms"), durationMs("1 h")]).toEqual([60_000, 10_000, 500, 3_600_000]);
    expect(() => durationMs("soon")).toThrow();
  });
});
