import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike } from "drizzle-orm";
import { containsPattern } from "../../src/db/like";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { forbidden, notFound } from "../../src/core/problem";
import { chatDb } from "./db";
import { toolJson } from "./responses";
import { agentTools } from "./schema";
import type * as routes from "./tools.routes";

const sortColumns = { name: agentTools.name, createdAt: agentTools.createdAt };

export const listTools: RouteHandler<typeof routes.listTools> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(agentTools)
    .where(
      and(
        q.isSystem === undefined ? undefined : eq(agentTools.isSystem, q.isSystem),
        q.q ? ilike(agentTools.name, containsPattern(q.q)) : undefined,
      ),
    )
    .orderBy(dir(sortColumns[q.sortBy]), dir(agentTools.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(toolJson) }, 200);
};

export const getTool: RouteHandler<typeof routes.getTool> = async (c) => {
  const [row] = await chatDb(c.env)
    .select()
    .from(agentTools)
    .where(eq(agentTools.id, c.req.valid("param").id));
  if (!row) throw notFound("No such tool.");
  return c.json(toolJson(row), 200);
};

export const createTool: RouteHandler<typeof routes.createTool> = async (c) => {
  const [row] = await chatDb(c.env)
    .insert(agentTools)
    .values({ ...c.req.valid("json"), isSystem: false })
    .returning();
  c.header("Location", `/v1/chat/agent-tools/${row!.id}`);
  return c.json(toolJson(row!), 201);
};

export const patchTool: RouteHandler<typeof routes.patchTool> = async (c) => {
  const { id } = c.req.valid("param");
  const db = chatDb(c.env);
  const [updated, existing] = await db.batch([
    db
      .update(agentTools)
      .set(c.req.valid("json"))
      .where(and(eq(agentTools.id, id), eq(agentTools.isSystem, false)))
      .returning(),
    db.select({ isSystem: agentTools.isSystem }).from(agentTools).where(eq(agentTools.id, id)),
  ]);
  if (updated[0]) return c.json(toolJson(updated[0]), 200);
  if (!existing[0]) throw notFound("No such tool.");
  throw forbidden("System tools are read-only.");
};
