/**
 * Who may call: an Auth.js database session (bearer or cookie, looked up in "session" and cached in Redis
 * until it expires) or one of the user's salted API keys (`sch_<prefix>_<secret>`: "ApiKey" keeps the
 * prefix, a salt and the salted digest). Admin routes take the admin token.
 * A key's lastUsedAt is written at most once a minute per key (a Redis SET NX decides), after the
 * response (waitUntil), so it never adds a round trip to the request.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { createCache } from "../../src/cache/client";
import { apiKeyAuth } from "../../src/http/api-key";
import { errorFields } from "../../src/http/logger";
import { firstOf, type PrincipalContext, sessionAuth } from "./_pending-platform";
import { schedulerDb } from "./db";
import { apiKeys, sessions } from "./schema";

export { requireAdmin } from "../../src/http/auth";

export const API_KEY_PREFIX = "sch";
export const API_KEY_CACHE = "scheduler:apikey";
export const API_KEY_TTL_SECONDS = 60;
export const SESSION_NAMESPACE = "scheduler";
export const lastUsedKey = (prefix: string) => `scheduler:key-used:${prefix}`;

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

/** The API key, with the deferred, throttled lastUsedAt write; sets a platform-shaped principal. */
const apiKeyPrincipal: MiddlewareHandler<PrincipalContext> = async (c, next) => {
  let lookup = "";
  await keyAuth(c as never, async () => {
    const p = (c as unknown as { var: { principal: { subject: string; keyLookup: string } } }).var.principal;
    lookup = p.keyLookup;
    c.set("principal", { kind: "apiKey", subject: p.subject, claims: { keyPrefix: p.keyLookup } });
  });
  if (!lookup) return;
  const logger = c.get("logger");
  const first = await createCache(c.env, logger).setIfAbsent(lastUsedKey(lookup), 1, { ttlMs: 60_000 });
  if (first) {
    c.executionCtx.waitUntil(
      schedulerDb(c.env).update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.prefix, lookup))
        .then(() => undefined, (err) => logger.warn("lastUsedAt not written", errorFields(err))),
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

/** A user: API key first (recognised by its shape without any I/O), else an Auth.js session. */
export const userAuth = firstOf(apiKeyPrincipal, session);

export const userSecurity: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];
export const adminSecurity: Record<string, string[]>[] = [{ adminToken: [] }];
