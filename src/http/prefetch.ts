/**
 * The per-request prefetch: whatever Redis reads a request will certainly make at its start — the rate-limit
 * counters, the cached credential (API key, session) and the route's first cache read — are sent together in
 * one Upstash pipeline request (src/cache/hot-round.ts), by the first middleware that needs Redis; the others
 * consume the answers from the context. A hot read with auth and a rate limit is then one Redis round trip.
 *
 * - A route declares its first read with `firstRead((c) => key)` in its middleware, before its auth/limit
 *   middleware; the function runs when the round is sent and may use the principal set by then (null: skip).
 * - `requestCache(c)` is the request's Cache: its first `get` of a prefetched key is answered from the round.
 * - Redis down or slow: the round fails once, its reads count as misses and its limits as unavailable
 *   (the limiter then decides on this isolate's own count), so a request waits for Redis at most once.
 */
import type { Context, MiddlewareHandler } from "hono";
import { type Cache, createCache, createRedis } from "../cache/client";
import { hotRound, type WindowSpec, windowId } from "../cache/hot-round";
import { intVar } from "../core/config";
import { errorFields } from "../core/logger";
import type { AppContext, PrefetchState } from "./context";

type Ctx = Context<AppContext>;

function stateOf(c: Ctx): PrefetchState {
  let s = c.get("prefetch");
  if (!s) {
    s = { wanted: [], values: new Map(), limits: new Map(), rounds: 0 };
    c.set("prefetch", s);
  }
  return s;
}

/** Declares the route's first cache read, so it travels with the auth lookup and the rate limit. */
export function firstRead(key: (c: Ctx) => string | null | undefined): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    stateOf(c).wanted.push(key);
    await next();
  };
}

/** Sends `gets`, `limits` and the route's first reads not fetched yet in one Redis request. */
export async function prefetch(c: Ctx, req: { gets?: string[]; limits?: WindowSpec[] }): Promise<void> {
  const s = stateOf(c);
  const declared = s.wanted.flatMap((fn) => {
    const k = fn(c);
    return k ? [k] : [];
  });
  const gets = [...new Set([...(req.gets ?? []), ...declared])].filter((k) => !s.values.has(k));
  // a declared read is prefetched once; later rounds do not send it again
  s.wanted = s.wanted.filter((fn) => !fn(c));
  const limits = (req.limits ?? []).filter((l) => !s.limits.has(windowId(l)));
  if (!gets.length && !limits.length) return;
  const timeoutMs = intVar(c.env.CACHE_TIMEOUT_MS, 500);
  const redis = createRedis(c.env, timeoutMs);
  const giveUp = () => {
    for (const k of gets) s.values.set(k, null);
    for (const l of limits) s.limits.set(windowId(l), "unavailable");
  };
  if (!redis) return giveUp();
  try {
    s.rounds++;
    const round = await hotRound(redis, gets, limits);
    for (const [k, v] of round.values) s.values.set(k, v);
    for (const [k, v] of round.limits) s.limits.set(k, v);
  } catch (err) {
    c.get("logger")?.warn("cache unavailable, falling through (reads miss, limits on this isolate's own count)", {
      op: "prefetch",
      keys: gets.length,
      limits: limits.length,
      ...errorFields(err),
      stack: undefined,
    });
    giveUp();
  }
}

/** What prefetch() read for this window, if it read it (decided by `decide` in hot-round.ts). */
export const prefetchedLimit = (c: Ctx, spec: Pick<WindowSpec, "prefix" | "id">) => c.get("prefetch")?.limits.get(windowId(spec));

/** The request's cache: the first `get` of a prefetched key is answered without a Redis call. */
export function requestCache(c: Ctx): Cache {
  const base = createCache(c.env, c.get("logger"));
  const values = () => c.get("prefetch")?.values;
  const forget = (keys: string[]) => {
    const v = values();
    for (const k of keys) v?.delete(k);
  };
  return {
    enabled: base.enabled,
    redis: base.redis,
    ping: () => base.ping(),
    get: async <T>(key: string) => {
      const v = values();
      if (v?.has(key)) {
        const value = v.get(key) as T | null;
        v.delete(key);
        return value;
      }
      return base.get<T>(key);
    },
    set: (key, value, opts) => {
      forget([key]);
      return base.set(key, value, opts);
    },
    setIfAbsent: (key, value, opts) => {
      forget([key]);
      return base.setIfAbsent(key, value, opts);
    },
    del: (...keys) => {
      forget(keys);
      return base.del(...keys);
    },
  };
}
