import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, inArray, ne, or, sql } from "drizzle-orm";
import { selectRow } from "../../src/db/insert-select";
import { containsPattern } from "../../src/db/like";
import type { AppEnv } from "../../src/env";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { conflict, HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { callerOf, ensureUser } from "./auth";
import { chatConfig } from "./config";
import { chatDb } from "./db";
import type * as routes from "./instances.routes";
import { agentLimitSql } from "./plan";
import { instanceJson } from "./responses";
import { agentDefinitions, type AgentInstanceStatus, agentInstances, subscriptions, users } from "./schema";

const mine = (id: string, userId: string) => and(eq(agentInstances.id, id), eq(agentInstances.userId, userId));
const noInstance = () => notFound("No such agent instance.");

export const createInstance: RouteHandler<typeof routes.createInstance> = async (c) => {
  const caller = callerOf(c);
  const body = c.req.valid("json");
  const cfg = chatConfig(c.env);
  const db = chatDb(c.env);
  const limit = agentLimitSql(caller.id, cfg);
  const live = sql`(SELECT count(*) FROM ${agentInstances} WHERE ${and(eq(agentInstances.userId, caller.id), ne(agentInstances.status, "archived"))})`;
  const usable = and(
    eq(agentDefinitions.id, body.definitionId),
    or(eq(agentDefinitions.userId, caller.id), eq(agentDefinitions.isPublic, true)),
  );
  // One transaction. Under READ COMMITTED each statement sees rows committed before it starts, so the
  // caller's users row is locked first (FOR NO KEY UPDATE: other writes' foreign-key checks still pass):
  // concurrent creates of one user then run the conditional INSERT one after the other, each counting
  // the instances the previous ones committed. The cap itself is the INSERT's WHERE.
  const [, , [row], [state]] = await db.batch([
    ensureUser(db, caller),
    db.select({ id: users.id }).from(users).where(eq(users.id, caller.id)).for("no key update"),
    db
      .insert(agentInstances)
      .select(
        db
          .select(
            selectRow(agentInstances, {
              id: crypto.randomUUID(),
              userId: caller.id,
              definitionId: body.definitionId,
              name: body.name,
              configuration: body.configuration,
              metadata: body.metadata,
            }),
          )
          .from(agentDefinitions)
          .where(and(usable, sql`${live} < ${limit}`)),
      )
      .returning(),
    db
      .select({
        definitionOk: sql<boolean>`EXISTS (SELECT 1 FROM ${agentDefinitions} WHERE ${usable})`,
        live: sql<number>`${live}::int`,
        limit: sql<number>`${limit}::int`,
        plan: sql<string>`coalesce((SELECT ${subscriptions.plan} FROM ${subscriptions} WHERE ${and(eq(subscriptions.userId, caller.id), eq(subscriptions.isActive, true))}), 'free')`,
      })
      .from(sql`(SELECT 1) AS one`),
  ]);
  if (!row) {
    if (!state?.definitionOk) {
      throw new HttpProblem({
        status: 422,
        type: problemTypes.invalidReference,
        detail: "No definition of yours, and no public one, has this id.",
        errors: [{ path: "body.definitionId", message: "references nothing you may use" }],
      });
    }
    throw new HttpProblem({
      status: 403,
      type: "/problems/agent-limit-reached",
      detail: `Your ${state.plan} plan allows ${state.limit} agent instance(s) that are not archived; archive one or upgrade.`,
      extensions: { agentLimit: Number(state.limit), activeInstances: Number(state.live), plan: state.plan },
    });
  }
  c.header("Location", `/v1/chat/agent-instances/${row.id}`);
  return c.json(instanceJson(row), 201);
};

const sortColumns = { createdAt: agentInstances.createdAt, updatedAt: agentInstances.updatedAt, name: agentInstances.name };

export const listInstances: RouteHandler<typeof routes.listInstances> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(agentInstances)
    .where(
      and(
        eq(agentInstances.userId, callerOf(c).id),
        q.status ? eq(agentInstances.status, q.status) : undefined,
        q.q ? ilike(agentInstances.name, containsPattern(q.q)) : undefined,
      ),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(agentInstances.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(instanceJson) }, 200);
};

export const getInstance: RouteHandler<typeof routes.getInstance> = async (c) => {
  const [row] = await chatDb(c.env)
    .select()
    .from(agentInstances)
    .where(mine(c.req.valid("param").id, callerOf(c).id));
  if (!row) throw noInstance();
  return c.json(instanceJson(row), 200);
};

export const patchInstance: RouteHandler<typeof routes.patchInstance> = async (c) => {
  const [row] = await chatDb(c.env)
    .update(agentInstances)
    .set(c.req.valid("json"))
    .where(mine(c.req.valid("param").id, callerOf(c).id))
    .returning();
  if (!row) throw noInstance();
  return c.json(instanceJson(row), 200);
};

/** active ↔ paused → archived (archiving from either; archived is final). */
const moves: Record<AgentInstanceStatus, readonly AgentInstanceStatus[]> = {
  active: ["paused"],
  paused: ["active"],
  archived: ["active", "paused"],
};

async function move(env: AppEnv, userId: string, id: string, to: AgentInstanceStatus, action: string) {
  const db = chatDb(env);
  const [moved, now] = await db.batch([
    db
      .update(agentInstances)
      .set({ status: to })
      .where(and(mine(id, userId), inArray(agentInstances.status, [...moves[to]])))
      .returning(),
    db.select({ status: agentInstances.status }).from(agentInstances).where(mine(id, userId)),
  ]);
  if (!now[0]) throw noInstance();
  if (!moved[0]) throw conflict(`Cannot ${action} an instance that is ${now[0].status}.`);
  return instanceJson(moved[0]);
}

export const pauseInstance: RouteHandler<typeof routes.pauseInstance> = async (c) =>
  c.json(await move(c.env, callerOf(c).id, c.req.valid("param").id, "paused", "pause"), 200);
export const resumeInstance: RouteHandler<typeof routes.resumeInstance> = async (c) =>
  c.json(await move(c.env, callerOf(c).id, c.req.valid("param").id, "active", "resume"), 200);
export const archiveInstance: RouteHandler<typeof routes.archiveInstance> = async (c) =>
  c.json(await move(c.env, callerOf(c).id, c.req.valid("param").id, "archived", "archive"), 200);
