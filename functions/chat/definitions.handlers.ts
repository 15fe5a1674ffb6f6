import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, desc, eq, ilike, inArray, or, type SQL, sql } from "drizzle-orm";
import { createCache } from "../../src/cache/client";
import type { AppContext } from "../../src/env";
import { selectRow } from "../../src/db/insert-select";
import { containsPattern } from "../../src/db/like";
import { pageOf, pageWindow } from "../../src/http/pagination";
import { HttpProblem, notFound, problemTypes } from "../../src/core/problem";
import { callerOf, ensureUser } from "./auth";
import { bumpCatalogue, catalogueGeneration, cataloguePageKey } from "./catalogue.cache";
import { chatConfig } from "./config";
import { type ChatDb, chatDb } from "./db";
import type * as routes from "./definitions.routes";
import { definitionJson } from "./responses";
import { agentDefinitions, agentTools } from "./schema";

const mine = (id: string, userId: string) => and(eq(agentDefinitions.id, id), eq(agentDefinitions.userId, userId));
const noDefinition = () => notFound("No such agent definition.");

/** SQL true when every id names a tool: evaluated inside the write, so a tool cannot vanish in between. */
const allToolsExist = (ids: string[] | undefined): SQL | undefined =>
  ids?.length ? sql`(SELECT count(*) FROM ${agentTools} WHERE ${inArray(agentTools.id, ids)}) = ${ids.length}` : undefined;

/** The tools among `ids` that exist: read in the same batch, used only to name the unknown ones. */
const knownTools = (db: ChatDb, ids: string[] | undefined) =>
  db
    .select({ id: agentTools.id })
    .from(agentTools)
    .where(ids?.length ? inArray(agentTools.id, ids) : sql`false`);

function unknownTools(ids: string[], known: { id: string }[]): HttpProblem {
  const found = new Set(known.map((k) => k.id));
  return new HttpProblem({
    status: 400,
    type: problemTypes.validation,
    detail: "Some tools do not exist.",
    errors: ids.flatMap((t, i) => (found.has(t) ? [] : [{ path: `body.tools.${i}`, message: `no tool has the id ${t}` }])),
  });
}

export const createDefinition: RouteHandler<typeof routes.createDefinition> = async (c) => {
  const caller = callerOf(c);
  const body = c.req.valid("json");
  const db = chatDb(c.env);
  const [, [row], known] = await db.batch([
    ensureUser(db, caller),
    db
      .insert(agentDefinitions)
      .select(
        db
          .select(selectRow(agentDefinitions, { id: crypto.randomUUID(), userId: caller.id, ...body }))
          .from(sql`(SELECT 1) AS one`)
          .where(allToolsExist(body.tools)),
      )
      .returning(),
    knownTools(db, body.tools),
  ]);
  if (!row) throw unknownTools(body.tools, known);
  if (row.isPublic) await bumpCatalogue(createCache(c.env, c.get("logger")));
  c.header("Location", `/v1/chat/agent-definitions/${row.id}`);
  return c.json(definitionJson(row), 201);
};

const sortColumns = { createdAt: agentDefinitions.createdAt, updatedAt: agentDefinitions.updatedAt, name: agentDefinitions.name };

export const listDefinitions: RouteHandler<typeof routes.listDefinitions> = async (c) => {
  const q = c.req.valid("query");
  const dir = q.sortDirection === "asc" ? asc : desc;
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(agentDefinitions)
    .where(and(eq(agentDefinitions.userId, callerOf(c).id), q.q ? ilike(agentDefinitions.name, containsPattern(q.q)) : undefined))
    .orderBy(dir(sortColumns[q.sortBy]), dir(agentDefinitions.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  return c.json({ ...page, items: page.items.map(definitionJson) }, 200);
};

type CataloguePage = { items: ReturnType<typeof definitionJson>[]; page: number; pageSize: number; hasNext: boolean };

export const listPublicDefinitions: RouteHandler<typeof routes.listPublicDefinitions, AppContext> = async (c) => {
  const q = c.req.valid("query");
  const cache = createCache(c.env, c.get("logger"));
  const key = cataloguePageKey(await catalogueGeneration(cache), q.page, q.pageSize, q.q);
  const hit = await cache.get<CataloguePage>(key);
  if (hit) return c.json(hit, 200, { "X-Cache": "redis" });
  const { limit, offset } = pageWindow(q);
  const rows = await chatDb(c.env)
    .select()
    .from(agentDefinitions)
    .where(and(eq(agentDefinitions.isPublic, true), q.q ? ilike(agentDefinitions.name, containsPattern(q.q)) : undefined))
    .orderBy(desc(agentDefinitions.createdAt), desc(agentDefinitions.id))
    .limit(limit)
    .offset(offset);
  const page = pageOf(rows, q);
  const body: CataloguePage = { ...page, items: page.items.map(definitionJson) };
  c.executionCtx.waitUntil(cache.set(key, body, { ttlSeconds: chatConfig(c.env).cacheTtlSeconds }));
  return c.json(body, 200, { "X-Cache": "origin" });
};

export const getDefinition: RouteHandler<typeof routes.getDefinition> = async (c) => {
  const { id } = c.req.valid("param");
  const [row] = await chatDb(c.env)
    .select()
    .from(agentDefinitions)
    .where(and(eq(agentDefinitions.id, id), or(eq(agentDefinitions.userId, callerOf(c).id), eq(agentDefinitions.isPublic, true))));
  if (!row) throw noDefinition();
  return c.json(definitionJson(row), 200);
};

export const patchDefinition: RouteHandler<typeof routes.patchDefinition> = async (c) => {
  const { id } = c.req.valid("param");
  const body = c.req.valid("json");
  const userId = callerOf(c).id;
  const db = chatDb(c.env);
  const [updated, existing, known] = await db.batch([
    db
      .update(agentDefinitions)
      .set(body)
      .where(and(mine(id, userId), allToolsExist(body.tools)))
      .returning(),
    db.select({ isPublic: agentDefinitions.isPublic }).from(agentDefinitions).where(mine(id, userId)),
    knownTools(db, body.tools),
  ]);
  if (!existing[0]) throw noDefinition();
  if (!updated[0]) throw unknownTools(body.tools ?? [], known);
  // Public before or after: the catalogue changes. (RETURNING shows only the new row, so bump on any change.)
  await bumpCatalogue(createCache(c.env, c.get("logger")));
  return c.json(definitionJson(updated[0]), 200);
};

export const deleteDefinition: RouteHandler<typeof routes.deleteDefinition> = async (c) => {
  // Instances still using it fail on the NO ACTION foreign key: the platform answers 409.
  const gone = await chatDb(c.env)
    .delete(agentDefinitions)
    .where(mine(c.req.valid("param").id, callerOf(c).id))
    .returning({ isPublic: agentDefinitions.isPublic });
  if (gone.length === 0) throw noDefinition();
  if (gone[0]!.isPublic) await bumpCatalogue(createCache(c.env, c.get("logger")));
  return c.body(null, 204);
};
