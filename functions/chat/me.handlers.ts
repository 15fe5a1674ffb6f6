import type { RouteHandler } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { requestCache } from "../../src/http/prefetch";
import { callerOf, NO_EMAIL_DOMAIN } from "./auth";
import { chatConfig } from "./config";
import { chatDb } from "./db";
import type * as routes from "./me.routes";
import { meCacheKey, planOf } from "./plan";
import { userJson } from "./responses";
import { subscriptions, users } from "./schema";

type MeJson = ReturnType<typeof userJson> & { plan: ReturnType<typeof planOf> };

export const getMe: RouteHandler<typeof routes.getMe> = async (c) => {
  const caller = callerOf(c);
  const cfg = chatConfig(c.env);
  const cache = requestCache(c);
  const hit = await cache.get<MeJson>(meCacheKey(caller.id));
  if (hit) return c.json(hit, 200, { "X-Cache": "redis" });
  const db = chatDb(c.env);
  // Created on first sight, refreshed from the token's claims after (a token without email keeps the stored one).
  const changed = sql`(${users.email}, ${users.name}, ${users.avatarUrl}) IS DISTINCT FROM (excluded.email, coalesce(excluded.name, ${users.name}), coalesce(excluded.avatar_url, ${users.avatarUrl}))`;
  const [[user], [sub]] = await db.batch([
    db
      .insert(users)
      .values({ id: caller.id, email: caller.email, name: caller.name, avatarUrl: caller.avatarUrl })
      .onConflictDoUpdate({
        target: users.id,
        set: {
          email: sql`CASE WHEN excluded.email LIKE ${`%@${NO_EMAIL_DOMAIN}`} THEN ${users.email} ELSE excluded.email END`,
          name: sql`coalesce(excluded.name, ${users.name})`,
          avatarUrl: sql`coalesce(excluded.avatar_url, ${users.avatarUrl})`,
          updatedAt: sql`CASE WHEN ${changed} THEN now() ELSE ${users.updatedAt} END`,
        },
      })
      .returning(),
    db.select().from(subscriptions).where(eq(subscriptions.userId, caller.id)),
  ]);
  const body: MeJson = { ...userJson(user!), plan: planOf(sub, cfg) };
  c.executionCtx.waitUntil(cache.set(meCacheKey(caller.id), body, { ttlSeconds: cfg.cacheTtlSeconds }));
  return c.json(body, 200, { "X-Cache": "origin" });
};
