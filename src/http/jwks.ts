/**
 * JWKS for offline JWT verification: fetched with a deadline, kept in the isolate and in Redis (the cache
 * client fails open) for an hour, and fetched again for an unknown `kid` at most once a minute per URL — per
 * isolate, and across isolates through a Redis SET NX guard (an isolate that loses the guard re-reads Redis
 * instead). The first load does not count: a rotation right after it is still picked up.
 */
import { createLocalJWKSet, type JSONWebKeySet, type JWTHeaderParameters } from "jose";
import type { CryptoKey as JoseKey } from "jose";
import { z } from "zod";
import { createCache } from "../cache/client";
import { intVar } from "../core/config";
import type { AppEnv } from "../core/env";
import type { Logger } from "../core/logger";
import { errorFields } from "../core/logger";
import { unavailable } from "../core/problem";

/** How long a fetched key set is served before it is fetched again (also its Redis TTL). */
export const JWKS_TTL_MS = 60 * 60 * 1000;
/** An unknown `kid` fetches the set again at most this often. */
export const JWKS_REFRESH_INTERVAL_MS = 60 * 1000;

const jwksShape = z.object({ keys: z.array(z.looseObject({ kty: z.string() })).max(100) });

interface Entry {
  jwks: JSONWebKeySet;
  fetchedAt: number;
  resolve: ReturnType<typeof createLocalJWKSet>;
}
const isolate = new Map<string, Entry>();
const lastRefresh = new Map<string, number>();

/** Forgets the isolate's copies (tests simulate a fresh isolate with it). */
export function clearIsolateJwks(): void {
  isolate.clear();
  lastRefresh.clear();
}

const redisKey = (url: string) => `platform:jwks:${url}`;
const guardKey = (url: string) => `platform:jwks-refresh:${url}`;

function remember(url: string, jwks: JSONWebKeySet, fetchedAt: number): Entry {
  const entry = { jwks, fetchedAt, resolve: createLocalJWKSet(jwks) };
  isolate.set(url, entry);
  return entry;
}

async function fetchJwks(env: AppEnv, url: string, logger: Logger): Promise<JSONWebKeySet> {
  const timeoutMs = intVar(env.JWKS_TIMEOUT_MS, 3000);
  try {
    const res = await fetch(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`JWKS answered ${res.status}`);
    return jwksShape.parse(await res.json()) as JSONWebKeySet;
  } catch (err) {
    logger.warn("jwks fetch failed", { url, ...errorFields(err), stack: undefined });
    throw unavailable("The identity provider's signing keys could not be loaded. Try again shortly.", 10);
  }
}

/** Fetches from the origin and publishes to Redis. */
async function refresh(env: AppEnv, url: string, logger: Logger): Promise<Entry> {
  const jwks = await fetchJwks(env, url, logger);
  const now = Date.now();
  await createCache(env, logger).set(redisKey(url), { jwks, fetchedAt: now }, { ttlSeconds: JWKS_TTL_MS / 1000 });
  return remember(url, jwks, now);
}

async function load(env: AppEnv, url: string, logger: Logger): Promise<Entry> {
  const mine = isolate.get(url);
  if (mine && Date.now() - mine.fetchedAt < JWKS_TTL_MS) return mine;
  const shared = await createCache(env, logger).get<{ jwks: JSONWebKeySet; fetchedAt: number }>(redisKey(url));
  if (shared && Date.now() - shared.fetchedAt < JWKS_TTL_MS && jwksShape.safeParse(shared.jwks).success) {
    return remember(url, shared.jwks, shared.fetchedAt);
  }
  return refresh(env, url, logger);
}

const isNoMatch = (err: unknown) => (err as { code?: string })?.code === "ERR_JWKS_NO_MATCHING_KEY";

/** A jose key resolver for jwtVerify: the key for the token's `kid`/`alg`, refreshing the set on an unknown kid. */
export function jwksKeyResolver(env: AppEnv, url: string, logger: Logger) {
  return async (header: JWTHeaderParameters): Promise<JoseKey> => {
    let entry = await load(env, url, logger);
    try {
      return await entry.resolve(header);
    } catch (err) {
      if (!isNoMatch(err)) throw err;
    }
    // Unknown kid: maybe the provider rotated its keys. At most one origin fetch a minute.
    const last = lastRefresh.get(url) ?? 0;
    if (Date.now() - last < JWKS_REFRESH_INTERVAL_MS) return entry.resolve(header);
    lastRefresh.set(url, Date.now());
    const cache = createCache(env, logger);
    if (await cache.setIfAbsent(guardKey(url), 1, { ttlMs: JWKS_REFRESH_INTERVAL_MS })) {
      entry = await refresh(env, url, logger);
    } else {
      // Another isolate refreshed within the minute: take its copy from Redis.
      const shared = await cache.get<{ jwks: JSONWebKeySet; fetchedAt: number }>(redisKey(url));
      if (shared && jwksShape.safeParse(shared.jwks).success) entry = remember(url, shared.jwks, shared.fetchedAt);
    }
    return entry.resolve(header);
  };
}
