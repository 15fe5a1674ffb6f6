/**
 * Per-client rate limiting on the hot cache's Redis: sliding windows whose counters are read in the request's
 * prefetch round (prefetch.ts), together with the auth lookup and the route's first cache read, so a limit
 * costs no Redis round trip of its own, and no write on the request path: the isolate counts what it admits
 * and commits the increments after the response (hot-round.ts, with its staleness bound). A caller refused
 * once is refused again in this isolate without Redis until its window ends (`blocked`).
 * With no Redis configured, or Redis slow or down, each isolate holds callers to the limit on its own count (a
 * warning is logged): never a refusal the shared count would not make, because refusing every caller is worse
 * than briefly limiting them per isolate only.
 */
import type { MiddlewareHandler } from "hono";
import ipaddr from "ipaddr.js";
import { createRedis } from "../cache/client";
import {
  admit,
  commitAdmitted,
  countNow,
  decide,
  durationMs,
  ownRead,
  type WindowDecision,
  type WindowSpec,
  windowId,
} from "../cache/hot-round";
import { IsolateMemory } from "../cache/memory";
import { intVar } from "../core/config";
import { errorFields } from "../core/logger";
import type { AppContext } from "./context";
import { HttpProblem, problemTypes } from "../core/problem";
import { prefetch, prefetchedLimit } from "./prefetch";

type Duration = `${number} ${"ms" | "s" | "m" | "h" | "d"}` | `${number}${"ms" | "s" | "m" | "h" | "d"}`;

export interface RateLimitOptions {
  /** distinguishes limiters in Redis keys, e.g. "blog:public" */
  name: string;
  limit: number;
  window: Duration;
  /** who is being limited: the client IP (default; an IPv6 client by its /64), the authenticated principal (falls back to the IP), or a function */
  key?: "ip" | "principal" | ((c: Parameters<MiddlewareHandler<AppContext>>[0]) => string);
}

/**
 * The isolate's decision cache of refused callers (windowId → the refusal, until its window ends): they are
 * refused again without a Redis call. Staleness: none that matters — a refusal only lasts as long as its window.
 */
const blocked = new IsolateMemory<WindowDecision>(60 * 60_000, 10_000);

export function clientIp(c: Parameters<MiddlewareHandler<AppContext>>[0]): string {
  return c.req.header("CF-Connecting-IP") ?? c.req.header("X-Forwarded-For")?.split(",")[0]?.trim() ?? "unknown";
}

type Ctx = Parameters<MiddlewareHandler<AppContext>>[0];

/**
 * The key an address is limited by: an IPv4 address as it is (also when written IPv4-mapped), an IPv6 address by
 * its /64 — one subscriber or server usually holds a whole /64, so per-address limits would let it use 2^64 clients.
 */
export function networkKey(ip: string): string {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(ip);
  } catch {
    return ip;
  }
  if (addr.kind() === "ipv4") return addr.toString();
  const v6 = addr as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const net = v6.parts.slice(0, 4).map((p) => p.toString(16));
  return `${net.join(":")}::/64`;
}

/** The client's network for limits (see networkKey). */
export const clientNetwork = (c: Ctx) => networkKey(clientIp(c));

/** `waitUntil` when the request has an execution context (a Hono app called directly in a test has none). */
function keepAlive(c: Ctx, pending: Promise<unknown>) {
  try {
    c.executionCtx.waitUntil(pending);
  } catch {
    pending.catch(() => undefined);
  }
}

export const principalKey = (c: Ctx) => {
  const subject = c.get("principal")?.subject;
  return subject ? `principal:${subject}` : `ip:${clientNetwork(c)}`;
};

function identify(opts: RateLimitOptions, c: Ctx): string {
  if (opts.key === "principal") return principalKey(c);
  if (typeof opts.key === "function") return opts.key(c);
  return clientNetwork(c);
}

const specOf = (opts: RateLimitOptions, id: string): WindowSpec => ({
  prefix: `ratelimit:${opts.name}`,
  id,
  limit: opts.limit,
  windowMs: durationMs(opts.window),
});

const tooManyRequests = (d: WindowDecision, resetSeconds: number) =>
  new HttpProblem({
    status: 429,
    type: problemTypes.rateLimited,
    detail: `Too many requests: at most ${d.limit} per window. Retry in ${resetSeconds} s.`,
    headers: {
      "Retry-After": String(resetSeconds),
      "RateLimit-Limit": String(d.limit),
      "RateLimit-Remaining": "0",
      "RateLimit-Reset": String(resetSeconds),
    },
  });

/**
 * Rate limits in order (e.g. a public limit and a stricter one for costly routes): all their windows travel
 * in one Redis round trip, the first refusal answers 429.
 */
export function rateLimit(...all: RateLimitOptions[]): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const specs = all.map((opts) => specOf(opts, identify(opts, c)));
    const seconds = (d: WindowDecision) => Math.max(1, Math.ceil((d.reset - Date.now()) / 1000));
    for (const spec of specs) {
      const refused = blocked.get(windowId(spec));
      if (refused) throw tooManyRequests(refused, seconds(refused));
    }
    const undecided = specs.filter((spec) => !prefetchedLimit(c, spec));
    if (undecided.length) await prefetch(c, { limits: undecided });
    // decided and admitted with no await in between: this isolate's own count is exact. With Redis unreadable
    // the decision rests on this isolate's own count alone (ownRead), and nothing is committed.
    const now = Date.now();
    const reads = specs.map((spec) => prefetchedLimit(c, spec));
    const decisions = reads.map((read, i) => (read === "unavailable" ? decide(ownRead(specs[i]!, now), now) : read && decide(read, now)));
    // the headers describe the strictest window that answered
    let shown: WindowDecision | undefined;
    for (const [i, decision] of decisions.entries()) {
      if (!decision) continue;
      if (!decision.success) {
        blocked.set(windowId(specs[i]!), decision, decision.reset);
        throw tooManyRequests(decision, seconds(decision));
      }
      if (!shown || decision.remaining < shown.remaining) shown = decision;
    }
    admit(
      decisions.filter((d): d is WindowDecision => d !== undefined),
      now,
    );
    const toCommit = decisions.filter((d, i): d is WindowDecision => d !== undefined && reads[i] !== "unavailable");
    if (toCommit.length) {
      const redis = createRedis(c.env, intVar(c.env.CACHE_TIMEOUT_MS, 500));
      if (redis)
        keepAlive(
          c,
          commitAdmitted(redis, toCommit).catch((err) =>
            c.get("logger")?.warn("rate-limit commit failed (other isolates see this count late)", {
              op: "ratelimit-commit",
              ...errorFields(err),
              stack: undefined,
            }),
          ),
        );
    }
    if (shown) {
      c.header("RateLimit-Limit", String(shown.limit));
      c.header("RateLimit-Remaining", String(shown.remaining));
      c.header("RateLimit-Reset", String(seconds(shown)));
    }
    await next();
  };
}

/**
 * Failed authentications per client IP (AUTH_FAILURE_LIMIT a minute, default 30). Counting happens only
 * on failure, so valid calls pay nothing; an IP over the limit is refused with 429 before its credentials
 * are looked up, in this isolate at once (no Redis, no Postgres) and elsewhere on its next failure.
 */
const blockedUntil = new Map<string, number>();

export function authFailureBlocked(c: Ctx): HttpProblem | null {
  const until = blockedUntil.get(clientNetwork(c));
  if (!until) return null;
  if (until <= Date.now()) {
    blockedUntil.delete(clientNetwork(c));
    return null;
  }
  return tooManyFailures(Math.ceil((until - Date.now()) / 1000));
}

const tooManyFailures = (seconds: number) =>
  new HttpProblem({
    status: 429,
    type: problemTypes.rateLimited,
    detail: `Too many failed authentications from this address. Retry in ${seconds} s.`,
    headers: { "Retry-After": String(seconds) },
  });

/**
 * What an auth middleware throws when it refuses a credential: the failure, counted toward the IP's limit
 * (or the 429 once it is over). Inside `firstOf` the count is left to firstOf, which counts once when every
 * middleware refused, so a caller accepted by the second one is not counted.
 */
export async function authFailure(c: Ctx, failure: HttpProblem): Promise<HttpProblem> {
  const deferred = c.get("authFailures");
  if (!deferred) return recordAuthFailure(c, failure);
  deferred.failed = true;
  return failure;
}

/** Records a failed authentication; returns the problem to answer instead of `failure` once the IP is over its limit. */
export async function recordAuthFailure(c: Ctx, failure: HttpProblem): Promise<HttpProblem> {
  const redis = createRedis(c.env, intVar(c.env.CACHE_TIMEOUT_MS, 500));
  if (!redis) return failure;
  try {
    // the same sliding window as the request limits, counted only here (on failure)
    const spec = { prefix: "ratelimit:auth-failures", id: clientNetwork(c), limit: intVar(c.env.AUTH_FAILURE_LIMIT, 30), windowMs: 60_000 };
    const res = await countNow(redis, spec);
    if (res.success) return failure;
    if (blockedUntil.size > 10_000) blockedUntil.clear();
    blockedUntil.set(clientNetwork(c), res.reset);
    return tooManyFailures(Math.max(1, Math.ceil((res.reset - Date.now()) / 1000)));
  } catch {
    return failure;
  }
}

const principalOptions = (c: Ctx): RateLimitOptions => ({
  name: "principal",
  limit: intVar(c.env.PRINCIPAL_RATE_LIMIT, 600),
  window: "1 m",
  key: "principal",
});

/** Requests a minute per authenticated principal (PRINCIPAL_RATE_LIMIT, default 600); auth middlewares run it once they know who calls. */
export const principalLimit: MiddlewareHandler<AppContext> = (c, next) => rateLimit(principalOptions(c))(c, next);

/**
 * The principal limit's window for `subject`, for an auth middleware that knows the caller's subject before
 * its lookup answers (an identity this isolate has seen): it sends it with the lookup, principalLimit then
 * finds the decision made. Not counted while this isolate refuses the subject anyway.
 */
export function principalWindow(c: Ctx, subject: string): WindowSpec[] {
  const spec = specOf(principalOptions(c), `principal:${subject}`);
  return blocked.get(windowId(spec)) ? [] : [spec];
}
