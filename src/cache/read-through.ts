/**
 * A read-through, two-layer cache: Redis (hot, minutes) → a durable layer (Postgres, hours or days) → the origin.
 *
 * - A Redis hit touches nothing else. Hot entries carry their logical expiry and how long they took to
 *   compute, and a hit refreshes early with probability rising towards expiry (XFetch, Vattani et al. 2015),
 *   in the background, so a hot key is renewed by one request before it expires instead of by all at once.
 * - On a Redis miss the load is shared by the isolate's callers (one promise); the origin call, when the
 *   durable layer cannot answer, is also single-flighted across isolates by a Redis lock.
 * - A durable entry that is fresh is served and copied to Redis; one close to expiry is also served, and
 *   refreshed from the origin in the background (XFetch again, with the hot TTL as the time scale).
 * - With the durable layer down, the origin still answers.
 * - When the origin fails transiently, an expired durable entry is served as `stale`, and briefly cached as
 *   such so a failing origin is not hammered; failures with nothing to serve can be cached for a few
 *   seconds too (`failureTtlSeconds`), so followers and later callers get the same answer at once.
 */
import type { Cache } from "./client";
import { singleFlight as isolateFlight, type SingleFlight } from "./single-flight";
import { HttpProblem } from "../core/problem";
import type { Logger } from "../core/logger";
import { errorFields } from "../core/logger";

export type CacheSource = "redis" | "postgres" | "origin" | "stale";

export interface Expiring<T> {
  value: T;
  /** ms since epoch; 0 (or any past instant) marks an entry usable only as stale */
  expiresAt: number;
}

export interface ReadResult<T> {
  value: T;
  source: CacheSource;
  /** when the served data stops being fresh (ms since epoch) */
  expiresAt: number;
}

/** What Redis holds: a value (`s` marks it stale) or a recent failure to replay. */
type HotEntry<T> = { v: T; x: number; d: number; s?: 1 } | { f: { status: number; type: string; detail?: string }; x: number };

export interface ReadThroughSpec<T> {
  /** Redis key of the value; the lock is `${key}:lock` */
  key: string;
  hotTtlSeconds: number;
  durable: {
    /** the stored entry, fresh or expired; null when there is none */
    read(): Promise<Expiring<T> | null>;
  };
  /** asks the origin and stores its answer in the durable layer; answers it with its durable expiry */
  origin(): Promise<Expiring<T>>;
  /** may the durable entry be served when the origin failed with `err`? (default: any error) */
  serveStaleOn?: (err: unknown) => boolean;
  /** seconds to cache an HttpProblem the origin failed with, so others get it without a call (default 0) */
  failureTtlSeconds?: (problem: HttpProblem) => number;
  /** seconds to keep a stale answer in Redis before asking the origin again (default 15) */
  staleTtlSeconds?: number;
  /** how long a leader may hold the lock; followers wait as long (default 10 s) */
  lockTtlMs?: number;
}

export interface ReadThroughDeps {
  cache: Cache;
  logger: Logger;
  /** background work that outlives the response (ctx.waitUntil) */
  waitUntil(p: Promise<unknown>): void;
  flights?: SingleFlight;
  now?: () => number;
  random?: () => number;
}

/** XFetch: refresh early with probability exp(-remaining / (delta·beta)). */
export function shouldRefreshEarly(expiresAt: number, deltaMs: number, now: number, random: () => number, beta = 1): boolean {
  if (deltaMs <= 0) return now >= expiresAt;
  return now - deltaMs * beta * Math.log(Math.max(random(), Number.MIN_VALUE)) >= expiresAt;
}

export async function readThrough<T>(deps: ReadThroughDeps, spec: ReadThroughSpec<T>): Promise<ReadResult<T>> {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const flights = deps.flights ?? isolateFlight;
  const { cache, logger } = deps;
  const lockTtlMs = spec.lockTtlMs ?? 10_000;
  const hotTtlMs = spec.hotTtlSeconds * 1000;

  const fromHot = (entry: HotEntry<T> | null): ReadResult<T> | undefined => {
    if (!entry) return undefined;
    if ("f" in entry) {
      const retry = Math.max(1, Math.ceil((entry.x - now()) / 1000));
      throw new HttpProblem({
        status: entry.f.status,
        type: entry.f.type,
        detail: entry.f.detail,
        headers: entry.f.status >= 500 || entry.f.status === 429 ? { "Retry-After": String(retry) } : undefined,
      });
    }
    return { value: entry.v, source: entry.s ? "stale" : "redis", expiresAt: entry.x };
  };

  const putHot = async (entry: HotEntry<T>) => {
    const ttlSeconds = Math.ceil((entry.x - now()) / 1000);
    if (ttlSeconds > 0) await cache.set(spec.key, entry, { ttlSeconds });
  };

  const publishFresh = (value: T, durableExpiresAt: number, startedAt: number) =>
    putHot({ v: value, x: Math.min(now() + hotTtlMs, durableExpiresAt), d: now() - startedAt });

  const fromOrigin = async (startedAt: number): Promise<ReadResult<T>> => {
    const { value, expiresAt } = await spec.origin();
    await publishFresh(value, expiresAt, startedAt);
    return { value, source: "origin", expiresAt };
  };

  const refreshFromOrigin = () =>
    flights
      .runIfIdle(`${spec.key}:refresh`, () => fromOrigin(now()), { redis: cache.redis, lockKey: `${spec.key}:refresh`, lockTtlMs, logger })
      .catch((err) => logger.warn("read-through: background refresh failed", { key: spec.key, ...errorFields(err) }));

  /** The origin's answer, or the stored entry as `stale` when the origin fails transiently. */
  const originOrStale = async (stored: Expiring<T> | null, startedAt: number): Promise<ReadResult<T>> => {
    try {
      return await fromOrigin(startedAt);
    } catch (err) {
      if (stored && (spec.serveStaleOn?.(err) ?? true)) {
        logger.warn("read-through: origin failed, serving stale", { key: spec.key, ...errorFields(err), stack: undefined });
        const x = now() + (spec.staleTtlSeconds ?? 15) * 1000;
        await putHot({ v: stored.value, x, d: 0, s: 1 });
        return { value: stored.value, source: "stale", expiresAt: stored.expiresAt };
      }
      const ttl = err instanceof HttpProblem ? (spec.failureTtlSeconds?.(err) ?? 0) : 0;
      if (err instanceof HttpProblem && ttl > 0) {
        await putHot({ f: { status: err.status, type: err.type, detail: err.detail }, x: now() + ttl * 1000 });
      }
      throw err;
    }
  };

  const checkHot = async () => fromHot(await cache.get<HotEntry<T>>(spec.key));

  /**
   * Durable layer, then the origin. Only the origin call is worth a lock across isolates (`lockOrigin`):
   * a Postgres read is one cheap round trip, and locking before it cost a warm read two more Redis calls.
   */
  const load = async (lockOrigin: boolean): Promise<ReadResult<T>> => {
    const startedAt = now();
    // With the durable layer down the origin can still answer (its copy is then not stored).
    const stored = await spec.durable.read().catch((err) => {
      logger.warn("read-through: durable layer unavailable, asking the origin", { key: spec.key, ...errorFields(err), stack: undefined });
      return null;
    });
    if (stored && stored.expiresAt > now()) {
      if (shouldRefreshEarly(stored.expiresAt, hotTtlMs, now(), random)) deps.waitUntil(refreshFromOrigin());
      await publishFresh(stored.value, stored.expiresAt, startedAt);
      return { value: stored.value, source: "postgres", expiresAt: stored.expiresAt };
    }
    if (!lockOrigin) return originOrStale(stored, startedAt);
    return flights.coordinate(
      // A leader that got the lock just after another one finished finds its answer in Redis.
      async () => (await checkHot()) ?? originOrStale(stored, startedAt),
      { redis: cache.redis, lockKey: `${spec.key}:lock`, lockTtlMs, logger, check: checkHot },
    );
  };

  const hot = await cache.get<HotEntry<T>>(spec.key);
  const hit = fromHot(hot);
  if (hit) {
    if (hit.source === "redis" && hot && "d" in hot && shouldRefreshEarly(hot.x, hot.d, now(), random)) {
      deps.waitUntil(
        flights
          .runIfIdle(`${spec.key}:early`, () => load(false), { redis: cache.redis, lockKey: `${spec.key}:early`, lockTtlMs, logger })
          .catch((err) => logger.warn("read-through: early refresh failed", { key: spec.key, ...errorFields(err) })),
      );
    }
    return hit;
  }
  return flights.share(spec.key, () => load(true));
}
