/**
 * Single-flight: concurrent misses for one key run the expensive load once.
 * - Within an isolate, callers share one promise.
 * - Across isolates, a short Redis lock (`SET lock NX PX`) elects a leader; the others poll for the value
 *   the leader publishes (`check`), and take over if the leader gives up or the wait runs out.
 * Redis being down or slow never fails a call: without a lock the isolate simply loads by itself.
 */
import type { Redis } from "@upstash/redis/cloudflare";
import type { Logger } from "../core/logger";
import { errorFields } from "../core/logger";
import { randomToken } from "../core/secrets";

// Deletes the lock only if it still holds our token, so a slow leader never frees someone else's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface FlightOptions<T> {
  /** the Redis client; null when no cache is configured (the flight is then in-isolate only) */
  redis: Redis | null;
  /** Redis key of the lock */
  lockKey: string;
  /** how long a leader may hold the lock before others may take over */
  lockTtlMs: number;
  /** how long a follower waits for the leader before loading itself (default: lockTtlMs) */
  waitMs?: number;
  /** a follower's look for the leader's result; undefined while there is none */
  check: () => Promise<T | undefined>;
  logger?: Logger;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SingleFlight {
  /** One per isolate in production; tests create more to play several isolates. */
  constructor(private readonly inflight = new Map<string, Promise<unknown>>()) {}

  /** Shares one in-isolate promise per key (no Redis). */
  share<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const p = load().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Runs `load` once per key across concurrent callers of this isolate and, through Redis, of all isolates. */
  run<T>(key: string, load: () => Promise<T>, opts: FlightOptions<T>): Promise<T> {
    return this.share(key, () => this.coordinate(load, opts));
  }

  /**
   * Runs `load` only if no one else (here or in another isolate) is running it for this key;
   * answers undefined when someone is. For background refreshes that must not pile up.
   */
  async runIfIdle<T>(
    key: string,
    load: () => Promise<T>,
    opts: Pick<FlightOptions<T>, "redis" | "lockKey" | "lockTtlMs" | "logger">,
  ): Promise<T | undefined> {
    if (this.inflight.has(key)) return undefined;
    return this.share(key, async () => {
      const token = await tryLock(opts);
      if (token === false) return undefined;
      try {
        return await load();
      } finally {
        if (token) await release(opts, token);
      }
    });
  }

  /** The cross-isolate half of run(): a Redis lock elects one loader, the others poll `check` (no in-isolate sharing). */
  async coordinate<T>(load: () => Promise<T>, opts: FlightOptions<T>): Promise<T> {
    const deadline = Date.now() + (opts.waitMs ?? opts.lockTtlMs);
    let pause = 20;
    for (let attempt = 0; ; attempt++) {
      const token = await tryLock(opts);
      // null: no Redis, or Redis failing — nothing to coordinate with, so load here.
      if (token !== false) {
        try {
          // Taken after waiting: the previous leader may have published and released since our last look.
          if (attempt > 0 && token) {
            const published = await opts.check();
            if (published !== undefined) return published;
          }
          return await load();
        } finally {
          if (token) await release(opts, token);
        }
      }
      if (Date.now() >= deadline) {
        opts.logger?.warn("single-flight: leader too slow, loading without the lock", { lockKey: opts.lockKey });
        return load();
      }
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
      pause = Math.min(pause * 2, 250);
      const value = await opts.check();
      if (value !== undefined) return value;
    }
  }
}

/** A token when we took the lock, false when someone holds it, null when Redis is absent or failing. */
async function tryLock(opts: Pick<FlightOptions<unknown>, "redis" | "lockKey" | "lockTtlMs" | "logger">): Promise<string | false | null> {
  if (!opts.redis) return null;
  const token = randomToken(12);
  try {
    const res = await opts.redis.set(opts.lockKey, token, { nx: true, px: Math.max(1, Math.ceil(opts.lockTtlMs)) });
    return res === "OK" ? token : false;
  } catch (err) {
    opts.logger?.warn("single-flight: lock unavailable, loading without it", {
      lockKey: opts.lockKey,
      ...errorFields(err),
      stack: undefined,
    });
    return null;
  }
}

async function release(opts: Pick<FlightOptions<unknown>, "redis" | "lockKey" | "logger">, token: string): Promise<void> {
  try {
    await opts.redis?.eval(RELEASE, [opts.lockKey], [token]);
  } catch (err) {
    // The lock expires by itself; a failed release only delays a later leader.
    opts.logger?.warn("single-flight: lock release failed", { lockKey: opts.lockKey, ...errorFields(err), stack: undefined });
  }
}

/** The isolate's shared instance. */
export const singleFlight = new SingleFlight();
