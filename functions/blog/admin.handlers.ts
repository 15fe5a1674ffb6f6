import type { AppRouteHandler } from "../../src/http/router";
import { asc, eq, sql } from "drizzle-orm";
import { notFound } from "../../src/core/problem";
import type * as routes from "./admin.routes";
import { blogDb } from "./db";
import { agentConfigJson, settingJson } from "./responses";
import { agentModelConfigs, appSettings } from "./schema";

export const listAgents: AppRouteHandler<typeof routes.listAgents> = async (c) => {
  const rows = await blogDb(c.env).select().from(agentModelConfigs).orderBy(asc(agentModelConfigs.id));
  return c.json({ items: rows.map(agentConfigJson) }, 200);
};

export const patchAgent: AppRouteHandler<typeof routes.patchAgent> = async (c) => {
  const { agentId } = c.req.valid("param");
  const b = c.req.valid("json");
  const [row] = await blogDb(c.env)
    .update(agentModelConfigs)
    .set({
      agentLabel: b.agentLabel,
      modelId: b.modelId,
      // Two decimals, never exponent notation: the column is text read back with Number().
      temperature: b.temperature === undefined ? undefined : String(Number(b.temperature.toFixed(2))),
      maxTokens: b.maxTokens === undefined ? undefined : String(b.maxTokens),
    })
    .where(eq(agentModelConfigs.agentId, agentId))
    .returning();
  if (!row) throw notFound(`No agent ${JSON.stringify(agentId)} is configured.`);
  return c.json(agentConfigJson(row), 200);
};

export const listSettings: AppRouteHandler<typeof routes.listSettings> = async (c) => {
  const rows = await blogDb(c.env).select().from(appSettings).orderBy(asc(appSettings.key));
  return c.json({ items: rows.map(settingJson) }, 200);
};

export const getSetting: AppRouteHandler<typeof routes.getSetting> = async (c) => {
  const { key } = c.req.valid("param");
  const [row] = await blogDb(c.env).select().from(appSettings).where(eq(appSettings.key, key)).limit(1);
  if (!row) throw notFound(`No app setting ${JSON.stringify(key)}.`);
  return c.json(settingJson(row), 200);
};

export const putSetting: AppRouteHandler<typeof routes.putSetting> = async (c) => {
  const { key } = c.req.valid("param");
  const { value } = c.req.valid("json");
  const [row] = await blogDb(c.env)
    .insert(appSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: appSettings.key, set: { value: sql`excluded.value`, updatedAt: sql`now()` } })
    .returning();
  return c.json(settingJson(row!), 200);
};
