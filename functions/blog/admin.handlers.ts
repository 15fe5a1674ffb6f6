import type { AppRouteHandler } from "../../src/http/router";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { afterCursor, cursorPageOf, decodeCursor, UUID_ID } from "../../src/http/pagination";
import { conflict, notFound } from "../../src/core/problem";
import { location } from "../../src/http/location";
import type * as routes from "./admin.routes";
import { blogDb } from "./db";
import { agentConfigJson, sessionJson, settingJson } from "./responses";
import { agentModelConfigs, appSettings, blogSessions } from "./schema";

export const listAgents: AppRouteHandler<typeof routes.listAgents> = async (c) => {
  const rows = await blogDb(c.env).select().from(agentModelConfigs).orderBy(asc(agentModelConfigs.id));
  return c.json({ items: rows.map(agentConfigJson) }, 200);
};

/** Temperature and max tokens are text columns read back with Number(): two decimals, never exponent notation. */
const temperatureText = (t: number | undefined) => (t === undefined ? undefined : String(Number(t.toFixed(2))));
const maxTokensText = (n: number | undefined) => (n === undefined ? undefined : String(n));

export const createAgent: AppRouteHandler<typeof routes.createAgent> = async (c) => {
  const b = c.req.valid("json");
  const [row] = await blogDb(c.env)
    .insert(agentModelConfigs)
    .values({
      agentId: b.agentId,
      agentLabel: b.agentLabel,
      modelId: b.modelId,
      temperature: temperatureText(b.temperature),
      maxTokens: maxTokensText(b.maxTokens),
    })
    .onConflictDoNothing({ target: agentModelConfigs.agentId })
    .returning();
  if (!row)
    throw conflict(`The agent ${JSON.stringify(b.agentId)} is already configured; change it with PATCH.`, [
      { path: "body.agentId", message: "already configured" },
    ]);
  return c.json(agentConfigJson(row), 201, { Location: location(c, `/admin/agents/${row.agentId}`) });
};

export const deleteAgent: AppRouteHandler<typeof routes.deleteAgent> = async (c) => {
  const { agentId } = c.req.valid("param");
  const gone = await blogDb(c.env)
    .delete(agentModelConfigs)
    .where(eq(agentModelConfigs.agentId, agentId))
    .returning({ id: agentModelConfigs.id });
  if (!gone.length) throw notFound(`No agent ${JSON.stringify(agentId)} is configured.`);
  return c.body(null, 204);
};

export const patchAgent: AppRouteHandler<typeof routes.patchAgent> = async (c) => {
  const { agentId } = c.req.valid("param");
  const b = c.req.valid("json");
  const [row] = await blogDb(c.env)
    .update(agentModelConfigs)
    .set({
      agentLabel: b.agentLabel,
      modelId: b.modelId,
      temperature: temperatureText(b.temperature),
      maxTokens: maxTokensText(b.maxTokens),
    })
    .where(eq(agentModelConfigs.agentId, agentId))
    .returning();
  if (!row) throw notFound(`No agent ${JSON.stringify(agentId)} is configured.`);
  return c.json(agentConfigJson(row), 200);
};

/** The default for a new setting that is not declared either way: names of credentials (before issue 14 the only rule). */
const secretByName = (key: string) => /(^|_)(key|secret|token|password)$/.test(key);

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
  const { value, secret } = c.req.valid("json");
  // The value is replaced in the same statement, so declaring a secret no longer secret never reveals the old value.
  const [row] = await blogDb(c.env)
    .insert(appSettings)
    .values({ key, value, isSecret: secret ?? secretByName(key) })
    .onConflictDoUpdate({
      target: appSettings.key,
      set: { value: sql`excluded.value`, updatedAt: sql`now()`, isSecret: secret }, // undefined: kept as it was
    })
    .returning();
  return c.json(settingJson(row!), 200);
};

export const listSessions: AppRouteHandler<typeof routes.listSessions> = async (c) => {
  const q = c.req.valid("query");
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor, UUID_ID);
  const rows = await blogDb(c.env)
    .select({ session: blogSessions, at: sql<string>`${blogSessions.createdAt}::text` })
    .from(blogSessions)
    .where(
      and(q.status ? eq(blogSessions.status, q.status) : undefined, afterCursor(cursor, blogSessions.createdAt, blogSessions.id, "desc")),
    )
    .orderBy(desc(blogSessions.createdAt), desc(blogSessions.id))
    .limit(q.limit + 1);
  return c.json(
    cursorPageOf(
      rows,
      q.limit,
      (r) => r.session.id,
      (r) => sessionJson(r.session),
    ),
    200,
  );
};

export const deleteSession: AppRouteHandler<typeof routes.deleteSession> = async (c) => {
  const gone = await blogDb(c.env)
    .delete(blogSessions)
    .where(eq(blogSessions.id, c.req.valid("param").id))
    .returning({ id: blogSessions.id });
  if (!gone.length) throw notFound("No blog session has this id.");
  return c.body(null, 204);
};
