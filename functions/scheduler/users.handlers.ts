import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { revokeCachedApiKey } from "../../src/http/api-key";
import { notFound } from "../../src/core/problem";
import { forgetSession } from "../../src/http/session-auth";
import { issueKey } from "./api-keys.handlers";
import { API_KEY_CACHE, API_KEY_TTL_SECONDS, SESSION_NAMESPACE } from "./auth";
import { schedulerDb } from "./db";
import { apiKeyJson, userJson } from "./responses";
import { apiKeys, sessions, users } from "./schema";
import type * as routes from "./users.routes";

export const createUser: RouteHandler<typeof routes.createUser> = async (c) => {
  const body = c.req.valid("json");
  const db = schedulerDb(c.env);
  const userId = crypto.randomUUID();
  const { row, key } = await issueKey(userId, body.keyName);
  const [[user], [apiKey]] = await db.batch([
    db.insert(users).values({ id: userId, email: body.email, name: body.name }).returning(),
    db.insert(apiKeys).values(row).returning(),
  ]);
  c.header("Location", `/v1/scheduler/users/${userId}`);
  return c.json({ user: userJson(user!), apiKey: { ...apiKeyJson(apiKey!), key } }, 201);
};

export const deleteUser: RouteHandler<typeof routes.deleteUser> = async (c) => {
  const { id } = c.req.valid("param");
  const db = schedulerDb(c.env);
  // The batch reads what the cache may hold for this user before the cascade removes it.
  const [keys, tokens, deleted] = await db.batch([
    db.select({ prefix: apiKeys.prefix }).from(apiKeys).where(eq(apiKeys.userId, id)),
    db.select({ token: sessions.sessionToken }).from(sessions).where(eq(sessions.userId, id)),
    db.delete(users).where(eq(users.id, id)).returning({ id: users.id }),
  ]);
  if (!deleted.length) throw notFound("No such user.");
  const cache = createCache(c.env, c.get("logger"));
  await Promise.all([
    ...keys.map((k) => revokeCachedApiKey(cache, API_KEY_CACHE, k.prefix, API_KEY_TTL_SECONDS)),
    ...tokens.map((t) => forgetSession(c.env, c.get("logger"), SESSION_NAMESPACE, t.token)),
  ]);
  return c.body(null, 204);
};

export const getMe: RouteHandler<typeof routes.getMe> = async (c) => {
  const [user] = await schedulerDb(c.env).select().from(users).where(eq(users.id, c.var.principal.subject)).limit(1);
  if (!user) throw notFound("The user of these credentials no longer exists.");
  return c.json(userJson(user), 200);
};
