/**
 * Auth.js database sessions: the session token comes from `Authorization: Bearer …` or the
 * `__Secure-authjs.session-token` / `authjs.session-token` cookie, is looked up by the module (its `session`
 * table), and the answer is cached in Redis under the token's digest until the session expires.
 *
 * Auth.js JWE session tokens (strategy "jwt") are deliberately NOT accepted: the modules use the database
 * strategy, where signing out deletes the session row; a self-contained JWE could not be revoked that way and
 * would need AUTH_SECRET on the Worker. jose could decrypt them (jwtDecrypt) if a module ever switches strategy.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { createCache } from "../cache/client";
import type { AppEnv } from "../core/env";
import type { AppContext } from "./context";
import { bearerToken } from "./auth";
import { invalidToken } from "./jwt-auth";
import { credentialSubjects } from "./api-key";
import { prefetch, requestCache } from "./prefetch";
import { authFailure, authFailureBlocked, principalLimit, principalWindow } from "./rate-limit";
import type { Logger } from "../core/logger";
import { unauthorized } from "../core/problem";
import { digest } from "../core/secrets";

export const SESSION_COOKIES = ["__Secure-authjs.session-token", "authjs.session-token"] as const;

export interface SessionRecord {
  subject: string;
  expires: Date;
}

export interface SessionAuthOptions {
  /** Redis namespace, e.g. "scheduler" */
  namespace: string;
  lookup: (env: AppEnv, token: string) => Promise<SessionRecord | null>;
  /** cap on how long a lookup is served from Redis (seconds); default: until the session expires */
  maxCacheSec?: number;
}

const cacheKey = async (namespace: string, token: string) => `${namespace}:session:${await digest(token)}`;

/** Drops a cached session at once (sign-out); the module deletes the row in the same request. */
export async function forgetSession(env: AppEnv, logger: Logger, namespace: string, token: string): Promise<void> {
  await createCache(env, logger).del(await cacheKey(namespace, token));
}

export function sessionAuth(opts: SessionAuthOptions): MiddlewareHandler<AppContext> {
  return async (c, next) => {
    const blocked = authFailureBlocked(c);
    if (blocked) throw blocked;
    const token = bearerToken(c.req.header("Authorization")) ?? SESSION_COOKIES.map((n) => getCookie(c, n)).find(Boolean) ?? null;
    if (!token) throw unauthorized("This route needs a session token (bearer or Auth.js session cookie).");
    if (token.length > 512) throw await authFailure(c, invalidToken("The session token is not valid."));
    const cache = requestCache(c);
    const key = await cacheKey(opts.namespace, token);
    const known = credentialSubjects.get(key);
    await prefetch(c, { gets: [key], limits: known ? principalWindow(c, known) : [] });
    const cached = await cache.get<{ subject: string; expires: string }>(key);
    let session: SessionRecord | null = cached ? { subject: cached.subject, expires: new Date(cached.expires) } : null;
    if (!session) {
      session = await opts.lookup(c.env, token);
      const ttlMs = session ? session.expires.getTime() - Date.now() : 0;
      if (session && ttlMs > 1000) {
        const capped = opts.maxCacheSec ? Math.min(ttlMs, opts.maxCacheSec * 1000) : ttlMs;
        await cache.setIfAbsent(key, { subject: session.subject, expires: session.expires.toISOString() }, { ttlMs: capped });
      }
    }
    if (!session || !(session.expires.getTime() > Date.now()))
      throw await authFailure(c, invalidToken("The session is unknown or has expired."));
    credentialSubjects.set(key, session.subject);
    c.set("principal", { kind: "session", subject: session.subject, claims: { expires: session.expires.toISOString() } });
    await principalLimit(c, next);
  };
}
