/**
 * Per-client rate limiting with @upstash/ratelimit on the hot cache's Redis.
 * It fails open: with no Redis configured, or Redis slow or down, requests pass (and a warning is logged),
 * because refusing every caller is worse than briefly not limiting them.
 */
import { Ratelimit } from "@upstash/ratelimit";
import type { MiddlewareHandler } from "hono";
import { createRedis } from "../cache/client";
import { intVar } from "../core/config";
import type { AppContext } from "./context";
import { errorFields } from "../core/logger";
import { HttpProblem, problemTypes } from "../core/problem";

type Duration = Parameters<typeof Ratelimit.slidingWindow>[1];

export interface RateLimitOptions {
  /** distinguishes limiters in Redis keys, e.g. "blog:public" */
  name: string;
  limit: number;
  window: Duration;
  /** who is being limited; default: the client IP */
  key?: (c: Parameters<MiddlewareHandler<AppContext>>[0]) => string;
}

// Survives between requests in one isolate: known-blocked callers are refused without a Redis call.
const ephemeral = new Map<string, number>();

export function clientIp(c: Parameters<MiddlewareHandler<AppContext>>[0]): string {
  return c.req.header("CF-Connecting-IP") ?? c.req.header("X-Forwarded-For")?.split(",")[0]?.trim() ?? "unknown";
}

export function rateLimit(opts: RateLimitOptions): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const redis = createRedis(c.env, intVar(c.env.CACHE_TIMEOUT_MS, 500));
    if (!redis) return next();
    const limiter = new Ratelimit({
      redis,
      limiter: Ratelimit.slidingWindow(opts.limit, opts.window),
      prefix: `ratelimit:${opts.name}`,
      ephemeralCache: ephemeral,
      timeout: intVar(c.env.CACHE_TIMEOUT_MS, 500),
      analytics: false,
    });
    let res: Awaited<ReturnType<Ratelimit["limit"]>>;
    try {
      res = await limiter.limit((opts.key ?? clientIp)(c));
    } catch (err) {
      c.get("logger")?.warn("rate limiter unavailable, letting the request through", { limiter: opts.name, ...errorFields(err), stack: undefined });
      return next();
    }
    if (res.pending) c.executionCtx.waitUntil(res.pending);
    const resetSeconds = Math.max(1, Math.ceil((res.reset - Date.now()) / 1000));
    c.header("RateLimit-Limit", String(res.limit));
    c.header("RateLimit-Remaining", String(Math.max(0, res.remaining)));
    c.header("RateLimit-Reset", String(resetSeconds));
    if (!res.success) {
      throw new HttpProblem({
        status: 429, type: problemTypes.rateLimited,
        detail: `Too many requests: at most ${res.limit} per window. Retry in ${resetSeconds} s.`,
        headers: { "Retry-After": String(resetSeconds), "RateLimit-Limit": String(res.limit), "RateLimit-Remaining": "0", "RateLimit-Reset": String(resetSeconds) },
      });
    }
    await next();
  };
}
