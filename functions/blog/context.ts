/** What the blog handlers take from the request for the cache (the db accessor is db.ts). */
import type { Context } from "hono";
import type { ReadThroughDeps } from "../../src/cache/read-through";
import type { AppContext } from "../../src/env";
import { requestCache } from "../../src/http/prefetch";

/** What every cached read of this module needs from the request. */
export function cacheDeps(c: Context<AppContext>): ReadThroughDeps {
  const logger = c.get("logger");
  return { cache: requestCache(c), logger, waitUntil: (p) => c.executionCtx.waitUntil(p) };
}
