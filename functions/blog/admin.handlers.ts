import type { AppRouteHandler } from "../../src/http/router";
import { asc, eq, sql } from "drizzle-orm";
import { notFound } from "../../src/core/problem";
import type { getSettingRoute, listAgentsRoute, listSettingsRoute, patchAgentRoute, putSettingRoute } from "./admin.routes";
import { blogDb } from "./context";
import { agentModelConfigs, appSettings, type AgentModelConfig, type AppSetting } from "./schema";

/** Settings whose values are credentials: written, never read back. */
export const isSecretSetting = (key: string) => /(^|_)(key|secret|token|password)$/.test(key);

const toAgentOut = (r: AgentModelConfig) => ({
  agentId: r.agentId, agentLabel: r.agentLabel, modelId: r.modelId,
  temperature: Number(r.temperature ?? "0.7"), maxTokens: Number(r.maxTokens ?? "4096"), updatedAt: r.updatedAt.toISOString(),
});

const toSettingOut = (r: AppSetting) => {
  const secret = isSecretSetting(r.key);
  return { key: r.key, secret, isSet: r.value !== "", ...(secret ? {} : { value: r.value }), updatedAt: r.updatedAt.toISOString() };
};

export const listAgentsHandler: AppRouteHandler<typeof listAgentsRoute> = async (c) => {
  const rows = await blogDb(c).select().from(agentModelConfigs).orderBy(asc(agentModelConfigs.id));
  return c.json({ items: rows.map(toAgentOut) }, 200);
};

export const patchAgentHandler: AppRouteHandler<typeof patchAgentRoute> = async (c) => {
  const { agentId } = c.req.valid("param");
  const b = c.req.valid("json");
  const [row] = await blogDb(c).update(agentModelConfigs).set({
    agentLabel: b.agentLabel,
    modelId: b.modelId,
    // Two decimals, never exponent notation: the column is text read back with Number().
    temperature: b.temperature === undefined ? undefined : String(Number(b.temperature.toFixed(2))),
    maxTokens: b.maxTokens === undefined ? undefined : String(b.maxTokens),
  }).where(eq(agentModelConfigs.agentId, agentId)).returning();
  if (!row) throw notFound(`No agent ${JSON.stringify(agentId)} is configured.`);
  return c.json(toAgentOut(row), 200);
};

export const listSettingsHandler: AppRouteHandler<typeof listSettingsRoute> = async (c) => {
  const rows = await blogDb(c).select().from(appSettings).orderBy(asc(appSettings.key));
  return c.json({ items: rows.map(toSettingOut) }, 200);
};

export const getSettingHandler: AppRouteHandler<typeof getSettingRoute> = async (c) => {
  const { key } = c.req.valid("param");
  const [row] = await blogDb(c).select().from(appSettings).where(eq(appSettings.key, key)).limit(1);
  if (!row) throw notFound(`No app setting ${JSON.stringify(key)}.`);
  return c.json(toSettingOut(row), 200);
};

export const putSettingHandler: AppRouteHandler<typeof putSettingRoute> = async (c) => {
  const { key } = c.req.valid("param");
  const { value } = c.req.valid("json");
  const [row] = await blogDb(c).insert(appSettings).values({ key, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } })
    .returning();
  return c.json(toSettingOut(row!), 200);
};
