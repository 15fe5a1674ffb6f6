/**
 * The modules this Worker serves, each mounted at /v1/<name>. The platform knows modules
 * only here (and in cron/schedule.ts); a module never imports another module.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppContext } from "./env";

export interface ModuleDef {
  name: string;
  router: OpenAPIHono<AppContext>;
}

export const modules: ModuleDef[] = [];
