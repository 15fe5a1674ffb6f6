import { location } from "../../src/http/location";
import type { AppRouteHandler } from "../../src/http/router";
import { and, eq } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { revokeCachedApiKey, apiKeyLookupOf } from "../../src/http/api-key";
import { conflict, notFound } from "../../src/core/problem";
import { issueApiKey } from "../../src/core/secrets";
import { API_KEY_CACHE, API_KEY_PREFIX, API_KEY_TTL_SECONDS } from "./auth";
import { marketingDb } from "./db";
import { users } from "./schema";
import { channelJson, userJson } from "./shapes";
import type * as routes from "./users.routes";

export const createUser: AppRouteHandler<typeof routes.createUser> = async (c) => {
  const { email } = c.req.valid("json");
  const key = await issueApiKey(API_KEY_PREFIX);
  const [user] = await marketingDb(c.env).insert(users).values({ email, apiKey: key.lookup, apiKeyHash: key.hash }).returning();
  c.header("Location", location(c, `/users/${user!.id}`));
  return c.json({ user: userJson(user!), apiKey: key.key }, 201);
};

async function userWithChannels(env: Parameters<typeof marketingDb>[0], id: string | { email: string }) {
  const user = await marketingDb(env).query.users.findFirst({
    where: typeof id === "string" ? eq(users.id, id) : eq(users.email, id.email),
    with: { channels: { orderBy: (ch, { asc }) => [asc(ch.linkedAt), asc(ch.id)] } },
  });
  if (!user) throw notFound("No such user.");
  return { ...userJson(user), channels: user.channels.map(channelJson) };
}

export const getUser: AppRouteHandler<typeof routes.getUser> = async (c) =>
  c.json(await userWithChannels(c.env, c.req.valid("param").id), 200);

export const getMe: AppRouteHandler<typeof routes.getMe> = async (c) => c.json(await userWithChannels(c.env, c.var.principal.subject), 200);

export const rotateKey: AppRouteHandler<typeof routes.rotateKey> = async (c) => {
  const { subject } = c.var.principal;
  const keyLookup = apiKeyLookupOf(c.var.principal);
  const key = await issueApiKey(API_KEY_PREFIX);
  // Conditional on the key used for this call, so two concurrent rotations cannot both succeed.
  const [user] = await marketingDb(c.env)
    .update(users)
    .set({ apiKey: key.lookup, apiKeyHash: key.hash })
    .where(and(eq(users.id, subject), eq(users.apiKey, keyLookup)))
    .returning();
  if (!user) throw conflict("This API key was already replaced.");
  await revokeCachedApiKey(createCache(c.env, c.get("logger")), API_KEY_CACHE, keyLookup, API_KEY_TTL_SECONDS);
  return c.json({ user: userJson(user), apiKey: key.key }, 200);
};

export const getUserByEmail: AppRouteHandler<typeof routes.getUserByEmail> = async (c) =>
  c.json(await userWithChannels(c.env, { email: c.req.valid("query").email }), 200);
