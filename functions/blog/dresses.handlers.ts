import type { AppRouteHandler } from "../../src/http/router";
import { blogConfig } from "./config";
import { blogDb, cacheDeps } from "./context";
import { getDress, listDresses } from "./dresses.cache";
import type { getDressRoute, listDressesRoute } from "./dresses.routes";

export const listDressesHandler: AppRouteHandler<typeof listDressesRoute> = async (c) => {
  const q = c.req.valid("query");
  const res = await listDresses(cacheDeps(c), blogDb(c), blogConfig(c.env), { category: q.category ?? null, page: q.page, pageSize: q.pageSize });
  return c.json(res.value, 200, { "X-Cache": res.source });
};

export const getDressHandler: AppRouteHandler<typeof getDressRoute> = async (c) => {
  const { externalId } = c.req.valid("param");
  const res = await getDress(cacheDeps(c), blogDb(c), blogConfig(c.env), externalId);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
