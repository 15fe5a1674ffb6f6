/**
 * The generic cache machinery the blog module is built on (src/cache/single-flight.ts, read-through.ts),
 * against the real Redis stand-in. Several SingleFlight instances play several isolates.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createCache } from "../../../src/cache/client";
import { readThrough, shouldRefreshEarly, type ReadThroughDeps } from "../../../src/cache/read-through";
import { SingleFlight } from "../../../src/cache/single-flight";
import { createLogger } from "../../../src/core/logger";
import { HttpProblem } from "../../../src/core/problem";
import { control, testEnv } from "../helpers";
import { redis, uniq } from "../helpers";

const logger = createLogger("error");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deps(extra: Partial<ReadThroughDeps> = {}) {
  const background: Promise<unknown>[] = [];
  const d: ReadThroughDeps = {
    cache: createCache(testEnv, logger),
    logger,
    waitUntil: (p) => {
      background.push(p);
    },
    flights: new SingleFlight(),
    ...extra,
  };
  return { d, settle: () => Promise.all(background) };
}

afterAll(() => control("/redis/start"));

describe("SingleFlight across isolates", () => {
  const r = redis();

  it("3 isolates × 10 concurrent callers → one load; followers read the leader's value from Redis", async () => {
    const key = uniq("sf");
    let loads = 0;
    const isolates = [new SingleFlight(), new SingleFlight(), new SingleFlight()];
    const call = (sf: SingleFlight) =>
      sf.run(
        key,
        async () => {
          loads++;
          await sleep(150);
          await r.set(`${key}:value`, "computed", { px: 5000 });
          return "computed";
        },
        { redis: r, lockKey: `${key}:lock`, lockTtlMs: 2000, check: async () => (await r.get<string>(`${key}:value`)) ?? undefined },
      );
    const results = await Promise.all(isolates.flatMap((sf) => Array.from({ length: 10 }, () => call(sf))));
    expect(results).toEqual(Array(30).fill("computed"));
    expect(loads).toBe(1);
    expect(await r.get(`${key}:lock`)).toBeNull(); // released
  });

  it("a follower takes over when the leader fails without publishing", async () => {
    const key = uniq("sf");
    const order: string[] = [];
    const opts = { redis: r, lockKey: `${key}:lock`, lockTtlMs: 2000, check: async () => undefined };
    const a = new SingleFlight().run(
      key,
      async () => {
        order.push("a");
        await sleep(100);
        throw new Error("leader failed");
      },
      opts,
    );
    await sleep(10);
    const b = new SingleFlight().run(
      key,
      async () => {
        order.push("b");
        return "b's value";
      },
      opts,
    );
    await expect(a).rejects.toThrow("leader failed");
    expect(await b).toBe("b's value");
    expect(order).toEqual(["a", "b"]);
  });

  it("a follower stops waiting for a leader that holds the lock too long", async () => {
    const key = uniq("sf");
    await r.set(`${key}:lock`, "someone-else", { px: 10_000 });
    const t0 = Date.now();
    const v = await new SingleFlight().run(key, async () => "mine", {
      redis: r,
      lockKey: `${key}:lock`,
      lockTtlMs: 10_000,
      waitMs: 300,
      check: async () => undefined,
    });
    expect(v).toBe("mine");
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(await r.get(`${key}:lock`)).toBe("someone-else"); // never freed another leader's lock
  });

  it("without Redis, callers of one isolate still share one load", async () => {
    let loads = 0;
    const sf = new SingleFlight();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        sf.run(
          "k",
          async () => {
            loads++;
            await sleep(50);
            return loads;
          },
          { redis: null, lockKey: "k:lock", lockTtlMs: 1000, check: async () => undefined },
        ),
      ),
    );
    expect(new Set(results)).toEqual(new Set([1]));
    expect(loads).toBe(1);
  });
});

describe("readThrough", () => {
  const value = (n: number) => ({ n });

  it("XFetch: never early for a fresh entry, almost surely early at expiry, and earlier for slower loads", () => {
    const now = 1_000_000;
    expect(shouldRefreshEarly(now + 300_000, 10, now, Math.random)).toBe(false);
    expect(shouldRefreshEarly(now + 1, 1000, now, () => 0.5)).toBe(true);
    expect(shouldRefreshEarly(now + 5_000, 100, now, () => 0.5)).toBe(false);
    expect(shouldRefreshEarly(now + 5_000, 10_000, now, () => 0.5)).toBe(true);
    expect(shouldRefreshEarly(now, 0, now, () => 0.5)).toBe(true);
  });

  it("a hot hit close to expiry is served at once and refreshed in the background from the durable layer", async () => {
    const key = uniq("rt");
    let durableReads = 0;
    const spec = {
      key,
      hotTtlSeconds: 300,
      durable: {
        read: async () => {
          durableReads++;
          return { value: value(durableReads), expiresAt: Date.now() + 86_400_000 };
        },
      },
      origin: async () => {
        throw new Error("not called");
      },
    };
    // A hot entry that expires in 2 s and took 5 s to compute: XFetch with random 0.5 refreshes it now.
    await redis().set(key, { v: value(0), x: Date.now() + 2000, d: 5000 }, { ex: 2 });
    const { d, settle } = deps({ random: () => 0.5 });
    const hit = await readThrough(d, spec);
    expect(hit).toMatchObject({ source: "redis", value: value(0) });
    await settle();
    expect(durableReads).toBe(1);
    const refreshed = await redis().get<{ v: { n: number }; x: number }>(key);
    expect(refreshed!.v).toEqual(value(1));
    expect(refreshed!.x).toBeGreaterThan(Date.now() + 290_000);
  });

  it("a durable entry close to expiry is served and refreshed from the origin in the background", async () => {
    const key = uniq("rt");
    let originCalls = 0;
    const { d, settle } = deps({ random: () => 0.5 });
    const res = await readThrough(d, {
      key,
      hotTtlSeconds: 300,
      durable: { read: async () => ({ value: value(1), expiresAt: Date.now() + 10_000 }) },
      origin: async () => {
        originCalls++;
        return { value: value(2), expiresAt: Date.now() + 86_400_000 };
      },
    });
    expect(res).toMatchObject({ source: "postgres", value: value(1) });
    await settle();
    expect(originCalls).toBe(1);
    expect((await redis().get<{ v: unknown }>(key))!.v).toEqual(value(2));
  });

  it("replays a cached failure to later callers without calling the origin", async () => {
    const key = uniq("rt");
    let originCalls = 0;
    const spec = {
      key,
      hotTtlSeconds: 300,
      durable: { read: async () => null },
      origin: async (): Promise<never> => {
        originCalls++;
        throw new HttpProblem({ status: 503, detail: "down", headers: { "Retry-After": "3" } });
      },
      failureTtlSeconds: () => 3,
    };
    const { d } = deps();
    await expect(readThrough(d, spec)).rejects.toMatchObject({ status: 503 });
    const again = await readThrough(d, spec).catch((e: HttpProblem) => e);
    expect(again).toBeInstanceOf(HttpProblem);
    expect((again as HttpProblem).headers?.["Retry-After"]).toMatch(/^[1-3]$/);
    expect(originCalls).toBe(1);
  });

  it("with Redis down, reads go to the durable layer and nothing fails", async () => {
    await control("/redis/stop");
    try {
      const { d } = deps();
      const res = await readThrough(d, {
        key: uniq("rt"),
        hotTtlSeconds: 300,
        durable: { read: async () => ({ value: value(7), expiresAt: Date.now() + 60_000 }) },
        origin: async () => {
          throw new Error("not called");
        },
      });
      expect(res).toMatchObject({ source: "postgres", value: value(7) });
    } finally {
      await control("/redis/start");
    }
  });
});
