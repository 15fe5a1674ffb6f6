import type { RouteHandler } from "@hono/zod-openapi";
import type { AppContext } from "../../src/env";
import { blogConfig } from "./config";
import { blogDb, cacheDeps } from "./context";
import { getDress, listDresses } from "./dresses.cache";
import type { getDressRoute, listDressesRoute } from "./dresses.routes";

export const listDressesHandler: RouteHandler<typeof listDressesRoute, AppContext> = async (c) => {
  const q = c.req.valid("query");
  const res = await listDresses(cacheDeps(c), blogDb(c), blogConfig(c.env), { category: q.category ?? null, page: q.page, pageSize: q.pageSize });
  return c.json(res.value, 200, { "X-Cache": res.source });
};

export const getDressHandler: RouteHandler<typeof getDressRoute, AppContext> = async (c) => {
  const { externalId } = c.req.valid("param");
  const res = await getDress(cacheDeps(c), blogDb(c), blogConfig(c.env), externalId);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
