import type { AppRouteHandler } from "../../src/http/router";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import { conflict, notFound } from "../../src/core/problem";
import type * as routes from "./admin.routes";
import { forgetAdminFlag } from "./auth";
import { influencerConfig } from "./config";
import { influencerDb } from "./db";
import { badRequestField } from "./problems";
import { adminJson, configJson, profileJson } from "./responses";
import { systemConfigurations, userProfiles } from "./schema";
import { configDeps, invalidateConfig, loadConfig, parseConfigValue } from "./system-config";

export const listConfig: AppRouteHandler<typeof routes.listConfig> = async (c) => {
  const { rows, source } = await loadConfig(configDeps(c));
  c.header("X-Config-Source", source);
  return c.json({ items: rows.map(configJson) }, 200);
};

export const getConfig: AppRouteHandler<typeof routes.getConfig> = async (c) => {
  const { category, key } = c.req.valid("param");
  const { rows, source } = await loadConfig(configDeps(c));
  const row = rows.find((r) => r.category === category && r.key === key);
  if (!row) throw notFound(`No system configuration ${category}.${key}.`);
  c.header("X-Config-Source", source);
  return c.json(configJson(row), 200);
};

export const putConfig: AppRouteHandler<typeof routes.putConfig> = async (c) => {
  const { category, key } = c.req.valid("param");
  const body = c.req.valid("json");
  const parsed = parseConfigValue(body.value, body.valueType);
  if (!parsed.ok) throw badRequestField("body.value", `The value is not a valid ${body.valueType}.`, parsed.message);
  const t = systemConfigurations;
  const [row] = await influencerDb(c.env)
    .insert(t)
    .values({
      category,
      key,
      value: body.value,
      valueType: body.valueType,
      description: body.description,
      isHotReloadable: body.isHotReloadable,
    })
    .onConflictDoUpdate({
      target: [t.category, t.key],
      set: {
        value: body.value,
        valueType: body.valueType,
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.isHotReloadable !== undefined ? { isHotReloadable: body.isHotReloadable } : {}),
        updatedAt: sql`now()`,
      },
    })
    .returning({ ...getTableColumns(t), inserted: sql<boolean>`(xmax = 0)` });
  await invalidateConfig(createCache(c.env, c.get("logger")));
  const { inserted, ...r } = row!;
  const out = configJson({ ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() });
  return inserted ? c.json(out, 201) : c.json(out, 200);
};

export const deleteConfig: AppRouteHandler<typeof routes.deleteConfig> = async (c) => {
  const { category, key } = c.req.valid("param");
  const gone = await influencerDb(c.env)
    .delete(systemConfigurations)
    .where(and(eq(systemConfigurations.category, category), eq(systemConfigurations.key, key)))
    .returning({ id: systemConfigurations.id });
  if (gone.length === 0) throw notFound(`No system configuration ${category}.${key}.`);
  await invalidateConfig(createCache(c.env, c.get("logger")));
  return c.body(null, 204);
};

const adminColumns = {
  userId: userProfiles.userId,
  fullName: userProfiles.fullName,
  email: userProfiles.email,
  isAdmin: userProfiles.isAdmin,
  updatedAt: userProfiles.updatedAt,
};

export const listAdmins: AppRouteHandler<typeof routes.listAdmins> = async (c) => {
  const rows = await influencerDb(c.env)
    .select(adminColumns)
    .from(userProfiles)
    .where(eq(userProfiles.isAdmin, true))
    .orderBy(asc(userProfiles.userId));
  return c.json({ items: rows.map(adminJson), configured: [...influencerConfig(c.env).adminIds].sort() }, 200);
};

export const promoteAdmin: AppRouteHandler<typeof routes.promoteAdmin> = async (c) => {
  const { userId } = c.req.valid("param");
  const [row] = await influencerDb(c.env)
    .update(userProfiles)
    .set({ isAdmin: true })
    .where(eq(userProfiles.userId, userId))
    .returning(adminColumns);
  if (!row) throw notFound("No profile has this user id.");
  await forgetAdminFlag(createCache(c.env, c.get("logger")), userId);
  return c.json(adminJson(row), 200);
};

// Any fixed number: every demotion takes this transaction-scoped lock, so they run one after the other.
const DEMOTION_LOCK = 4_713_004;

export const demoteAdmin: AppRouteHandler<typeof routes.demoteAdmin> = async (c) => {
  const { userId } = c.req.valid("param");
  const db = influencerDb(c.env);
  const [, demoted, [row]] = await db.batch([
    db.execute(sql`SELECT pg_advisory_xact_lock(${DEMOTION_LOCK})`),
    db
      .update(userProfiles)
      .set({ isAdmin: false })
      .where(
        and(
          eq(userProfiles.userId, userId),
          eq(userProfiles.isAdmin, true),
          sql`(SELECT count(*) FROM ${userProfiles} WHERE ${userProfiles.isAdmin}) > 1`,
        ),
      )
      .returning({ id: userProfiles.id }),
    db.select(adminColumns).from(userProfiles).where(eq(userProfiles.userId, userId)),
  ]);
  if (!row) throw notFound("No profile has this user id.");
  if (demoted.length === 0 && row.isAdmin) throw conflict("This is the last admin; promote another user first.");
  await forgetAdminFlag(createCache(c.env, c.get("logger")), userId);
  return c.json(adminJson(row), 200);
};

export const setSubscription: AppRouteHandler<typeof routes.setSubscription> = async (c) => {
  const { userId } = c.req.valid("param");
  const body = c.req.valid("json");
  const status = body.subscriptionStatus;
  const [row] = await influencerDb(c.env)
    .update(userProfiles)
    .set({
      subscriptionStatus: status,
      stripeCustomerId: body.stripeCustomerId,
      stripeSubscriptionId: body.stripeSubscriptionId,
      trialStatus: sql`CASE
      WHEN ${status} = 'active' AND ${userProfiles.trialStatus} IN ('active', 'expired') THEN 'converted'
      WHEN ${status} = 'canceled' AND ${userProfiles.trialStatus} = 'active' THEN 'cancelled'
      ELSE ${userProfiles.trialStatus} END`,
    })
    .where(eq(userProfiles.userId, userId))
    .returning();
  if (!row) throw notFound("No profile has this user id.");
  return c.json(profileJson(row), 200);
};
