/** The benchmarked module routes, written the conventional way (pg pool, plain SQL). Filled in as modules land. */
import type { Hono } from "hono";
import type pg from "pg";
import type { RespPool } from "../../test/local/resp.js";

export interface ConventionalDeps {
  pool: pg.Pool;
  redis: RespPool | null;
}

export function mountConventionalRoutes(_app: Hono, _deps: ConventionalDeps): void {}
