/**
 * Who may call: one of the user's salted API keys (`sch_<prefix>_<secret>`: "ApiKey" keeps the prefix, a salt
 * and the salted digest) or an Auth.js database session (bearer or cookie, looked up in "session" and cached in
 * Redis until it expires). Admin routes take the admin token.
 * A key's lastUsedAt is written at most once a minute per key (a Redis SET NX decides), after the
 * response (waitUntil), so it never adds a round trip to the request.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createCache } from "../../src/cache/client";
import { errorFields } from "../../src/core/logger";
import { unauthorized } from "../../src/core/problem";
import type { AppContext } from "../../src/env";
import { firstOf } from "../../src/http/any-auth";
import { apiKeyAuth, apiKeyLookupOf } from "../../src/http/api-key";
import { bearerToken } from "../../src/http/auth";
import type { Principal } from "../../src/http/principal";
import { sessionAuth } from "../../src/http/session-auth";
import { schedulerDb } from "./db";
import { apiKeys, sessions } from "./schema";

export { requireAdmin } from "../../src/http/auth";

export const API_KEY_PREFIX = "sch";
export const API_KEY_CACHE = "scheduler:apikey";
export const API_KEY_TTL_SECONDS = 60;
export const SESSION_NAMESPACE = "scheduler";
export const lastUsedKey = (prefix: string) => `scheduler:key-used:${prefix}`;

/** What handlers behind userAuth see: a principal is always set. */
export type UserContext = { Bindings: AppContext["Bindings"]; Variables: AppContext["Variables"] & { principal: Principal } };

const keyAuth = apiKeyAuth({
  prefix: API_KEY_PREFIX,
  cacheNamespace: API_KEY_CACHE,
  ttlSeconds: API_KEY_TTL_SECONDS,
  async find(c, lookup) {
    const [k] = await schedulerDb(c.env)
      .select({ subject: apiKeys.userId, hash: apiKeys.hash, salt: apiKeys.salt })
      .from(apiKeys)
      .where(eq(apiKeys.prefix, lookup))
      .limit(1);
    return k ?? null;
  },
});

/** The API key, then the deferred, throttled lastUsedAt write. */
const apiKeyUser: MiddlewareHandler<AppContext> = async (c, next) => {
  // A token not shaped like our keys is someone else's (a session): pass it on without counting a failed login.
  if (!bearerToken(c.req.header("Authorization"))?.startsWith(`${API_KEY_PREFIX}_`)) throw unauthorized("No API key.");
  let accepted = false;
  await keyAuth(c as never, async () => {
    accepted = true;
  });
  if (!accepted) return;
  const lookup = apiKeyLookupOf(c.get("principal")!);
  const logger = c.get("logger");
  if (await createCache(c.env, logger).setIfAbsent(lastUsedKey(lookup), 1, { ttlMs: 60_000 })) {
    c.executionCtx.waitUntil(
      schedulerDb(c.env)
        .update(apiKeys)
        .set({ lastUsedAt: sql`now()` })
        .where(eq(apiKeys.prefix, lookup))
        .then(
          () => undefined,
          (err) => logger.warn("lastUsedAt not written", errorFields(err)),
        ),
    );
  }
  await next();
};

const session = sessionAuth({
  namespace: SESSION_NAMESPACE,
  async lookup(env, token) {
    const [s] = await schedulerDb(env)
      .select({ subject: sessions.userId, expires: sessions.expires })
      .from(sessions)
      .where(and(eq(sessions.sessionToken, token), gt(sessions.expires, sql`now()`)))
      .limit(1);
    return s ?? null;
  },
});

/** A session (sessionAuth, like apiKeyAuth, applies the per-principal rate limit itself). */
const sessionUser: MiddlewareHandler<AppContext> = session;

/** A user: API key first (recognised by its shape without any I/O), else an Auth.js session. */
export const userAuth = firstOf(apiKeyUser, sessionUser) as unknown as MiddlewareHandler<UserContext>;

export const userSecurity: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }];
