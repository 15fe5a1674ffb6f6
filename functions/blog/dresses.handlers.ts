import type { AppRouteHandler } from "../../src/http/router";
import { blogConfig } from "./config";
import { cacheDeps } from "./context";
import { blogDb } from "./db";
import * as dressCache from "./dresses.cache";
import type * as routes from "./dresses.routes";

export const listDresses: AppRouteHandler<typeof routes.listDresses> = async (c) => {
  const q = c.req.valid("query");
  const res = await dressCache.listDresses(cacheDeps(c), blogDb(c.env), blogConfig(c.env), {
    category: q.category ?? null,
    page: q.page,
    pageSize: q.pageSize,
  });
  return c.json(res.value, 200, { "X-Cache": res.source });
};

export const getDress: AppRouteHandler<typeof routes.getDress> = async (c) => {
  const { externalId } = c.req.valid("param");
  const res = await dressCache.getDress(cacheDeps(c), blogDb(c.env), blogConfig(c.env), externalId);
  return c.json(res.value, 200, { "X-Cache": res.source });
};
