/** Per-request clients of the blog handlers. */
import type { Context } from "hono";
import { createCache } from "../../src/cache/client";
import type { ReadThroughDeps } from "../../src/cache/read-through";
import { createDb } from "../../src/db/client";
import type { AppContext } from "../../src/env";
import * as schema from "./db-schema";

export const blogDb = (c: Context<AppContext>) => createDb(c.env, schema);
export type BlogDb = ReturnType<typeof blogDb>;

/** What every cached read of this module needs from the request. */
export function cacheDeps(c: Context<AppContext>): ReadThroughDeps {
  const logger = c.get("logger");
  return { cache: createCache(c.env, logger), logger, waitUntil: (p) => c.executionCtx.waitUntil(p) };
}
