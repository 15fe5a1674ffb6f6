/**
 * The hot cache in front of Postgres: Upstash Redis over REST.
 * It never fails a request: with no Redis configured every call is a no-op, and when
 * Redis is down or slow every call resolves empty after a short timeout with a warning,
 * so reads fall through to Postgres.
 */
import { Redis } from "@upstash/redis/cloudflare";
import { intVar } from "../core/config";
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";
import { errorFields } from "../core/logger";

export interface Cache {
  /** false when no Redis is configured */
  readonly enabled: boolean;
  /** the raw client for callers that need more (rate limiting, locks); null when disabled */
  readonly redis: Redis | null;
  get<T>(key: string): Promise<T | null>;
  set(key: string, value: unknown, opts: { ttlSeconds: number }): Promise<boolean>;
  /** SET NX with a TTL: true when this caller took the key (a lock or a first writer). */
  setIfAbsent(key: string, value: unknown, opts: { ttlMs: number }): Promise<boolean>;
  del(...keys: string[]): Promise<number>;
  /** Round-trip time in ms; throws when Redis is unreachable (for /health). */
  ping(): Promise<number>;
}

export function createRedis(env: AppEnv, timeoutMs: number): Redis | null {
  if (!env.UPSTASH_REDIS_REST_URL || !env.UPSTASH_REDIS_REST_TOKEN) return null;
  return new Redis({
    url: env.UPSTASH_REDIS_REST_URL,
    token: env.UPSTASH_REDIS_REST_TOKEN,
    enableTelemetry: false,
    // A cache that waits is worse than no cache: one quick retry, then give up.
    retry: { retries: 1, backoff: () => 20 },
    signal: () => AbortSignal.timeout(timeoutMs),
  });
}

export function createCache(env: AppEnv, logger: Logger): Cache {
  const timeoutMs = intVar(env.CACHE_TIMEOUT_MS, 500);
  const redis = createRedis(env, timeoutMs);
  if (!redis) return disabledCache;

  const guard = async <T>(op: string, key: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      logger.warn("cache unavailable, falling through", { op, key, ...errorFields(err), stack: undefined });
      return fallback;
    }
  };

  return {
    enabled: true,
    redis,
    get: <T>(key: string) => guard("get", key, () => redis.get<T>(key), null),
    set: (key, value, { ttlSeconds }) =>
      guard("set", key, async () => (await redis.set(key, value, { ex: Math.max(1, Math.ceil(ttlSeconds)) })) === "OK", false),
    setIfAbsent: (key, value, { ttlMs }) =>
      guard("setnx", key, async () => (await redis.set(key, value, { px: Math.max(1, Math.ceil(ttlMs)), nx: true })) === "OK", false),
    del: (...keys) => (keys.length ? guard("del", keys.join(","), () => redis.del(...keys), 0) : Promise.resolve(0)),
    ping: async () => {
      const t0 = performance.now();
      await redis.ping();
      return performance.now() - t0;
    },
  };
}

const disabledCache: Cache = {
  enabled: false,
  redis: null,
  get: async () => null,
  set: async () => false,
  setIfAbsent: async () => true,
  del: async () => 0,
  ping: async () => {
    throw new Error("cache disabled");
  },
};
