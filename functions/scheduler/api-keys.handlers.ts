import type { RouteHandler } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { revokeCachedApiKey } from "../../src/http/api-key";
import { notFound } from "../../src/core/problem";
import { issueApiKey } from "../../src/core/secrets";
import type * as routes from "./api-keys.routes";
import { API_KEY_CACHE, API_KEY_PREFIX, API_KEY_TTL_SECONDS } from "./auth";
import { schedulerDb } from "./db";
import { apiKeyJson } from "./responses";
import { apiKeys, type NewApiKey } from "./schema";

/** A new salted key for `userId`: the row to insert and the full key to show once. */
export async function issueKey(userId: string, name: string): Promise<{ row: NewApiKey; key: string }> {
  const k = await issueApiKey(API_KEY_PREFIX, { salted: true });
  return { row: { id: crypto.randomUUID(), userId, name, prefix: k.lookup, salt: k.salt, hash: k.hash }, key: k.key };
}

export const createApiKey: RouteHandler<typeof routes.createApiKey> = async (c) => {
  const { row, key } = await issueKey(c.var.principal.subject, c.req.valid("json").name);
  const [created] = await schedulerDb(c.env).insert(apiKeys).values(row).returning();
  c.header("Location", `/v1/scheduler/api-keys/${created!.id}`);
  return c.json({ ...apiKeyJson(created!), key }, 201);
};

export const listApiKeys: RouteHandler<typeof routes.listApiKeys> = async (c) => {
  const rows = await schedulerDb(c.env)
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(eq(apiKeys.userId, c.var.principal.subject))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(100);
  return c.json({ items: rows.map(apiKeyJson) }, 200);
};

export const revokeApiKey: RouteHandler<typeof routes.revokeApiKey> = async (c) => {
  const [gone] = await schedulerDb(c.env)
    .delete(apiKeys)
    .where(and(eq(apiKeys.id, c.req.valid("param").id), eq(apiKeys.userId, c.var.principal.subject)))
    .returning({ prefix: apiKeys.prefix });
  if (!gone) throw notFound("No such API key.");
  await revokeCachedApiKey(createCache(c.env, c.get("logger")), API_KEY_CACHE, gone.prefix, API_KEY_TTL_SECONDS);
  return c.body(null, 204);
};
