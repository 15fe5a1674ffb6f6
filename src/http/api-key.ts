/**
 * Bearer API-key authentication for modules that issue keys with issueApiKey(): one indexed lookup of the
 * key's public part (none when Redis already holds it), then a constant-time digest compare.
 * The cache holds the digest, never the secret. Revocation overwrites the entry with a tombstone, and fills
 * use SET NX, so a request that read the old row just before a rotation cannot bring the old key back.
 */
import type { Context, MiddlewareHandler } from "hono";
import { type Cache, createCache } from "../cache/client";
import type { AppEnv } from "../core/env";
import type { AppContext, AppVariables } from "./context";
import { bearerToken } from "./auth";
import { unauthorized, type HttpProblem } from "../core/problem";
import { parseApiKey, verifyApiKeySecret } from "../core/secrets";
import type { Principal } from "./principal";
import { invalidToken } from "./jwt-auth";
import { authFailure, authFailureBlocked, principalLimit } from "./rate-limit";

export interface ApiKeyRecord {
  /** who the key belongs to (a user id) */
  subject: string;
  hash: string;
  salt?: string;
}

export type { Principal };

/** The public lookup part of the key used for this request (API-key principals only). */
export function apiKeyLookupOf(p: Principal): string {
  if (p.kind !== "apiKey" || typeof p.claims.keyLookup !== "string") throw new Error("not an API-key principal");
  return p.claims.keyLookup;
}

export type ApiKeyContext = { Bindings: AppEnv; Variables: AppVariables & { principal: Principal } };

export interface ApiKeyAuthOptions {
  /** key prefix, e.g. "mk" */
  prefix: string;
  /** Redis namespace, e.g. "marketing:apikey" */
  cacheNamespace: string;
  /** how long a lookup is served from Redis; rotation revokes it at once regardless */
  ttlSeconds?: number;
  find(c: Context<AppContext>, lookup: string): Promise<ApiKeyRecord | null>;
}

type Cached = ApiKeyRecord | { revoked: true } | { unknown: true };

export const DEFAULT_API_KEY_TTL_SECONDS = 60;
/** A well-formed key that no row knows is remembered this long, so repeating it does not reach Postgres. */
export const UNKNOWN_API_KEY_TTL_SECONDS = 30;

export const apiKeyCacheKey = (namespace: string, lookup: string) => `${namespace}:${lookup}`;

export function apiKeyAuth(opts: ApiKeyAuthOptions): MiddlewareHandler<ApiKeyContext> {
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_API_KEY_TTL_SECONDS;
  return async (c, next) => {
    const ctx = c as unknown as Context<AppContext>;
    const fail = async (problem: HttpProblem) => {
      throw await authFailure(ctx, problem);
    };
    const blocked = authFailureBlocked(ctx);
    if (blocked) throw blocked;
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw unauthorized("This route needs an API key as a bearer token.");
    const parsed = parseApiKey(opts.prefix, token);
    if (!parsed) return fail(invalidToken("The API key is not valid."));
    const cache = createCache(c.env, c.get("logger"));
    const key = apiKeyCacheKey(opts.cacheNamespace, parsed.lookup);
    const cached = await cache.get<Cached>(key);
    if (cached && ("revoked" in cached || "unknown" in cached)) return fail(invalidToken("The API key is not valid."));
    const record = cached ?? (await opts.find(ctx, parsed.lookup));
    if (!record) {
      // NX: a key issued meanwhile (its fill wins) is never shadowed for longer than this short TTL.
      await cache.setIfAbsent(key, { unknown: true } satisfies Cached, { ttlMs: UNKNOWN_API_KEY_TTL_SECONDS * 1000 });
      return fail(invalidToken("The API key is not valid."));
    }
    if (!(await verifyApiKeySecret(parsed.secret, record.hash, record.salt))) return fail(invalidToken("The API key is not valid."));
    if (!cached) await cache.setIfAbsent(key, record, { ttlMs: ttlSeconds * 1000 });
    c.set("principal", { kind: "apiKey", subject: record.subject, claims: { keyLookup: parsed.lookup } });
    await principalLimit(ctx, next);
  };
}

/** Makes a key lookup fail at once on every isolate, for at least as long as any cached copy could live. */
export async function revokeCachedApiKey(cache: Cache, namespace: string, lookup: string, ttlSeconds = DEFAULT_API_KEY_TTL_SECONDS) {
  await cache.set(apiKeyCacheKey(namespace, lookup), { revoked: true } satisfies Cached, { ttlSeconds: ttlSeconds * 2 });
}
